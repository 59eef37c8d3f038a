/**
 * @module
 * Line-range reads within a byte budget, streaming: a read never holds more than the budget plus
 * one chunk, however large the file. `offset` counts lines from the start (0 = the first line) or,
 * when negative, from the end (-20 = the last 20 lines). A cut result says where to continue.
 */
import { readSync } from 'node:fs';

const CHUNK = 64 * 1024;
/** Chunks read between yields to the event loop (1 MiB), so a long scan stays cancellable. */
const CHUNKS_PER_SLICE = 16;
const NEWLINE = 0x0a;
/** How much of the start of a file is inspected for NUL bytes to tell binary from text. */
export const SNIFF_BYTES = 8 * 1024;

export interface LineRequest {
  /** Lines to skip from the start, or (negative) lines before the end to start at. */
  offset: number;
  /** Most lines to return. */
  limit: number | undefined;
  /** Most bytes of content to return. */
  maxBytes: number;
}

export interface LineRange {
  content: string;
  /** 1-based number of the first line returned, when known (always, unless reading from the end). */
  startLine: number | undefined;
  /** Lines returned (a line cut by the budget counts). */
  lines: number;
  /** Bytes of content returned. */
  bytes: number;
  /** Lines in the whole file, when the read reached its end and the start was known. */
  totalLines: number | undefined;
  /** True when the byte budget cut the range short. */
  truncated: boolean;
  /** True when a single line was longer than the budget and only its beginning is shown. */
  longLine: boolean;
  /** The offset to pass to read on from where this range stopped; undefined at the end of the file. */
  nextOffset: number | undefined;
}

/** True when the bytes look binary: a NUL byte (text in UTF-8 never has one). */
export function looksBinary(sample: Uint8Array): boolean {
  return sample.includes(0);
}

/** Backs `end` off so it does not split a UTF-8 character (`buffer` holds bytes beyond `end`). */
function characterBoundary(buffer: Buffer, end: number): number {
  let cut = end;
  while (cut > 0 && cut < buffer.length && (buffer[cut]! & 0xc0) === 0x80) cut--;
  return cut;
}

/** The byte where the line `count` lines before the end starts (a final newline ends the last line, it does not start one). */
async function pause(): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
}

async function tailStart(fd: number, size: number, count: number): Promise<number> {
  let position = size;
  let seen = 0;
  let skipFinal = true;
  const buffer = Buffer.allocUnsafe(CHUNK);
  let chunks = 0;
  while (position > 0) {
    if (++chunks % CHUNKS_PER_SLICE === 0) await pause();
    const length = Math.min(CHUNK, position);
    position -= length;
    const bytesRead = readSync(fd, buffer, 0, length, position);
    for (let index = bytesRead - 1; index >= 0; index--) {
      if (buffer[index] !== NEWLINE) continue;
      if (skipFinal && position + index === size - 1) continue;
      seen++;
      if (seen === count) return position + index + 1;
    }
    skipFinal = false;
  }
  return 0;
}

/** Reads lines `request.offset`… of an open file (descriptor `fd`) of `size` bytes. */
export async function readLines(
  fd: number,
  size: number,
  request: LineRequest,
): Promise<LineRange> {
  const { limit, maxBytes } = request;
  const fromEnd = request.offset < 0;
  let start = fromEnd ? await tailStart(fd, size, -request.offset) : request.offset === 0 ? 0 : -1;
  let skipped = 0;
  let position = fromEnd ? start : 0;
  const parts: Buffer[] = [];
  let complete = 0;
  let lastLineEnd = start;
  let end = -1;
  let truncated = false;
  let longLine = false;
  let endsWithNewline = false;
  let chunks = 0;

  while (end === -1 && position < size) {
    if (++chunks % CHUNKS_PER_SLICE === 0) await pause();
    const buffer = Buffer.allocUnsafe(Math.min(CHUNK, size - position));
    const bytesRead = readSync(fd, buffer, 0, buffer.length, position);
    if (bytesRead === 0) break;
    const base = position;
    position += bytesRead;
    endsWithNewline = buffer[bytesRead - 1] === NEWLINE;
    let from = 0;
    if (start === -1) {
      while (from < bytesRead) {
        const newline = buffer.indexOf(NEWLINE, from);
        if (newline === -1 || newline >= bytesRead) {
          from = bytesRead;
          break;
        }
        from = newline + 1;
        skipped++;
        if (skipped === request.offset) {
          start = base + from;
          lastLineEnd = start;
          break;
        }
      }
      if (start === -1) continue;
    }
    let scan = from;
    while (scan < bytesRead) {
      const newline = buffer.indexOf(NEWLINE, scan);
      if (newline === -1 || newline >= bytesRead) break;
      const lineEnd = base + newline + 1;
      if (lineEnd - start > maxBytes) break;
      complete++;
      lastLineEnd = lineEnd;
      scan = newline + 1;
      if (limit !== undefined && complete === limit) {
        end = lineEnd;
        break;
      }
    }
    parts.push(buffer.subarray(from, bytesRead));
    if (end === -1 && base + bytesRead - start > maxBytes) {
      truncated = true;
      if (complete > 0) end = lastLineEnd;
      else {
        longLine = true;
        end = start + maxBytes;
      }
    }
  }

  if (start === -1) {
    // The file has fewer lines than the offset.
    const totalLines = skipped + (size > 0 && !endsWithNewline ? 1 : 0);
    return {
      content: '',
      startLine: undefined,
      lines: 0,
      bytes: 0,
      totalLines,
      truncated: false,
      longLine: false,
      nextOffset: undefined,
    };
  }
  const reachedEnd = end === -1;
  if (reachedEnd) end = position;
  const kept = Buffer.concat(parts);
  const bytes = kept.subarray(0, longLine ? characterBoundary(kept, end - start) : end - start);
  const partial = reachedEnd && end > lastLineEnd ? 1 : 0;
  const lines = complete + partial + (longLine ? 1 : 0);
  let content = bytes.toString('utf8');
  if (start === 0 && content.charCodeAt(0) === 0xfeff) content = content.slice(1);
  const more = !reachedEnd && end < size;
  let nextOffset: number | undefined;
  if (more) nextOffset = request.offset + lines;
  return {
    content,
    startLine: fromEnd ? undefined : request.offset + 1,
    lines,
    bytes: bytes.length,
    totalLines: reachedEnd && !fromEnd ? request.offset + lines : undefined,
    truncated,
    longLine,
    nextOffset,
  };
}
