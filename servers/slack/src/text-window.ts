/**
 * @module
 * {@link utf8Window}: the part of some UTF-8 bytes one result shows, for text read a window at a
 * time (files, canvases), and {@link windowBytes}, how large that part may be. A window never
 * starts or ends inside a character.
 */
import { z } from 'zod';

export const maxBytesField = z
  .number()
  .int()
  .min(1)
  .optional()
  .describe('Most bytes to return (default and maximum: the output budget)');

/** The bytes of text one result may show: as asked, within the output budget less its framing. */
export function windowBytes(maxBytes: number | undefined, outputBudget: number): number {
  const budget = Math.max(1024, outputBudget - 2048);
  return Math.min(maxBytes ?? budget, budget);
}

/** Where a UTF-8 window may start: not inside a character. */
function charStart(bytes: Uint8Array, index: number): number {
  let at = index;
  while (at < bytes.length && at - index < 4 && (bytes[at]! & 0xc0) === 0x80) at++;
  return at;
}

/** Where a UTF-8 window must end so that its last character is whole. */
function charEnd(bytes: Uint8Array, end: number, complete: boolean): number {
  if (complete && end >= bytes.length) return bytes.length;
  let at = end;
  while (at > 0 && end - at < 4 && (bytes[at]! & 0xc0) === 0x80) at--;
  return at;
}

/**
 * The window of at most `size` bytes from `offset`, moved to whole characters. `complete` says
 * the bytes run to the end of the text, so nothing after them can finish a character.
 */
export function utf8Window(
  bytes: Uint8Array,
  offset: number,
  size: number,
  complete: boolean,
): { start: number; end: number } {
  const start = charStart(bytes, offset);
  const stop = Math.min(bytes.length, offset + size);
  return { start, end: Math.max(start, charEnd(bytes, stop, complete)) };
}
