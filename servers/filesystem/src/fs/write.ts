/**
 * @module
 * Writes that cannot be redirected by a symlink and that a reader sees whole or not at all. Every
 * write goes to an exclusive temporary file beside the target (O_CREAT | O_EXCL never follows a
 * link) and is then put in place: a new file by a hard link, which fails if the name appeared
 * meanwhile (nothing is overwritten), an existing file by a rename over the name, which replaces
 * the directory entry instead of writing through it (so a hard link to a file elsewhere keeps its
 * content). A process killed mid-write leaves only a temporary file, removed later (see
 * ./temporary.ts). Appends open without following links and refuse files with other hard links.
 */
import { constants } from 'node:fs';
import fs, { type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { ToolError } from '@plugboard/protocol';
import type { ResolvedPath, Scope } from '../sandbox/sandbox.js';
import { shown } from './errors.js';
import {
  assertDescriptorInside,
  assertNoUnicodeTwin,
  assertRegularFile,
  kindOf,
  O_NOFOLLOW,
  O_NONBLOCK,
} from './safe-open.js';
import { sweepStaleTemporaries, temporaryName } from './temporary.js';

export const CREATE_EXCLUSIVE =
  constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | O_NOFOLLOW;

function isCode(error: unknown, code: string): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === code;
}

/** Refuses targets whose parent directories do not exist, with the fix in the message. */
export function assertParentExists(target: ResolvedPath): void {
  if (target.missing > 1) {
    throw new ToolError(
      `The parent directory of ${shown(target.requested)} does not exist; create it first with create_directory`,
    );
  }
}

async function writeAll(handle: FileHandle, data: string | Uint8Array): Promise<void> {
  if (typeof data === 'string') await handle.writeFile(data, 'utf8');
  else await handle.writeFile(data);
}

/**
 * Puts the finished temporary file at `destination` without overwriting anything: a hard link
 * fails with EEXIST, atomically, if the name exists. On file systems without hard links it falls
 * back to check-then-rename (rename replaces a link, never follows it).
 */
export async function linkIntoPlace(temporary: string, destination: string): Promise<void> {
  try {
    await fs.link(temporary, destination);
  } catch (error) {
    if (isCode(error, 'EEXIST')) throw error;
    try {
      await fs.lstat(destination);
    } catch {
      await fs.rename(temporary, destination);
      return;
    }
    throw Object.assign(new Error('destination exists'), { code: 'EEXIST' });
  }
  await fs.unlink(temporary);
}

export interface TemporaryWrite {
  /** Permission bits the temporary file is created with (the umask applies). */
  mode: number;
  /** Rename over an existing name; otherwise link into place, failing with EEXIST if it exists. */
  replace: boolean;
}

/**
 * The one way a file is written: `fill` writes a fresh temporary file beside `target` (created
 * exclusively, checked to lie inside the scope), which is then put at `target`, whole. `fill` may
 * close the handle (a write stream does). On any failure the temporary file is removed and the
 * error rethrown; `target` is untouched.
 */
export async function writeThroughTemporary(
  target: string,
  requested: string,
  scope: Scope,
  options: TemporaryWrite,
  fill: (handle: FileHandle) => Promise<void>,
): Promise<void> {
  const temporary = temporaryName(target);
  const handle = await fs.open(temporary, CREATE_EXCLUSIVE, options.mode);
  try {
    assertDescriptorInside(handle.fd, scope, requested);
    await fill(handle);
    await handle.close();
    if (options.replace) await fs.rename(temporary, target);
    else await linkIntoPlace(temporary, target);
  } catch (error) {
    await handle.close().catch(() => undefined);
    await fs.unlink(temporary).catch(() => undefined);
    throw error;
  }
}

/**
 * Creates one directory level; returns false when a directory was already there. mkdir never
 * follows a symlink at the name it creates, and anything else found there is refused.
 */
export async function makeDirectoryLevel(directory: string): Promise<boolean> {
  await assertNoUnicodeTwin(directory);
  try {
    await fs.mkdir(directory);
    return true;
  } catch (error) {
    if (!isCode(error, 'EEXIST')) throw error;
    const existing = await fs.lstat(directory);
    if (!existing.isDirectory())
      throw new ToolError(
        `${shown(directory)} appeared as a ${kindOf(existing)} while the directory was being created`,
      );
    return false;
  }
}

/** Creates `target` whole; returns false when something appeared there first. */
async function createAtomically(
  target: ResolvedPath,
  data: string | Uint8Array,
  scope: Scope,
): Promise<boolean> {
  await assertNoUnicodeTwin(target.path);
  try {
    await writeThroughTemporary(
      target.path,
      target.requested,
      scope,
      { mode: 0o666, replace: false },
      (handle) => writeAll(handle, data),
    );
    return true;
  } catch (error) {
    if (isCode(error, 'EEXIST')) return false;
    throw error;
  }
}

async function replace(
  target: ResolvedPath,
  data: string | Uint8Array,
  scope: Scope,
): Promise<void> {
  const current = await fs.lstat(target.path);
  assertRegularFile(current, target.requested);
  await writeThroughTemporary(
    target.path,
    target.requested,
    scope,
    { mode: 0o600, replace: true },
    async (handle) => {
      await writeAll(handle, data);
      await handle.chmod(current.mode & 0o7777);
    },
  );
}

/** Writes the whole file. Returns whether it was created. */
export async function writeFileSafely(
  target: ResolvedPath,
  data: string | Uint8Array,
  scope: Scope,
): Promise<boolean> {
  assertParentExists(target);
  await sweepStaleTemporaries(path.dirname(target.path));
  if (target.stats !== undefined) assertRegularFile(target.stats, target.requested);
  else if (await createAtomically(target, data, scope)) return true;
  await replace(target, data, scope);
  return false;
}

/** Appends to the file (creating it when missing). Returns whether it was created. */
export async function appendSafely(
  target: ResolvedPath,
  data: string,
  scope: Scope,
): Promise<boolean> {
  assertParentExists(target);
  if (target.stats !== undefined) assertRegularFile(target.stats, target.requested);
  else {
    await sweepStaleTemporaries(path.dirname(target.path));
    if (await createAtomically(target, data, scope)) return true;
  }
  const handle = await fs.open(
    target.path,
    constants.O_WRONLY | constants.O_APPEND | O_NOFOLLOW | O_NONBLOCK,
  );
  try {
    const stats = await handle.stat();
    assertRegularFile(stats, target.requested);
    if (
      target.stats !== undefined &&
      (stats.ino !== target.stats.ino || stats.dev !== target.stats.dev)
    ) {
      throw new ToolError(
        `${shown(target.requested)} changed while it was being opened; try again`,
      );
    }
    if (stats.nlink > 1) {
      throw new ToolError(
        `${shown(target.requested)} has ${stats.nlink} hard links; appending would change the other names too. Rewrite it with write_file instead`,
      );
    }
    assertDescriptorInside(handle.fd, scope, target.requested);
    await handle.appendFile(data, 'utf8');
  } finally {
    await handle.close();
  }
  return false;
}
