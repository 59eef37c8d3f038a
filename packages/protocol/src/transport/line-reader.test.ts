import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineReader, type LineEvent } from './line-reader.js';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const decode = (events: LineEvent[]): (string | number)[] =>
  events.map((event) =>
    event.kind === 'line' ? new TextDecoder().decode(event.bytes) : event.bytes,
  );

function feed(reader: LineReader, chunks: Uint8Array[]): LineEvent[] {
  return chunks.flatMap((chunk) => reader.push(chunk));
}

describe('LineReader', () => {
  it('returns every complete line of a chunk and keeps the unfinished rest for the next one', () => {
    const reader = new LineReader(1024);
    expect(decode(reader.push(bytes('one\ntwo\nthr')))).toEqual(['one', 'two']);
    expect(reader.pending).toBe(3);
    expect(decode(reader.push(bytes('ee\n')))).toEqual(['three']);
    expect(reader.pending).toBe(0);
  });

  it('returns empty lines as empty, leaving blank-line policy to the transport', () => {
    expect(decode(new LineReader(16).push(bytes('\n\na\n')))).toEqual(['', '', 'a']);
  });

  it('joins a multi-byte character split across chunks before anything decodes it', () => {
    const whole = bytes('😀\n');
    const reader = new LineReader(16);
    const events = feed(reader, [whole.subarray(0, 1), whole.subarray(1, 3), whole.subarray(3)]);
    expect(decode(events)).toEqual(['😀']);
  });

  it('is not affected when the stream reuses the memory of a chunk it already pushed', () => {
    const reader = new LineReader(16);
    const chunk = bytes('abc');
    reader.push(chunk);
    chunk.fill(0x7a);
    expect(decode(reader.push(bytes('\n')))).toEqual(['abc']);
  });

  it('delivers a line of exactly the limit and drops one byte more, reporting its size once', () => {
    const reader = new LineReader(4);
    expect(decode(reader.push(bytes('abcd\nabcde\nok\n')))).toEqual(['abcd', 5, 'ok']);
  });

  it('drops an oversized line as it streams in, holding no more than the limit, and resynchronises', () => {
    const reader = new LineReader(8);
    const chunk = bytes('x'.repeat(5));
    const events: LineEvent[] = [];
    for (let i = 0; i < 1000; i++) {
      events.push(...reader.push(chunk));
      expect(reader.pending).toBe(5 * (i + 1));
    }
    expect(events).toEqual([]);
    expect(decode(reader.push(bytes('yy\n{"n":1}\n')))).toEqual([5002, '{"n":1}']);
    expect(reader.pending).toBe(0);
  });

  it('frames any chunking of any lines exactly as written (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.string({ unit: 'grapheme' }).map((line) => line.replaceAll('\n', '')),
          { maxLength: 20 },
        ),
        fc.array(fc.nat(), { maxLength: 30 }),
        (lines, cuts) => {
          const input = bytes(lines.map((line) => `${line}\n`).join(''));
          const offsets = [...new Set(cuts.map((cut) => cut % (input.length + 1)))].sort(
            (a, b) => a - b,
          );
          const chunks: Uint8Array[] = [];
          let previous = 0;
          for (const offset of [...offsets, input.length]) {
            chunks.push(input.slice(previous, offset));
            previous = offset;
          }
          const reader = new LineReader(1 << 20);
          expect(decode(feed(reader, chunks))).toEqual(lines);
          expect(reader.pending).toBe(0);
        },
      ),
    );
  });

  it('reports every line over the limit with its exact size and delivers the rest (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat({ max: 40 }), { maxLength: 20 }),
        fc.integer({ min: 1, max: 7 }),
        (lengths, chunkSize) => {
          const limit = 16;
          const input = bytes(lengths.map((length) => `${'a'.repeat(length)}\n`).join(''));
          const chunks: Uint8Array[] = [];
          for (let i = 0; i < input.length; i += chunkSize)
            chunks.push(input.slice(i, i + chunkSize));
          const expected = lengths.map((length) => (length > limit ? length : 'a'.repeat(length)));
          expect(decode(feed(new LineReader(limit), chunks))).toEqual(expected);
        },
      ),
    );
  });
});
