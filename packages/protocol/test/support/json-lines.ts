/**
 * @module
 * The JSON messages a stream carries, one per line, parsed as they arrive: what a stdio client
 * reads from a server's stdout.
 */
import type { Readable } from 'node:stream';

export interface JsonLines {
  readonly lines: Record<string, unknown>[];
  /** Resolves once `count` messages have arrived. */
  readonly until: (count: number) => Promise<Record<string, unknown>[]>;
}

export function jsonLines(stream: Readable): JsonLines {
  const lines: Record<string, unknown>[] = [];
  const waiters: (() => void)[] = [];
  let text = '';
  stream.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8');
    const parts = text.split('\n');
    text = parts.pop() ?? '';
    for (const part of parts) lines.push(JSON.parse(part) as Record<string, unknown>);
    for (const wake of waiters.splice(0)) wake();
  });
  return {
    lines,
    until: async (count) => {
      while (lines.length < count) await new Promise<void>((resolve) => waiters.push(resolve));
      return lines;
    },
  };
}
