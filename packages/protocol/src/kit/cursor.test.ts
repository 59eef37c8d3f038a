import { describe, expect, it } from 'vitest';
import { MAX_CURSOR_LENGTH, packCursor, unpackCursor } from './cursor.js';

describe('packCursor / unpackCursor', () => {
  it('round-trips JSON values under a tag, in the URL-safe alphabet', () => {
    for (const value of [0, 12345, ['gh', 2, 30, 'Y3Vyc29y'], { t: null, s: 4 }, 'é😀']) {
      const cursor = packCursor(value, 'x1.');
      expect(cursor).toMatch(/^x1\.[A-Za-z0-9_-]*$/);
      expect(unpackCursor(cursor, 'x1.')).toEqual(value);
    }
    expect(unpackCursor(packCursor([1, 2]))).toEqual([1, 2]);
  });

  it('writes what Buffer base64url writes, so cursors already handed out still read', () => {
    const value = ['a', 1, 2];
    expect(packCursor(value, 'gd1.')).toBe(
      `gd1.${Buffer.from(JSON.stringify(value)).toString('base64url')}`,
    );
  });

  it('answers undefined for anything it did not write', () => {
    const good = packCursor(5, 'p1:');
    for (const bad of [
      undefined,
      7,
      '',
      good.slice(3),
      `q1:${good.slice(3)}`,
      `${good}!`,
      `p1:${'A'.repeat(MAX_CURSOR_LENGTH)}`,
      `p1:${Buffer.from('{not json').toString('base64url')}`,
      `p1:${Buffer.from([0xff, 0xfe]).toString('base64url')}`,
    ])
      expect(unpackCursor(bad, 'p1:')).toBeUndefined();
  });
});
