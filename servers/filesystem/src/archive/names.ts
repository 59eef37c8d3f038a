/**
 * @module
 * The path an archive entry may be extracted to. A name is accepted only as a plain relative
 * path: no absolute or drive forms, no `..`, no backslashes (a separator on Windows, so `a\..\x`
 * would climb there), no control characters or colons, no name over 255 bytes. Empty and `.`
 * segments are dropped (`./a//b` is `a/b`). Everything else is refused with the reason.
 */
import { MAX_NAME_BYTES, MAX_PATH_LENGTH } from '../sandbox/path-forms.js';

export type EntryPath =
  | { readonly segments: readonly string[]; readonly problem?: undefined }
  | { readonly segments?: undefined; readonly problem: string };

export function entryPath(name: string): EntryPath {
  // eslint-disable-next-line no-control-regex -- control characters are what is refused
  if (/[\u0000-\u001f\u007f]/.test(name)) return { problem: 'a control character in the name' };
  if (name.includes('\\')) return { problem: 'a backslash (a path separator on Windows)' };
  if (name.startsWith('/')) return { problem: 'an absolute path' };
  if (/^[A-Za-z]:/.test(name)) return { problem: 'a drive letter (an absolute path on Windows)' };
  if (name.length > MAX_PATH_LENGTH)
    return { problem: `a path over ${MAX_PATH_LENGTH} characters` };
  const segments = name.split('/').filter((segment) => segment !== '' && segment !== '.');
  if (segments.includes('..')) return { problem: 'a ".." segment' };
  if (segments.length === 0) return { problem: 'an empty name' };
  for (const segment of segments) {
    if (segment.includes(':')) return { problem: 'a colon in a name' };
    if (Buffer.byteLength(segment) > MAX_NAME_BYTES)
      return { problem: `a name over ${MAX_NAME_BYTES} bytes` };
  }
  return { segments };
}
