/**
 * @module
 * Cursors and output budgets. Slack pages with opaque cursors (or page numbers, for search and
 * files); a page can still be too big for the output budget, so the cursor this server hands out
 * carries both where Slack should continue and how many items of that page were already shown.
 */
import {
  jsonSize,
  packCursor,
  takeWithinBudget,
  ToolError,
  unpackCursor,
} from '@plugboard/protocol';
import { z } from 'zod';

/** A position: Slack's cursor (or page number) of the page, and items of it already returned. */
export interface Position {
  /** Slack's cursor for the page; '' for the first page. */
  readonly cursor: string;
  /** Page number, for methods paged by number (search, files). */
  readonly page: number;
  /** Items of that page already returned. */
  readonly skip: number;
}

export const START: Position = { cursor: '', page: 1, skip: 0 };

export function encodeCursor(position: Position): string {
  return packCursor([position.cursor, position.page, position.skip]);
}

export function decodeCursor(value: string | undefined): Position {
  if (value === undefined || value === '') return START;
  const parsed = unpackCursor(value);
  if (Array.isArray(parsed) && parsed.length === 3) {
    const [cursor, page, skip] = parsed as unknown[];
    if (
      typeof cursor === 'string' &&
      /^[A-Za-z0-9+/=_:%.-]{0,400}$/.test(cursor) &&
      Number.isSafeInteger(page) &&
      (page as number) >= 1 &&
      (page as number) <= 10_000 &&
      Number.isSafeInteger(skip) &&
      (skip as number) >= 0 &&
      (skip as number) <= 1000
    )
      return { cursor, page: page as number, skip: skip as number };
  }
  throw new ToolError(
    'cursor: not a cursor this server returned; pass next_cursor exactly as given, or leave it out to start over.',
  );
}

export interface Paged<T> {
  readonly items: T[];
  readonly truncated: boolean;
  readonly next_cursor?: string;
}

/**
 * Items of one fetched page from `at.skip` on, as many as fit `budget`, with the cursor that
 * continues after the last one returned: the same page further on when the budget cut it, else
 * the page Slack says comes next (`next`), else nothing.
 */
export function pageWithin<T>(
  fetched: readonly T[],
  at: Position,
  next: Position | undefined,
  budget: number,
  sizeOf: (item: T) => number = jsonSize,
): Paged<T> {
  const rest = fetched.slice(at.skip);
  const { items } = takeWithinBudget(rest, budget, sizeOf);
  if (items.length < rest.length)
    return {
      items,
      truncated: true,
      next_cursor: encodeCursor({ ...at, skip: at.skip + items.length }),
    };
  if (next !== undefined) return { items, truncated: true, next_cursor: encodeCursor(next) };
  return { items, truncated: false };
}

/** Slack's `cursor` request parameter for `at`: none for the first page. */
export function cursorParam(at: Position): { cursor?: string } {
  return at.cursor === '' ? {} : { cursor: at.cursor };
}

/** Slack's next cursor, unless it is empty or the one just used (a server looping on itself). */
export function nextSlackCursor(returned: string | undefined, used: string): string | undefined {
  return returned === undefined || returned === '' || returned === used ? undefined : returned;
}

/** The line a text rendering ends with when more is available. */
export function continuation(
  paged: { truncated: boolean; next_cursor?: string },
  what: string,
): string {
  if (!paged.truncated) return '';
  return paged.next_cursor === undefined
    ? `\n(more ${what} exist; narrow the request to see them)`
    : `\n(more ${what}: call again with cursor "${paged.next_cursor}")`;
}

/** Output fields every paged result carries. */
export const pagedShape = {
  truncated: z.boolean().describe('True when more results exist than were returned'),
  next_cursor: z.string().optional().describe('Pass as cursor to get the next results'),
};

/** The paging fields of a result, without an undefined next_cursor. */
export function pageFields(paged: Paged<unknown>): { truncated: boolean; next_cursor?: string } {
  return paged.next_cursor === undefined
    ? { truncated: paged.truncated }
    : { truncated: paged.truncated, next_cursor: paged.next_cursor };
}

/** A limit as asked, clamped to what the tool allows (SL-05: never passed through unchecked). */
export function clampLimit(value: number | undefined, fallback: number, max: number): number {
  if (value === undefined || !Number.isFinite(value)) return fallback;
  return Math.min(Math.max(1, Math.floor(value)), max);
}

export const cursorField = z
  .string()
  .max(2000)
  .optional()
  .describe('next_cursor from the previous result, to continue');
