/**
 * @module
 * The operator's local directory (`--local-dir`): the one place uploads are read from and
 * downloads written to, and nothing outside it. A name the model gives is resolved against the
 * directory's real path; the file's (or, for a new file, its folder's) real path after every
 * symbolic link must still lie inside; the file is then opened without following a link, and
 * the real path of the opened handle is checked again, so a file or folder swapped for a link
 * between the check and the open is refused rather than followed. Downloads are written to a
 * private temporary file beside the target and linked into place only when complete, never
 * over an existing file.
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { link, lstat, open, realpath, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { ToolError } from '@plugboard/protocol';

/** Whether `path` is `root` or lies below it. */
function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

function code(error: unknown): string {
  return typeof error === 'object' && error !== null && 'code' in error
    ? String(error.code)
    : 'error';
}

async function rootOf(dir: string): Promise<string> {
  try {
    return await realpath(dir);
  } catch {
    throw new ToolError(
      `The local directory ${dir} (--local-dir) does not exist or cannot be read; the operator must fix it.`,
    );
  }
}

/** `requested` inside `root` by name alone (`..` and absolute paths elsewhere are refused). */
function candidate(root: string, dir: string, requested: string): string {
  if (requested.includes('\0')) throw new ToolError('path: contains a NUL character.');
  const path = resolve(root, requested);
  if (!inside(root, path) || path === root)
    throw new ToolError(
      `path: "${requested}" is outside the local directory; give a file name inside ${dir}.`,
    );
  return path;
}

/** A file checked to lie inside the directory, not yet opened. */
export interface Resolved {
  /** The directory's real path. */
  readonly root: string;
  /** The file's real path (an existing file) or the path it will have (a new one). */
  readonly path: string;
  /** What the model asked for, for messages. */
  readonly requested: string;
}

/** An existing file in the directory, every link followed and checked. */
export async function resolveExisting(dir: string, requested: string): Promise<Resolved> {
  const root = await rootOf(dir);
  const path = candidate(root, dir, requested);
  let real: string;
  try {
    real = await realpath(path);
  } catch (error) {
    throw new ToolError(
      code(error) === 'ENOENT'
        ? `path: no file "${requested}" in the local directory (a link to nowhere counts as none).`
        : `path: "${requested}" cannot be read (${code(error)}).`,
    );
  }
  if (!inside(root, real))
    throw new ToolError(
      `path: "${requested}" is a symbolic link that leads outside the local directory; only files inside ${dir} can be used.`,
    );
  return { root, path: real, requested };
}

/** A new file's place in the directory: its folder exists, lies inside, and the name is free. */
export async function resolveNew(dir: string, requested: string): Promise<Resolved> {
  const root = await rootOf(dir);
  const path = candidate(root, dir, requested);
  let folder: string;
  try {
    folder = await realpath(dirname(path));
  } catch {
    throw new ToolError(
      `path: the folder of "${requested}" does not exist in the local directory; name an existing folder.`,
    );
  }
  if (!inside(root, folder))
    throw new ToolError(
      `path: the folder of "${requested}" is a symbolic link that leads outside the local directory.`,
    );
  const target = join(folder, basename(path));
  try {
    await lstat(target);
  } catch {
    return { root, path: target, requested };
  }
  throw new ToolError(
    `path: "${requested}" already exists in the local directory; choose another name.`,
  );
}

/**
 * Where an open handle really is. Linux names it under /proc; elsewhere the path that was
 * opened stands (the O_NOFOLLOW open still refuses a swapped-in final link).
 */
async function handlePath(handle: FileHandle, opened: string): Promise<string> {
  try {
    return await realpath(`/proc/self/fd/${handle.fd}`);
  } catch {
    return opened;
  }
}

/** Refuses `handle` (closing it) when what was opened is not inside the directory after all. */
async function confirmInside(handle: FileHandle, file: Resolved, expected: string): Promise<void> {
  const real = await handlePath(handle, expected);
  if (real !== expected || !inside(file.root, real)) {
    await handle.close();
    throw new ToolError(
      `path: "${file.requested}" changed into a link out of the local directory while it was opened; refused.`,
    );
  }
}

/** An existing file's handle for reading, with its size; only regular files. */
export async function openForReading(
  file: Resolved,
): Promise<{ handle: FileHandle; size: number }> {
  let handle: FileHandle;
  try {
    // O_NOFOLLOW: a link swapped in for the file after the check is refused rather than followed.
    handle = await open(file.path, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (error) {
    throw new ToolError(
      code(error) === 'ELOOP'
        ? `path: "${file.requested}" changed into a symbolic link after it was checked; refused.`
        : `path: "${file.requested}" cannot be opened (${code(error)}).`,
    );
  }
  await confirmInside(handle, file, file.path);
  const stats = await handle.stat();
  if (!stats.isFile()) {
    await handle.close();
    throw new ToolError(`path: "${file.requested}" is not a regular file; upload files only.`);
  }
  return { handle, size: stats.size };
}

/** A download in progress: a private temporary file beside the target. */
export interface PartialFile {
  readonly handle: FileHandle;
  /** Links the finished file into place (never over an existing file) and closes it. */
  commit(): Promise<void>;
  /** Closes and removes the temporary file (cancelled, failed, over the cap). */
  discard(): Promise<void>;
}

export async function createPartial(file: Resolved): Promise<PartialFile> {
  const temp = join(
    dirname(file.path),
    `.${basename(file.path)}.${randomBytes(6).toString('hex')}.part`,
  );
  let handle: FileHandle;
  try {
    handle = await open(
      temp,
      constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
      0o600,
    );
  } catch (error) {
    throw new ToolError(
      `path: cannot write in the folder of "${file.requested}" (${code(error)}).`,
    );
  }
  try {
    await confirmInside(handle, file, temp);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  let closed = false;
  const close = async (): Promise<void> => {
    if (!closed) await handle.close();
    closed = true;
  };
  return {
    handle,
    async commit() {
      await close();
      try {
        // link() fails when the name was taken meanwhile: nothing is overwritten.
        await link(temp, file.path);
      } catch (error) {
        throw new ToolError(
          code(error) === 'EEXIST'
            ? `path: "${file.requested}" already exists in the local directory; choose another name.`
            : `path: could not save "${file.requested}" (${code(error)}).`,
        );
      } finally {
        await unlink(temp).catch(() => undefined);
      }
    },
    async discard() {
      await close();
      await unlink(temp).catch(() => undefined);
    },
  };
}
