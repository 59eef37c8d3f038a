/**
 * @module
 * Where a console message or an uncaught error came from: `url:line:column` (1-based, as
 * editors count) and, for errors, the stack as `at function (url:line:column)` frames. Frames
 * come from the page, so each is escaped to one line and capped, and the stack keeps at most
 * {@link STACK_FRAMES} frames.
 */
import type { ConsoleMessage, ConsoleMessageLocation } from 'puppeteer-core';
import { escapedLine } from './untrusted.js';

export const STACK_FRAMES = 10;
const FRAME_MAX = 300;
/** Console levels whose stack is worth keeping. */
const STACKED = new Set(['error', 'assert', 'trace']);

export interface ConsoleSource {
  readonly location?: string;
  readonly stack?: string[];
}

function place(location: ConsoleMessageLocation): string | undefined {
  if (location.url === undefined || location.url === '') return undefined;
  const line = location.lineNumber === undefined ? '' : `:${location.lineNumber + 1}`;
  const column =
    location.lineNumber === undefined || location.columnNumber === undefined
      ? ''
      : `:${location.columnNumber + 1}`;
  return escapedLine(`${location.url}${line}${column}`, FRAME_MAX);
}

/** The source of a console API message (its stack only for errors, asserts and traces). */
export function consoleSource(message: ConsoleMessage): ConsoleSource {
  const location = place(message.location());
  const frames = STACKED.has(message.type())
    ? message
        .stackTrace()
        .slice(0, STACK_FRAMES)
        .map(place)
        .filter((frame) => frame !== undefined)
        .map((frame) => `at ${frame}`)
    : [];
  return {
    ...(location === undefined ? {} : { location }),
    ...(frames.length === 0 ? {} : { stack: frames }),
  };
}

/**
 * The source of an uncaught error, from its stack text: the frame lines after the message
 * (lines that start with `at`), the first of them as the location.
 */
export function errorSource(error: unknown): ConsoleSource {
  if (!(error instanceof Error) || error.stack === undefined) return {};
  const head = `${error.name}: ${error.message}`;
  const rest = error.stack.startsWith(head) ? error.stack.slice(head.length) : error.stack;
  const frames = rest
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith('at '))
    .slice(0, STACK_FRAMES)
    .map((line) => escapedLine(line, FRAME_MAX));
  if (frames.length === 0) return {};
  const first = /\(([^()]+)\)$/.exec(frames[0]!)?.[1] ?? frames[0]!.slice(3);
  return { location: first, stack: frames };
}
