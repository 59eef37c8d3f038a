/**
 * @module
 * Opening files so that what is read or written is what was checked: reads open without
 * following a final symlink (O_NOFOLLOW) and without blocking on a FIFO (O_NONBLOCK), then check
 * the opened descriptor itself (a regular file, the same inode that was validated, and on Linux
 * its real path through /proc inside the sandbox). Special files are refused before any open.
 * These are single quick system calls, made synchronously: a promise per call costs more CPU
 * than the call itself, and reads of file contents yield to the event loop as they go.
 */
import {
  closeSync,
  constants,
  fstatSync,
  openSync,
  readlinkSync,
  readSync,
  type Stats,
} from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { ToolError } from '@plugboard/protocol';
import type { ResolvedPath, Scope } from '../sandbox/sandbox.js';
import { shown } from './errors.js';

/** O_NOFOLLOW and O_NONBLOCK do not exist on Windows; there, 0 leaves the flags unchanged. */
export const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0;
export const O_NONBLOCK = constants.O_NONBLOCK ?? 0;

export type EntryKind =
  'file' | 'directory' | 'symlink' | 'fifo' | 'socket' | 'block device' | 'character device';

export function kindOf(stats: Stats): EntryKind {
  if (stats.isFile()) return 'file';
  if (stats.isDirectory()) return 'directory';
  if (stats.isSymbolicLink()) return 'symlink';
  if (stats.isFIFO()) return 'fifo';
  if (stats.isSocket()) return 'socket';
  if (stats.isBlockDevice()) return 'block device';
  return 'character device';
}

/** Throws unless `stats` describe a regular file: directories, FIFOs, sockets and devices are refused up front. */
export function assertRegularFile(
  stats: Stats | undefined,
  requested: string,
): asserts stats is Stats {
  if (stats === undefined) throw new ToolError(`No such file: ${shown(requested)}`);
  const kind = kindOf(stats);
  if (kind === 'file') return;
  if (kind === 'directory')
    throw new ToolError(
      `${shown(requested)} is a directory; use list_directory to see what it holds`,
    );
  throw new ToolError(
    `${shown(requested)} is a ${kind}, not a regular file; it is refused because reading it could block or have side effects`,
  );
}

/**
 * Checks that an open descriptor really lies inside the scope. On Linux /proc/self/fd names the
 * file that was opened, whatever happened to the path since it was checked.
 */
export function assertDescriptorInside(fd: number, scope: Scope, requested: string): void {
  if (process.platform !== 'linux') return;
  let actual: string;
  try {
    actual = readlinkSync(`/proc/self/fd/${fd}`);
  } catch {
    return; // no /proc (a restricted container): the inode check still applies
  }
  if (!path.isAbsolute(actual) || scope.rootOf(actual) === undefined) {
    throw new ToolError(
      `Access denied: ${shown(requested)} changed while it was being opened and now leads outside the allowed directories`,
    );
  }
}

/** A file opened for reading by {@link openForRead}. */
export interface OpenedFile {
  readonly fd: number;
  readonly stats: Stats;
  close(): void;
}

/** Opens a validated regular file for reading; the caller closes it. */
export function openForRead(resolved: ResolvedPath, scope: Scope): OpenedFile {
  assertRegularFile(resolved.stats, resolved.requested);
  const expected = resolved.stats;
  const fd = openSync(resolved.path, constants.O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
  try {
    const stats = fstatSync(fd);
    assertRegularFile(stats, resolved.requested);
    if (stats.ino !== expected.ino || stats.dev !== expected.dev) {
      throw new ToolError(
        `${shown(resolved.requested)} changed while it was being opened; try again`,
      );
    }
    assertDescriptorInside(fd, scope, resolved.requested);
    return { fd, stats, close: () => closeSync(fd) };
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}

/** Reads a whole opened file whose size the caller has already capped. */
export function readWhole(file: OpenedFile): Buffer {
  const buffer = Buffer.allocUnsafe(file.stats.size);
  let length = 0;
  while (length < buffer.length) {
    const read = readSync(file.fd, buffer, length, buffer.length - length, length);
    if (read === 0) break;
    length += read;
  }
  return buffer.subarray(0, length);
}

/**
 * Refuses to create a name that differs from an existing entry only by Unicode normalisation
 * (`café` composed vs decomposed): on some file systems they are the same file, on others two
 * files that look identical.
 */
export async function assertNoUnicodeTwin(target: string): Promise<void> {
  const name = path.basename(target);
  // eslint-disable-next-line no-control-regex -- ASCII names have no normalisation variants
  if (/^[\x00-\x7f]*$/.test(name)) return;
  const wanted = name.normalize('NFC');
  let names: string[];
  try {
    names = await fs.readdir(path.dirname(target));
  } catch {
    return;
  }
  const twin = names.find((existing) => existing !== name && existing.normalize('NFC') === wanted);
  if (twin !== undefined) {
    throw new ToolError(
      `${shown(name)} differs from the existing entry ${shown(twin)} only by Unicode normalisation; use the existing name exactly`,
    );
  }
}
