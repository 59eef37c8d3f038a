/**
 * @module
 * Honest pagination. GitHub pages by number (a `Link` header says whether there is a next page);
 * results also have to fit the output budget. A cursor records both: which page, how many per
 * page, and how many items of that page were already returned, so a page cut by the budget is
 * resumed exactly where it stopped and nothing is dropped silently.
 */
import {
  packCursor,
  takeWithinBudget,
  ToolError,
  truncateText,
  unpackCursor,
  utf8Length,
} from '@plugboard/protocol';
import { z } from 'zod';

export interface Cursor {
  readonly page: number;
  readonly perPage: number;
  /** Items of `page` already returned. */
  readonly skip: number;
  /** GitHub's own cursor for endpoints paged by `after` instead of page numbers. */
  readonly after?: string;
}

export interface Paged<T> {
  items: T[];
  /** True when more exists: a later page, or the rest of this one. */
  truncated: boolean;
  nextCursor?: string;
}

export const cursorField = z
  .string()
  .max(200)
  .optional()
  .describe('nextCursor of the previous result');

export const pageField = z
  .number()
  .int()
  .min(1)
  .max(10_000)
  .optional()
  .describe('Page number (from 1)');

export const perPageField = z
  .number()
  .int()
  .min(1)
  .max(100)
  .optional()
  .describe('Results per page (max 100)');

/** Input fields of a paged listing: a page by number, or the cursor a previous result gave. */
export const pageInput = {
  page: pageField,
  perPage: perPageField,
  cursor: cursorField,
};

export function encodeCursor(cursor: Cursor): string {
  const { page, perPage, skip, after } = cursor;
  return packCursor(after === undefined ? [page, perPage, skip] : [page, perPage, skip, after]);
}

function parseCursor(value: string): Cursor | undefined {
  const parsed = unpackCursor(value);
  if (!Array.isArray(parsed) || parsed.length < 3 || parsed.length > 4) return undefined;
  const [page, perPage, skip, after] = parsed as unknown[];
  if (!Number.isSafeInteger(page) || !Number.isSafeInteger(perPage) || !Number.isSafeInteger(skip))
    return undefined;
  const cursor = { page: page as number, perPage: perPage as number, skip: skip as number };
  if (
    cursor.page < 1 ||
    cursor.perPage < 1 ||
    cursor.perPage > 100 ||
    cursor.skip < 0 ||
    cursor.skip >= cursor.perPage
  )
    return undefined;
  if (after === undefined) return cursor;
  return typeof after === 'string' && /^[\w+/=.-]{1,200}$/.test(after)
    ? { ...cursor, after }
    : undefined;
}

export function decodeCursor(value: string): Cursor {
  const cursor = parseCursor(value);
  if (cursor === undefined)
    throw new ToolError(
      'cursor: not a cursor this server returned; pass nextCursor exactly as given, or use page.',
    );
  return cursor;
}

/** Where a listing starts: the cursor when given, else page and perPage. */
export function startAt(
  args: { page?: number | undefined; perPage?: number | undefined; cursor?: string | undefined },
  defaultPerPage = 30,
): Cursor {
  if (args.cursor !== undefined) return decodeCursor(args.cursor);
  return { page: args.page ?? 1, perPage: Math.min(args.perPage ?? defaultPerPage, 100), skip: 0 };
}

/** Whether a GitHub `Link` header advertises a next page. */
export function hasNextPage(link: string | undefined): boolean {
  return link !== undefined && /<[^>]*>;\s*rel="next"/.test(link);
}

/**
 * Items of one fetched page from `start.skip` on, as many as fit `budget` (measured by `sizeOf`),
 * with the cursor that continues after the last one returned.
 */
export function pageWithin<T>(
  fetched: readonly T[],
  start: Cursor,
  more: boolean,
  budget: number,
  sizeOf: (item: T) => number,
  nextAfter?: string,
): Paged<T> {
  const rest = fetched.slice(start.skip);
  const { items } = takeWithinBudget(rest, budget, sizeOf);
  const skip = start.skip + items.length;
  if (items.length < rest.length && skip < start.perPage)
    return { items, truncated: true, nextCursor: encodeCursor({ ...start, skip }) };
  if (more || items.length < rest.length) {
    const next = { page: start.page + 1, perPage: start.perPage, skip: 0 };
    return {
      items,
      truncated: true,
      nextCursor: encodeCursor(nextAfter === undefined ? next : { ...next, after: nextAfter }),
    };
  }
  return { items, truncated: false };
}

