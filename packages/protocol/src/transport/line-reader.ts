/**
 * @module
 * Newline framing for byte streams, built to survive hostile input: chunks are kept as they
 * arrive and only the new chunk is searched for a newline (no quadratic re-scanning), a line
 * longer than the cap is dropped as it streams in (memory stays bounded) and reported once, and
 * bytes are decoded only after framing, so a character split across writes decodes whole.
 */

export type LineEvent = { kind: 'line'; bytes: Uint8Array } | { kind: 'overflow'; bytes: number };

export class LineReader {
  readonly #maxLineBytes: number;
  #chunks: Uint8Array[] = [];
  #buffered = 0;
  /** Bytes of an oversized line already thrown away; the line is skipped up to its newline. */
  #discarding = 0;

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
        events.push({ kind: 'overflow', bytes: this.#discarding + piece.length });
        this.#discarding = 0;
      } else if (this.#buffered + piece.length > this.#maxLineBytes) {
        events.push({ kind: 'overflow', bytes: this.#buffered + piece.length });
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
    } else if (this.#buffered + rest.length > this.#maxLineBytes) {
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
