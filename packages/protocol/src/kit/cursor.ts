/**
 * @module
 * Opaque cursors: a short tag, then a JSON value in base64url. Every paged listing (the
 * protocol's own lists, and servers whose upstreams page) writes its position with
 * {@link packCursor} and reads it back with {@link unpackCursor}; the caller checks the shape of
 * what comes back and words its own refusal, since only it knows how to start over.
 */
import { fromBase64Url, toBase64Url } from './base64url.js';

/** Longer cursors are refused before they are decoded. */
export const MAX_CURSOR_LENGTH = 4096;

const utf8 = new TextEncoder();

/** `tag` followed by `value` as base64url JSON. */
export function packCursor(value: unknown, tag = ''): string {
  return tag + toBase64Url(utf8.encode(JSON.stringify(value)));
}

/**
 * The value {@link packCursor} wrote with the same `tag`, or undefined for anything else: not a
 * string, another tag, too long, not base64url, not UTF-8, not JSON.
 */
export function unpackCursor(cursor: unknown, tag = ''): unknown {
  if (typeof cursor !== 'string' || !cursor.startsWith(tag) || cursor.length > MAX_CURSOR_LENGTH)
    return undefined;
  const bytes = fromBase64Url(cursor.slice(tag.length));
  if (bytes === undefined) return undefined;
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as unknown;
  } catch {
    return undefined;
  }
}
