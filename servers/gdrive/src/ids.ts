/**
 * @module
 * What a Drive identifier may look like. Ids reach URL paths and query strings, so anything but
 * the characters Google uses is refused before a request is made: a `/`, `?`, `#` or `%` could
 * otherwise change which endpoint is called. (No zod here: resources use this at start-up.)
 */

/** File, folder and Shared Drive ids: letters, digits, `-` and `_` (Drive's own alphabet). */
export const DRIVE_ID = /^[A-Za-z0-9_-]{10,200}$/;

/** Revision and permission ids are shorter (numbers, `anyoneWithLink`) but use the same alphabet. */
export const SHORT_ID = /^[A-Za-z0-9_-]{1,200}$/;

export function isDriveId(value: string): boolean {
  return DRIVE_ID.test(value);
}
