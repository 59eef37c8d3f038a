/**
 * @module
 * Newline framing for byte streams, built to survive hostile input: chunks are kept as they
 * arrive and only the new chunk is searched for a newline (no quadratic re-scanning), a line
 * longer than the cap is dropped as it streams in (memory stays bounded) and reported once, and
 * bytes are decoded only after framing, so a character split across writes decodes whole. Of a
 * dropped line only its first and last {@link EDGE_BYTES} are kept, enough to find its `id`.
 */

/** Bytes kept from each end of an oversized line. */
export const EDGE_BYTES = 1024;

export type LineEvent =
  | { kind: 'line'; bytes: Uint8Array }
  | { kind: 'overflow'; bytes: number; head: Uint8Array; tail: Uint8Array };

function concat(parts: readonly Uint8Array[], length: number): Uint8Array {
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part.subarray(0, length - offset), offset);
    offset += Math.min(part.length, length - offset);
    if (offset === length) break;
  }
  return out;
}

/** The first `n` bytes of the parts joined, without joining them. */
function headOf(parts: readonly Uint8Array[], n: number): Uint8Array {
  const total = parts.reduce((sum, part) => sum + part.length, 0);
  return concat(parts, Math.min(n, total));
}

/** The last `n` bytes of the parts joined, without joining them. */
function tailOf(parts: readonly Uint8Array[], n: number): Uint8Array {
  const kept: Uint8Array[] = [];
  let length = 0;
  for (let index = parts.length - 1; index >= 0 && length < n; index--) {
    const part = parts[index]!;
    const piece = part.subarray(Math.max(0, part.length - (n - length)));
    kept.unshift(piece);
    length += piece.length;
  }
  return concat(kept, length);
}

export class LineReader {
  readonly #maxLineBytes: number;
  #chunks: Uint8Array[] = [];
  #buffered = 0;
  /** Bytes of an oversized line already thrown away; the line is skipped up to its newline. */
  #discarding = 0;
  /** The start and the latest end of the line being discarded. */
  #head: Uint8Array = new Uint8Array(0);
  #tail: Uint8Array = new Uint8Array(0);

  constructor(maxLineBytes: number) {
    this.#maxLineBytes = maxLineBytes;
  }

  /** Feeds one chunk and returns every complete line (and overflow) it finished. */
  push(chunk: Uint8Array): LineEvent[] {
    const events: LineEvent[] = [];
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf(0x0a, start);
      if (newline === -1) break;
      const piece = chunk.subarray(start, newline);
      if (this.#discarding > 0) {
        events.push({
          kind: 'overflow',
          bytes: this.#discarding + piece.length,
          head: this.#head,
          tail: tailOf([this.#tail, piece], EDGE_BYTES),
        });
        this.#discarding = 0;
      } else if (this.#buffered + piece.length > this.#maxLineBytes) {
        const parts = [...this.#chunks, piece];
        events.push({
          kind: 'overflow',
          bytes: this.#buffered + piece.length,
          head: headOf(parts, EDGE_BYTES),
          tail: tailOf(parts, EDGE_BYTES),
        });
      } else {
        events.push({ kind: 'line', bytes: this.#take(piece) });
      }
      this.#chunks = [];
      this.#buffered = 0;
      start = newline + 1;
    }
    const rest = chunk.subarray(start);
    if (rest.length === 0) return events;
    if (this.#discarding > 0) {
      this.#discarding += rest.length;
      this.#tail = tailOf([this.#tail, rest], EDGE_BYTES);
    } else if (this.#buffered + rest.length > this.#maxLineBytes) {
      const parts = [...this.#chunks, rest];
      this.#head = headOf(parts, EDGE_BYTES);
      this.#tail = tailOf(parts, EDGE_BYTES);
      this.#discarding = this.#buffered + rest.length;
      this.#chunks = [];
      this.#buffered = 0;
    } else {
      // Copy: the stream may reuse the chunk's memory after this call.
      this.#chunks.push(rest.slice());
      this.#buffered += rest.length;
    }
    return events;
  }

  /** Bytes of an unfinished line (discarded when the stream ends). */
  get pending(): number {
    return this.#buffered + this.#discarding;
  }

  #take(tail: Uint8Array): Uint8Array {
    if (this.#chunks.length === 0) return tail;
    const line = new Uint8Array(this.#buffered + tail.length);
    let offset = 0;
    for (const chunk of this.#chunks) {
      line.set(chunk, offset);
      offset += chunk.length;
    }
    line.set(tail, offset);
    return line;
  }
}
