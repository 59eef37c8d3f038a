/**
 * @module
 * Finding lines that match a query in file contents, for search_file_contents. A query is a
 * literal or a regular expression. Regular expressions are limited to what V8's linear-time
 * engine can run (no backreferences, lookarounds or Unicode property escapes), and that engine
 * is switched on for expressions that backtrack excessively, so no pattern can stall the server.
 * Case-insensitive search lowercases both sides instead of using the `i` flag, which the linear
 * engine does not support.
 */
import { closeSync, constants, openSync, readSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { ToolError } from '@plugboard/protocol';
import { O_NOFOLLOW, O_NONBLOCK } from './safe-open.js';

export interface QueryOptions {
  query: string;
  regex: boolean;
  caseSensitive: boolean;
}

export interface CompiledQuery {
  /** Lowercase the text before searching (case-insensitive mode). */
  readonly lower: boolean;
  /** Index of the next match at or after `from`, or -1. */
  find(haystack: string, from: number): number;
  /** Bytes that must occur in a file for it to match, when that can be known (a case-sensitive literal). */
  readonly needle: Buffer | undefined;
}

export interface LineHit {
  line: number;
  column: number;
  text: string;
  before: string[];
  after: string[];
}

const MAX_LINE_SHOWN = 400;
const MAX_REPEAT = 1000;

/** Why a regular expression is refused, or undefined when it is safe to run. */
export function regexProblem(source: string): string | undefined {
  if (/\\[1-9]|\\k</.test(source)) return 'backreferences are not supported';
  if (/\(\?<?[=!]/.test(source)) return 'lookahead and lookbehind are not supported';
  if (/\\[pP]\{|\\u\{/.test(source))
    return 'Unicode property and code point escapes are not supported';
  for (const match of source.matchAll(/\{(\d+)(?:,(\d*))?\}/g)) {
    if (Number(match[1]) > MAX_REPEAT || Number(match[2] ?? 0) > MAX_REPEAT)
      return `repetition counts above ${MAX_REPEAT} are not supported`;
  }
  return undefined;
}

/** Lowercases the literal parts of a pattern, leaving escapes (\W, \S, \D, …) as they are. */
export function lowercasePattern(source: string): string {
  let result = '';
  for (let index = 0; index < source.length; index++) {
    const char = source[index]!;
    if (char === '\\' && index + 1 < source.length) {
      result += char + source[index + 1]!;
      index++;
      continue;
    }
    result += char.toLowerCase();
  }
  return result;
}

/** Compiles a query once per search. */
export function compileQuery(options: QueryOptions): CompiledQuery {
  const lower = !options.caseSensitive;
  if (!options.regex) {
    const needle = lower ? options.query.toLowerCase() : options.query;
    return {
      lower,
      needle: lower ? undefined : Buffer.from(needle),
      find: (haystack, from) => haystack.indexOf(needle, from),
    };
  }
  const problem = regexProblem(options.query);
  if (problem !== undefined)
    throw new ToolError(
      `The regular expression is refused: ${problem}. Search for a literal, or simplify the expression.`,
    );
  // The linear-time engine takes over from expressions that backtrack too much; this V8 switch is
  // process-wide and must be set before the expression is compiled.
  setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');
  let pattern: RegExp;
  try {
    pattern = new RegExp(lower ? lowercasePattern(options.query) : options.query, 'gm');
  } catch (error) {
    throw new ToolError(
      `Invalid regular expression: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return {
    lower,
    needle: undefined,
    find(haystack, from) {
      pattern.lastIndex = from;
      const match = pattern.exec(haystack);
      return match === null ? -1 : match.index;
    },
  };
}

function clip(line: string, column: number): string {
  const text = line.endsWith('\r') ? line.slice(0, -1) : line;
  if (text.length <= MAX_LINE_SHOWN) return text;
  const start = Math.max(
    0,
    Math.min(column - 1 - MAX_LINE_SHOWN / 2, text.length - MAX_LINE_SHOWN),
  );
  return `${start > 0 ? '…' : ''}${text.slice(start, start + MAX_LINE_SHOWN)}${start + MAX_LINE_SHOWN < text.length ? '…' : ''}`;
}

/** The lines of a text; a final newline ends the last line rather than starting an empty one. */
function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (text.endsWith('\n')) lines.pop();
  return lines;
}

/** Matching lines of `text` (one hit per line), at most `max`, skipping the first `skip`. Returns the hits and how many were skipped. */
export function findLines(
  text: string,
  query: CompiledQuery,
  context: number,
  skip: number,
  max: number,
): { hits: LineHit[]; skipped: number } {
  const haystack = query.lower ? text.toLowerCase() : text;
  const sameShape = haystack.length === text.length;
  let lines: string[] | undefined;
  const lineText = (number: number, start: number, end: number): string => {
    if (sameShape) return text.slice(start, end);
    lines ??= splitLines(text);
    return lines[number - 1] ?? '';
  };
  const hits: LineHit[] = [];
  let skipped = 0;
  let lineNumber = 1;
  let counted = 0;
  let from = 0;
  while (hits.length < max && from <= haystack.length) {
    const at = query.find(haystack, from);
    if (at === -1) break;
    const start = haystack.lastIndexOf('\n', at - 1) + 1;
    // An empty match after the final newline is not a line.
    if (start === haystack.length && start > 0) break;
    let end = haystack.indexOf('\n', at);
    if (end === -1) end = haystack.length;
    for (
      let newline = haystack.indexOf('\n', counted);
      newline !== -1 && newline < start;
      newline = haystack.indexOf('\n', newline + 1)
    )
      lineNumber++;
    counted = start;
    from = end + 1;
    if (skipped < skip) {
      skipped++;
      continue;
    }
    const hit: LineHit = {
      line: lineNumber,
      column: at - start + 1,
      text: clip(lineText(lineNumber, start, end), at - start + 1),
      before: [],
      after: [],
    };
    if (context > 0) {
      lines ??= splitLines(text);
      hit.before = lines
        .slice(Math.max(0, lineNumber - 1 - context), lineNumber - 1)
        .map((line) => clip(line, 1));
      hit.after = lines.slice(lineNumber, lineNumber + context).map((line) => clip(line, 1));
    }
    hits.push(hit);
  }
  return { hits, skipped };
}

export type FileVerdict =
  { kind: 'text'; text: string } | { kind: 'binary' | 'too-large' | 'unreadable' | 'no-match' };

/**
 * Reads a file found by the walk, synchronously (the walk slices its time). It opens without
 * following a final symlink and without blocking on a FIFO. The walk saw a regular file, so a
 * short read means the end of the file: no `fstat` is needed, which saves a quarter of the system
 * calls on a large tree.
 */
export function readCandidate(
  file: string,
  maxBytes: number,
  scratch: { buffer: Buffer },
  needle: Buffer | undefined,
): FileVerdict {
  let descriptor: number;
  try {
    descriptor = openSync(file, constants.O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
  } catch {
    return { kind: 'unreadable' };
  }
  let length = 0;
  try {
    for (;;) {
      if (length === scratch.buffer.length) {
        if (length > maxBytes) return { kind: 'too-large' };
        const grown = Buffer.allocUnsafe(Math.min(length * 2, maxBytes + 1));
        scratch.buffer.copy(grown, 0, 0, length);
        scratch.buffer = grown;
      }
      const wanted = scratch.buffer.length - length;
      const read = readSync(descriptor, scratch.buffer, length, wanted, length);
      length += read;
      if (read < wanted) break;
    }
  } catch {
    return { kind: 'unreadable' };
  } finally {
    closeSync(descriptor);
  }
  if (length > maxBytes) return { kind: 'too-large' };
  const bytes = scratch.buffer.subarray(0, length);
  if (bytes.subarray(0, 8192).includes(0)) return { kind: 'binary' };
  if (needle !== undefined && !bytes.includes(needle)) return { kind: 'no-match' };
  return { kind: 'text', text: bytes.toString('utf8') };
}
