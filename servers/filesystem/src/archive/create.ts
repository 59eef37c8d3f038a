/**
 * @module
 * Writing a zip file from files and directories inside the sandbox, like `zip -r`. Each source
 * is stored under its own name (a directory with everything in it); symlinks and special files
 * inside directories are skipped and counted, never followed. Every file is opened without
 * following links and checked to be a regular file as it is added. The archive is written to a
 * temporary file beside its path and linked into place whole (or renamed over an existing file
 * with overwrite), so a reader or a crash never sees half an archive.
 */
import { constants } from 'node:fs';
import fs, { type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ToolError } from '@plugboard/protocol';
import yazl from 'yazl';
import { shown } from '../fs/errors.js';
import { assertDescriptorInside, O_NOFOLLOW, O_NONBLOCK } from '../fs/safe-open.js';
import { isTemporaryName, sweepStaleTemporaries } from '../fs/temporary.js';
import { walk } from '../fs/walk.js';
import { writeThroughTemporary } from '../fs/write.js';
import type { ResolvedPath, Scope } from '../sandbox/sandbox.js';
import { MAX_ARCHIVE_ENTRIES } from './limits.js';

export interface ArchiveSource {
  /** Real path of an existing file or directory. */
  readonly path: string;
  readonly isDirectory: boolean;
}

export interface Creation {
  files: number;
  directories: number;
  /** Bytes of file data stored (before compression). */
  bytes: number;
  /** Size of the archive written. */
  archiveBytes: number;
  /** Symlinks and special files not stored. */
  skipped: number;
}

interface Item {
  /** Name in the archive, `/`-separated, with a trailing `/` for directories. */
  readonly name: string;
  readonly absolute: string;
  readonly directory: boolean;
}

async function collect(
  sources: readonly ArchiveSource[],
  exclude: string,
  signal: AbortSignal,
): Promise<{ items: Item[]; skipped: number }> {
  const items: Item[] = [];
  const names = new Set<string>();
  let skipped = 0;
  const add = (item: Item): void => {
    if (item.absolute === exclude || isTemporaryName(path.basename(item.absolute))) return;
    if (names.has(item.name))
      throw new ToolError(
        `Two sources would both be stored as ${shown(item.name)}; give sources with different names`,
      );
    names.add(item.name);
    items.push(item);
    if (items.length > MAX_ARCHIVE_ENTRIES)
      throw new ToolError(
        `The sources hold more than ${MAX_ARCHIVE_ENTRIES} entries; an archive holds at most that many`,
      );
  };
  for (const source of sources) {
    const base = path.basename(source.path);
    if (!source.isDirectory) {
      add({ name: base, absolute: source.path, directory: false });
      continue;
    }
    add({ name: `${base}/`, absolute: source.path, directory: true });
    await walk(source.path, true, { signal }, (entry) => {
      if (entry.type === 'directory') {
        add({ name: `${base}/${entry.relative}/`, absolute: entry.absolute, directory: true });
        return true;
      }
      if (entry.type === 'file')
        add({ name: `${base}/${entry.relative}`, absolute: entry.absolute, directory: false });
      else skipped++;
      return undefined;
    });
  }
  return { items, skipped };
}

/** Opens a file to store: no link followed, a regular file, inside the sandbox. */
async function openSource(
  item: Item,
  scope: Scope,
): Promise<{ stream: Readable; mode: number; mtime: Date; size: number }> {
  const handle = await fs.open(item.absolute, constants.O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
  try {
    const stats = await handle.stat();
    if (!stats.isFile())
      throw new ToolError(`${shown(item.absolute)} stopped being a regular file; try again`);
    assertDescriptorInside(handle.fd, scope, item.absolute);
    return {
      stream: handle.createReadStream(),
      mode: stats.mode,
      mtime: stats.mtime,
      size: stats.size,
    };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/**
 * Writes the zip file `target` holding `sources`. An existing `target` is replaced: the caller
 * has already refused that unless it was asked for.
 */
export async function writeArchive(
  target: ResolvedPath,
  sources: readonly ArchiveSource[],
  scope: Scope,
  signal: AbortSignal,
): Promise<Creation> {
  const { items, skipped } = await collect(sources, target.path, signal);
  await sweepStaleTemporaries(path.dirname(target.path));
  const result: Creation = { files: 0, directories: 0, bytes: 0, archiveBytes: 0, skipped };
  const fill = async (output: FileHandle): Promise<void> => {
    const zip = new yazl.ZipFile();
    const failed = new Promise<never>((_resolve, reject) => zip.on('error', reject));
    const written = pipeline(zip.outputStream, output.createWriteStream(), {
      signal,
    });
    const settled = Promise.race([written, failed]);
    settled.catch(() => undefined);
    for (const item of items) {
      signal.throwIfAborted();
      if (item.directory) {
        const stats = await fs.lstat(item.absolute);
        zip.addEmptyDirectory(item.name, { mtime: stats.mtime, mode: stats.mode });
        result.directories++;
        continue;
      }
      // The entry's mode and time are known only once the file is open: open it, hand its
      // stream over, and wait until it is read, so that one source descriptor is held at a time.
      const opened = await openSource(item, scope);
      zip.addReadStream(opened.stream, item.name, { mtime: opened.mtime, mode: opened.mode });
      result.files++;
      result.bytes += opened.size;
      try {
        await Promise.race([
          new Promise((resolve) => opened.stream.once('close', resolve)),
          settled,
        ]);
      } finally {
        opened.stream.destroy();
      }
    }
    zip.end();
    await settled;
  };
  await writeThroughTemporary(
    target.path,
    target.requested,
    scope,
    { mode: 0o666, replace: target.stats !== undefined },
    fill,
  );
  result.archiveBytes = (await fs.lstat(target.path)).size;
  return result;
}
