import { ToolError } from '@plugboard/protocol';
import { describe, expect, it } from 'vitest';
import {
  decodeCursor,
  decodeOffset,
  encodeCursor,
  encodeOffset,
  hasNextPage,
  lineWindow,
  listingText,
  pageWithin,
  sliceWithin,
  startAt,
} from './paging.js';

const one = (): number => 10;

describe('cursors', () => {
  it('round-trip page, page size, position and GitHub cursors', () => {
    expect(decodeCursor(encodeCursor({ page: 3, perPage: 50, skip: 7 }))).toEqual({
      page: 3,
      perPage: 50,
      skip: 7,
    });
    expect(
      decodeCursor(encodeCursor({ page: 2, perPage: 30, skip: 0, after: 'Y3Vyc29yOnYyOpK5' })),
    ).toEqual({
      page: 2,
      perPage: 30,
      skip: 0,
      after: 'Y3Vyc29yOnYyOpK5',
    });
  });

  it('refuse anything the server did not make', () => {
    for (const value of [
      '',
      'abc',
      encodeOffset(3),
      Buffer.from('[1,500,0]').toString('base64url'),
      Buffer.from('[1,30,30]').toString('base64url'),
      Buffer.from('[0,30,0]').toString('base64url'),
    ])
      expect(() => decodeCursor(value), value).toThrow(ToolError);
  });

  it('start from the cursor when there is one, else from page and perPage', () => {
    expect(startAt({})).toEqual({ page: 1, perPage: 30, skip: 0 });
    expect(startAt({ page: 4, perPage: 10 })).toEqual({ page: 4, perPage: 10, skip: 0 });
    expect(startAt({ page: 4, cursor: encodeCursor({ page: 2, perPage: 5, skip: 1 }) })).toEqual({
      page: 2,
      perPage: 5,
      skip: 1,
    });
  });

  it('keep offsets for in-memory lists apart from page cursors', () => {
    expect(decodeOffset(encodeOffset(1234))).toBe(1234);
    expect(decodeOffset(undefined)).toBe(0);
    expect(() => decodeOffset(encodeCursor({ page: 1, perPage: 1, skip: 0 }))).toThrow(ToolError);
  });
});

describe('hasNextPage', () => {
  it('reads rel="next" from a Link header', () => {
    expect(
      hasNextPage(
        '<https://api.github.com/x?page=2>; rel="next", <https://api.github.com/x?page=5>; rel="last"',
      ),
    ).toBe(true);
    expect(hasNextPage('<https://api.github.com/x?page=1>; rel="prev"')).toBe(false);
    expect(hasNextPage(undefined)).toBe(false);
  });
});

describe('pageWithin', () => {
  const items = Array.from({ length: 10 }, (_, index) => index);

  it('returns the whole page with no cursor when nothing more exists', () => {
    expect(pageWithin(items, { page: 1, perPage: 10, skip: 0 }, false, 1000, one)).toEqual({
      items,
      truncated: false,
    });
  });

  it('points at the next page when GitHub has one', () => {
    const paged = pageWithin(items, { page: 1, perPage: 10, skip: 0 }, true, 1000, one);
    expect(paged.truncated).toBe(true);
    expect(decodeCursor(paged.nextCursor!)).toEqual({ page: 2, perPage: 10, skip: 0 });
  });

  it('cuts at the budget and resumes inside the same page', () => {
    const paged = pageWithin(items, { page: 3, perPage: 10, skip: 0 }, false, 35, one);
    expect(paged.items).toEqual([0, 1, 2]);
    const next = decodeCursor(paged.nextCursor!);
    expect(next).toEqual({ page: 3, perPage: 10, skip: 3 });
    const rest = pageWithin(items, next, false, 1000, one);
    expect(rest.items).toEqual([3, 4, 5, 6, 7, 8, 9]);
    expect(rest.truncated).toBe(false);
  });

  it('always returns at least one item, so paging always progresses', () => {
    expect(pageWithin(items, { page: 1, perPage: 10, skip: 0 }, false, 1, one).items).toEqual([0]);
  });

  it('carries GitHub after-cursors to the next page', () => {
    const paged = pageWithin(items, { page: 1, perPage: 10, skip: 0 }, true, 1000, one, 'abc==');
    expect(decodeCursor(paged.nextCursor!)).toEqual({
      page: 2,
      perPage: 10,
      skip: 0,
      after: 'abc==',
    });
  });
});

describe('sliceWithin', () => {
  it('pages an in-memory list by offset', () => {
    const all = Array.from({ length: 25 }, (_, index) => index);
    const first = sliceWithin(all, 0, 100, one);
    expect(first.items).toHaveLength(10);
    expect(decodeOffset(first.nextCursor)).toBe(10);
    expect(sliceWithin(all, 20, 100, one)).toEqual({
      items: [20, 21, 22, 23, 24],
      truncated: false,
    });
  });
});

describe('lineWindow', () => {
  const lines = ['one', 'two', 'three', 'four'];

  it('returns the lines asked for when they fit', () => {
    expect(lineWindow(lines, 2, 3, 1000)).toEqual({ content: 'two\nthree\n', end: 3, cut: false });
  });

  it('stops at the budget and says where it stopped', () => {
    expect(lineWindow(lines, 1, 4, 9)).toEqual({ content: 'one\ntwo\n', end: 2, cut: true });
  });

  it('cuts a single line longer than the budget and says so', () => {
    const window = lineWindow(['x'.repeat(100)], 1, 1, 20);
    expect(window.cut).toBe(true);
    expect(window.content).toMatch(/^x{20}\n\[line 1 cut/);
  });
});

describe('listingText', () => {
  it('puts one item per line and ends with how to get the rest', () => {
    expect(listingText(['a', 'b'], 'None.', { truncated: true, nextCursor: 'c1' }, 'labels')).toBe(
      'a\nb\n(more labels: call again with cursor "c1")',
    );
  });

  it('says the empty text when there are no items, and nothing more when the list is complete', () => {
    expect(listingText([], 'No labels.', { truncated: false }, 'labels')).toBe('No labels.');
  });
});
