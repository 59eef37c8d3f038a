/**
 * @module
 * Opaque cursors for list methods. A cursor encodes the offset of the next page; anything that
 * does not decode is answered with -32602, as the spec asks.
 */
import { ProtocolError } from '../../jsonrpc/errors.js';
import { packCursor, unpackCursor } from '../../kit/cursor.js';

const TAG = 'p1:';

export function encodeCursor(offset: number): string {
  return packCursor(offset, TAG);
}

export function decodeCursor(cursor: unknown): number {
  if (cursor === undefined) return 0;
  const offset = unpackCursor(cursor, TAG);
  if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 0) {
    throw ProtocolError.invalidParams(
      'Invalid cursor: it must be a string from a previous nextCursor',
    );
  }
  return offset;
}

/** One page of `items` from the cursor's offset; `nextCursor` is absent on the last page. */
export function paginate<T>(
  items: readonly T[],
  cursor: unknown,
  pageSize: number,
): { page: T[]; nextCursor?: string } {
  const offset = decodeCursor(cursor);
  const page = items.slice(offset, offset + pageSize);
  const next = offset + pageSize;
  return next < items.length ? { page, nextCursor: encodeCursor(next) } : { page };
}
