/**
 * @module
 * Copying inside the sandbox. Bytes are read from a descriptor opened and checked like any read,
 * written to an exclusive temporary file beside the destination, then put in place: by a hard
 * link when nothing may be overwritten (which fails, atomically, if the name appeared meanwhile),
 * by a rename otherwise. A directory is copied into a temporary sibling and renamed into place
 * when complete, so a failure or a cancel half-way leaves nothing at the destination. Directory
 * copies never follow symlinks: links and special files are skipped and counted.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import fs, { type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { ToolError } from '@plugboard/protocol';
import type { ResolvedPath, Scope } from '../sandbox/sandbox.js';
import { shown } from './errors.js';
import {
  assertNoUnicodeTwin,
  assertRegularFile,
  O_NOFOLLOW,
  O_NONBLOCK,
  type OpenedFile,
} from './safe-open.js';
import { walk } from './walk.js';
import { sweepStaleTemporaries, temporaryName } from './temporary.js';
import { assertParentExists, CREATE_EXCLUSIVE, writeThroughTemporary } from './write.js';

const COPY_CHUNK = 1024 * 1024;
/** Entries one directory copy may hold; bigger trees are refused rather than half copied. */
export const MAX_COPY_ENTRIES = 100_000;

/** Copies every byte of the descriptor `source` into `target`; returns how many. */
async function pump(source: number, target: FileHandle): Promise<number> {
  const buffer = Buffer.allocUnsafe(COPY_CHUNK);
  let position = 0;
  for (;;) {
    const bytesRead = readSync(source, buffer, 0, COPY_CHUNK, position);
    if (bytesRead === 0) return position;
    await target.write(buffer, 0, bytesRead);
    position += bytesRead;
  }
}

/** Copies the open, checked `source` to `destination`. */
export async function copyFileInto(
  source: OpenedFile,
  destination: ResolvedPath,
  overwrite: boolean,
  scope: Scope,
): Promise<number> {
  assertParentExists(destination);
  if (destination.stats !== undefined) {
    if (!overwrite)
      throw new ToolError(
        `${shown(destination.requested)} already exists; pass overwrite: true to replace it`,
      );
    assertRegularFile(destination.stats, destination.requested);
  } else {
    await assertNoUnicodeTwin(destination.path);
  }
  await sweepStaleTemporaries(path.dirname(destination.path));
  let bytes = 0;
  await writeThroughTemporary(
    destination.path,
    destination.requested,
    scope,
    { mode: 0o600, replace: overwrite },
    async (target) => {
      bytes = await pump(source.fd, target);
      await target.chmod(source.stats.mode & 0o777);
    },
  );
  return bytes;
}

export interface TreeCopy {
  files: number;
  directories: number;
  bytes: number;
  /** Symlinks and special files, which are not copied. */
  skipped: number;
}

/** Copies the directory `source` (real, validated) to the new directory `destination`. */
export async function copyTree(
  source: string,
  destination: ResolvedPath,
  scope: Scope,
  signal: AbortSignal,
): Promise<TreeCopy> {
  assertParentExists(destination);
  if (destination.stats !== undefined)
    throw new ToolError(
      `${shown(destination.requested)} already exists; directories are copied only to a new name`,
    );
  if (destination.path === source || destination.path.startsWith(source + path.sep)) {
    throw new ToolError('A directory cannot be copied into itself');
  }
  const entries: { relative: string; type: string }[] = [];
  await walk(source, true, { signal }, (entry) => {
    entries.push({ relative: entry.relative, type: entry.type });
    if (entries.length > MAX_COPY_ENTRIES)
      throw new ToolError(
        `The directory holds more than ${MAX_COPY_ENTRIES} entries; copy it in parts`,
      );
    return true;
  });
  await assertNoUnicodeTwin(destination.path);
  // The copy is built under a temporary name beside the destination and renamed into place
  // whole: a failure or a cancel half-way removes it, and leaves nothing at the destination.
  const temporary = temporaryName(destination.path);
  await fs.mkdir(temporary);
  try {
    const result = await copyEntries(source, temporary, entries, signal);
    signal.throwIfAborted();
    // rename would replace an empty directory that appeared meanwhile; refuse anything there.
    if (
      await fs.lstat(destination.path).then(
        () => true,
        () => false,
      )
    )
      throw new ToolError(
        `${shown(destination.requested)} appeared while the directory was being copied; nothing was copied`,
      );
    await fs.rename(temporary, destination.path);
    return result;
  } catch (error) {
    await fs.rm(temporary, { recursive: true, force: true }).catch(() => undefined);
    throw error;
  }
}

/** Copies the walked `entries` of `source` into the new, empty directory `target`. */
async function copyEntries(
  source: string,
  target: string,
  entries: readonly { relative: string; type: string }[],
  signal: AbortSignal,
): Promise<TreeCopy> {
  const result: TreeCopy = { files: 0, directories: 1, bytes: 0, skipped: 0 };
  for (const entry of entries) {
    signal.throwIfAborted();
    const from = path.join(source, ...entry.relative.split('/'));
    const to = path.join(target, ...entry.relative.split('/'));
    if (entry.type === 'directory') {
      await fs.mkdir(to);
      result.directories++;
      continue;
    }
    if (entry.type !== 'file') {
      result.skipped++;
      continue;
    }
    const descriptor = openSync(from, constants.O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
    try {
      const stats = fstatSync(descriptor);
      if (!stats.isFile()) {
        result.skipped++;
        continue;
      }
      const copy = await fs.open(to, CREATE_EXCLUSIVE, stats.mode & 0o777);
      try {
        result.bytes += await pump(descriptor, copy);
      } finally {
        await copy.close();
      }
      result.files++;
    } finally {
      closeSync(descriptor);
    }
  }
  return result;
}
