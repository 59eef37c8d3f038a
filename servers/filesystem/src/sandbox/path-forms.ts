/**
 * @module
 * The first gate every requested path passes, before anything touches the disk: spellings that
 * are never legitimate here (NUL bytes, Windows drive, UNC, device and alternate-data-stream
 * forms, over-long paths and names) are refused, and `~` is expanded. Nothing is URL-decoded:
 * `%2e%2e` stays a literal name.
 */
import path from 'node:path';

export const MAX_PATH_LENGTH = 4096;
export const MAX_NAME_BYTES = 255;

/** Why `input` can never name a file this server may touch, or undefined when its form is fine. */
export function pathFormProblem(
  input: string,
  platform: NodeJS.Platform = process.platform,
): string | undefined {
  if (input.length === 0) return 'the path is empty';
  if (input.includes('\0')) return 'the path contains a NUL byte';
  if (input.length > MAX_PATH_LENGTH)
    return `the path is longer than ${MAX_PATH_LENGTH} characters`;
  const windows = platform === 'win32';
  if (/^[\\/]{2}[?.][\\/]/.test(input) || input.startsWith('\\\\')) {
    return 'UNC and device paths (\\\\server\\share, \\\\?\\, \\\\.\\) are not accepted';
  }
  let rest = input;
  if (/^[A-Za-z]:/.test(input)) {
    if (!windows) return 'Windows drive paths (C:\\...) do not exist on this server';
    if (!/^[A-Za-z]:[\\/]/.test(input))
      return 'drive-relative paths (C:name) are not accepted; give C:\\name';
    rest = input.slice(2);
  }
  const names = rest.split(windows ? /[\\/]/ : '/');
  for (const name of names) {
    if (name.includes(':')) {
      return 'colons are not accepted in names: on Windows "name:stream" addresses a hidden alternate data stream';
    }
    if (Buffer.byteLength(name) > MAX_NAME_BYTES)
      return `a name in the path is longer than ${MAX_NAME_BYTES} bytes`;
  }
  return undefined;
}

/** Expands a leading `~` or `~/` to the home directory; `~name` stays a literal name. */
export function expandHome(input: string, homedir: string): string {
  if (input === '~') return homedir;
  if (input.startsWith('~/') || (path.sep === '\\' && input.startsWith('~\\')))
    return path.join(homedir, input.slice(2));
  return input;
}
