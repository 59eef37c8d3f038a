/**
 * @module
 * Writes that cannot be redirected by a symlink. A new file is created exclusively (O_CREAT |
 * O_EXCL never follows a link); an existing file is replaced by writing a temporary file beside
 * it and renaming it over the name, which replaces the directory entry instead of writing through
 * it (so a hard link to a file elsewhere keeps its content). Appends open without following links
 * and refuse files with other hard links.
 */
import { randomBytes } from 'node:crypto';
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
  O_NOFOLLOW,
  O_NONBLOCK,
} from './safe-open.js';

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

/** Creates `target` exclusively; returns false when something appeared there first. */
async function createExclusive(
  target: ResolvedPath,
  data: string | Uint8Array,
  scope: Scope,
): Promise<boolean> {
  await assertNoUnicodeTwin(target.path);
  let handle: FileHandle;
  try {
    handle = await fs.open(target.path, CREATE_EXCLUSIVE, 0o666);
  } catch (error) {
    if (isCode(error, 'EEXIST')) return false;
    throw error;
  }
  try {
    assertDescriptorInside(handle.fd, scope, target.requested);
    await writeAll(handle, data);
  } catch (error) {
    await handle.close();
    await fs.unlink(target.path).catch(() => undefined);
    throw error;
  }
  await handle.close();
  return true;
}

/** A temporary name beside `target`, short enough for any file system. */
export function temporaryName(target: string): string {
  const base = path.basename(target);
  const stem =
    Buffer.byteLength(base) > 180
      ? Buffer.from(base)
          .subarray(0, 180)
          .toString('utf8')
          .replace(/\uFFFD+$/, '')
      : base;
  return path.join(path.dirname(target), `.${stem}.${randomBytes(6).toString('hex')}.tmp`);
}

async function replace(
  target: ResolvedPath,
  data: string | Uint8Array,
  scope: Scope,
): Promise<void> {
  const current = await fs.lstat(target.path);
  assertRegularFile(current, target.requested);
  const temporary = temporaryName(target.path);
  const handle = await fs.open(temporary, CREATE_EXCLUSIVE, 0o600);
  try {
    assertDescriptorInside(handle.fd, scope, target.requested);
    await writeAll(handle, data);
    await handle.chmod(current.mode & 0o7777);
    await handle.close();
    await fs.rename(temporary, target.path);
  } catch (error) {
    await handle.close().catch(() => undefined);
    await fs.unlink(temporary).catch(() => undefined);
    throw error;
  }
}

/** Writes the whole file. Returns whether it was created. */
export async function writeFileSafely(
  target: ResolvedPath,
  data: string | Uint8Array,
  scope: Scope,
): Promise<boolean> {
  assertParentExists(target);
  if (target.stats !== undefined) assertRegularFile(target.stats, target.requested);
  else if (await createExclusive(target, data, scope)) return true;
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
  else if (await createExclusive(target, data, scope)) return true;
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
