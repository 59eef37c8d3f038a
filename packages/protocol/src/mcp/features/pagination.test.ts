import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../jsonrpc/error-code.js';
import { decodeCursor, encodeCursor, paginate } from './pagination.js';

describe('pagination', () => {
  it('visits every item exactly once, in order, for any page size (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer(), { maxLength: 50 }),
        fc.integer({ min: 1, max: 60 }),
        (items, size) => {
          const seen: number[] = [];
          let cursor: string | undefined;
          let pages = 0;
          do {
            const { page, nextCursor } = paginate(items, cursor, size);
            expect(page.length).toBeLessThanOrEqual(size);
            seen.push(...page);
            cursor = nextCursor;
            pages++;
          } while (cursor !== undefined);
          expect(seen).toEqual(items);
          expect(pages).toBe(Math.max(1, Math.ceil(items.length / size)));
        },
      ),
    );
  });

  it.each([
    ['a number', 3],
    ['text that is not base64', 'not a cursor!'],
    ['base64 of something else', btoa('hello')],
    ['a negative offset', btoa('p1:-1')],
    ['a fractional offset', btoa('p1:1.5')],
    ['an unsafe offset', btoa('p1:9007199254740993')],
  ])('refuses %s as a cursor with -32602', (_case, cursor) => {
    expect(() => decodeCursor(cursor)).toThrow(
      expect.objectContaining({ code: ErrorCode.InvalidParams }),
    );
  });

  it('gives an empty last page for a cursor past the end rather than failing', () => {
    expect(paginate([1, 2], encodeCursor(10), 5)).toEqual({ page: [] });
  });
});
