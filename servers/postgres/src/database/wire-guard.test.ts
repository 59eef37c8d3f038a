import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { guardRowSize } from './wire-guard.js';

function header(type: string, length: number): Buffer {
  const bytes = Buffer.alloc(5);
  bytes.write(type, 0, 'latin1');
  bytes.writeInt32BE(length, 1);
  return bytes;
}

/** A whole message whose length field (which counts itself) is `length`. */
function message(type: string, length: number): Buffer {
  return Buffer.concat([header(type, length), Buffer.alloc(length - 4, 0x61)]);
}

describe('the row size guard', () => {
  it('lets messages under the limit through, whatever the chunking', () => {
    const stream = new PassThrough();
    const tripped = guardRowSize(stream, 100);
    const bytes = Buffer.concat([
      message('T', 30),
      message('D', 100),
      message('D', 96),
      message('C', 10),
    ]);
    expect(bytes.length).toBe(240);
    for (let offset = 0; offset < bytes.length; offset += 3)
      stream.write(bytes.subarray(offset, offset + 3));
    expect(tripped()).toBeUndefined();
    expect(stream.destroyed).toBe(false);
  });

  it('destroys the stream on the header of an oversized data row, before its body arrives', () => {
    const stream = new PassThrough();
    const tripped = guardRowSize(stream, 1000);
    stream.write(message('T', 20));
    const big = header('D', 500_000_000);
    stream.write(big.subarray(0, 2));
    expect(stream.destroyed).toBe(false);
    stream.write(big.subarray(2));
    expect(stream.destroyed).toBe(true);
    expect(tripped()).toEqual({ messageBytes: 500_000_000, limitBytes: 1000 });
  });

  it('ignores large messages that are not rows', () => {
    const stream = new PassThrough();
    const tripped = guardRowSize(stream, 10);
    stream.write(message('N', 5000));
    expect(tripped()).toBeUndefined();
  });
});
