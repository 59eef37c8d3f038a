/**
 * @module
 * Paging text by UTF-8 byte offsets. Offsets are what Drive's ranged downloads speak, so a text
 * file is read a window at a time without downloading the rest; converted content (Docs, Sheets,
 * PDFs) is paged the same way over its UTF-8 form. A window never splits a character, and ends at
 * a line break when one falls in its last quarter.
 */

function isContinuation(byte: number | undefined): boolean {
  return byte !== undefined && (byte & 0xc0) === 0x80;
}

/** Length of the character starting with `lead`, or 1 for a stray byte. */
function sequenceLength(lead: number): number {
  if (lead >= 0xf0) return 4;
  if (lead >= 0xe0) return 3;
  if (lead >= 0xc0) return 2;
  return 1;
}

export interface Window {
  /** Index in the chunk where the window starts (past any partial character). */
  readonly start: number;
  /** Index in the chunk just after the window. */
  readonly end: number;
}

/**
 * The window of `chunk` to show: at most `maxBytes`, whole characters only. `complete` says the
 * chunk runs to the end of the content, so nothing after it can finish a character.
 */
export function textWindow(chunk: Uint8Array, maxBytes: number, complete: boolean): Window {
  let start = 0;
  while (start < chunk.length && start < 3 && isContinuation(chunk[start])) start++;
  let end = Math.min(chunk.length, start + maxBytes);
  if (end === chunk.length && complete) return { start, end };
  // Back off to the start of the last character if it does not fit whole.
  let lead = end;
  while (lead > start && isContinuation(chunk[lead - 1]) && end - lead < 3) lead--;
  if (lead > start) {
    const first = chunk[lead - 1]!;
    if (first >= 0xc0 && lead - 1 + sequenceLength(first) > end) end = lead - 1;
  }
  const newline = chunk.lastIndexOf(0x0a, end - 1);
  if (newline >= start && newline + 1 >= start + (end - start) * 0.75) end = newline + 1;
  if (end <= start) end = Math.min(chunk.length, start + sequenceLength(chunk[start] ?? 0));
  return { start, end };
}

export interface TextPage {
  readonly text: string;
  /** Offset the page starts at (moved past a partial character when needed). */
  readonly offset: number;
  /** Where the next page starts, when there is more. */
  readonly nextOffset: number | undefined;
  readonly totalBytes: number;
}

/** One page of `text` from byte `offset`, at most `maxBytes`. */
export function pageOf(text: string | Buffer, offset: number, maxBytes: number): TextPage {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  const from = Math.min(offset, bytes.length);
  const window = textWindow(bytes.subarray(from), maxBytes, true);
  const end = from + window.end;
  return {
    text: bytes.toString('utf8', from + window.start, end),
    offset: from + window.start,
    nextOffset: end < bytes.length ? end : undefined,
    totalBytes: bytes.length,
  };
}
