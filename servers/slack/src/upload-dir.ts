/**
 * @module
 * Reading a file the model names from the operator's upload directory (`--upload-dir`), and
 * nothing outside it: the name is resolved against the directory's real path, the file's own
 * real path (after every symbolic link) must still lie inside, and the file is opened without
 * following a link and checked to be a regular file of bounded size before a byte is read.
 */
import { constants } from 'node:fs';
import { open, realpath } from 'node:fs/promises';
import { basename, isAbsolute, relative, resolve } from 'node:path';
import { ToolError } from '@plugboard/protocol';

/** Whether `path` is `root` or lies below it. */
function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

function code(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null
    ? (error as { code?: string }).code
    : undefined;
}

export interface UploadSource {
  /** The file's name, for Slack. */
  readonly name: string;
  readonly bytes: Uint8Array;
}

/**
 * The contents of `requested` (relative to `dir`, or absolute inside it), at most `maxBytes`.
 * Anything that leaves the directory, by `..` or by a symbolic link, is refused.
 */
export async function readUploadFile(
  dir: string,
  requested: string,
  maxBytes: number,
): Promise<UploadSource> {
  if (requested.includes('\0')) throw new ToolError('path: contains a NUL character.');
  let root: string;
  try {
    root = await realpath(dir);
  } catch {
    throw new ToolError(
      `The upload directory ${dir} (--upload-dir) does not exist or cannot be read; the operator must fix it.`,
    );
  }
  const candidate = resolve(root, requested);
  if (!inside(root, candidate))
    throw new ToolError(
      `path: "${requested}" is outside the upload directory; give a path inside ${dir}.`,
    );
  let real: string;
  try {
    real = await realpath(candidate);
  } catch (error) {
    throw new ToolError(
      code(error) === 'ENOENT'
        ? `path: no file "${requested}" in the upload directory.`
        : `path: "${requested}" cannot be read (${code(error) ?? 'error'}).`,
    );
  }
  if (!inside(root, real))
    throw new ToolError(
      `path: "${requested}" is a symbolic link that leads outside the upload directory; only files inside ${dir} can be uploaded.`,
    );
  let handle;
  try {
    // O_NOFOLLOW: a link swapped in after the check is refused rather than followed.
    handle = await open(real, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (error) {
    throw new ToolError(`path: "${requested}" cannot be opened (${code(error) ?? 'error'}).`);
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile())
      throw new ToolError(`path: "${requested}" is not a regular file; upload files only.`);
    if (stats.size > maxBytes)
      throw new ToolError(
        `path: "${requested}" is ${stats.size} bytes, over the ${maxBytes}-byte upload limit.`,
      );
    if (stats.size === 0) throw new ToolError(`path: "${requested}" is empty.`);
    const bytes = new Uint8Array(stats.size);
    const { bytesRead } = await handle.read(bytes, 0, stats.size, 0);
    return { name: basename(real), bytes: bytes.subarray(0, bytesRead) };
  } finally {
    await handle.close();
  }
}