/** A cursor into a list held whole in memory (a tree, a log): just the offset. */
export function encodeOffset(offset: number): string {
  return packCursor(['offset', offset]);
}

export function decodeOffset(value: string | undefined): number {
  if (value === undefined) return 0;
  const parsed = unpackCursor(value);
  if (
    Array.isArray(parsed) &&
    parsed[0] === 'offset' &&
    Number.isSafeInteger(parsed[1]) &&
    (parsed[1] as number) >= 0
  )
    return parsed[1] as number;
  throw new ToolError('cursor: not a cursor this tool returned; pass nextCursor exactly as given.');
}

/** Items of an in-memory list from `offset`, within `budget`. */
export function sliceWithin<T>(
  all: readonly T[],
  offset: number,
  budget: number,
  sizeOf: (item: T) => number,
): Paged<T> {
  const { items } = takeWithinBudget(all.slice(offset), budget, sizeOf);
  const next = offset + items.length;
  return next < all.length
    ? { items, truncated: true, nextCursor: encodeOffset(next) }
    : { items, truncated: false };
}

/** The line a text rendering ends with when more is available. */
export function continuation(
  paged: { truncated: boolean; nextCursor?: string | undefined },
  what = 'results',
): string {
  if (!paged.truncated) return '';
  return paged.nextCursor === undefined
    ? `\n(more ${what} exist; narrow the request to see them)`
    : `\n(more ${what}: call again with cursor "${paged.nextCursor}")`;
}

/** The text of one page of a listing: a line (or block) per item, `empty` for none, then how to go on. */
export function listingText(
  lines: readonly string[],
  empty: string,
  paged: { truncated: boolean; nextCursor?: string | undefined },
  what?: string,
): string {
  return `${lines.length === 0 ? empty : lines.join('\n')}${continuation(paged, what)}`;
}

/** Output fields every paged result carries. */
export const pagedShape = {
  truncated: z.boolean(),
  nextCursor: z.string().optional(),
};

/** `nextCursor` only when there is one (exactOptionalPropertyTypes forbids an explicit undefined). */
export function pageFields(paged: Paged<unknown>): { truncated: boolean; nextCursor?: string } {
  return paged.nextCursor === undefined
    ? { truncated: paged.truncated }
    : { truncated: paged.truncated, nextCursor: paged.nextCursor };
}

export interface LineWindow {
  /** The lines shown, each ending in "\n". */
  content: string;
  /** Number of the last line shown (first - 1 when none). */
  end: number;
  /** True when lines up to `last` were left out for the budget. */
  cut: boolean;
}

/**
 * Lines `first`..`last` (1-based, inclusive) of `lines`, as many as fit `budget` bytes; always at
 * least one, and a single line longer than the budget is cut and says so.
 */
export function lineWindow(
  lines: readonly string[],
  first: number,
  last: number,
  budget: number,
): LineWindow {
  let used = 0;
  let end = first - 1;
  while (end < last) {
    used += utf8Length(lines[end]!) + 1;
    if (used > budget && end >= first) break;
    end++;
  }
  const shown = lines.slice(first - 1, end);
  let content = shown.length === 0 ? '' : `${shown.join('\n')}\n`;
  let cut = end < last;
  if (utf8Length(content) > budget) {
    content = `${truncateText(content, budget).text}\n[line ${first} cut: it alone is longer than the output budget]\n`;
    cut = true;
  }
  return { content, end, cut };
}

/**
 * A list of items in an output schema. Item fields are published without a `required` list,
 * which keeps `tools/list` small; each tool's description and text say what an item holds.
 */
export function listOf<T extends z.ZodRawShape>(item: z.ZodObject<T>) {
  return z.array(item.partial());
}
