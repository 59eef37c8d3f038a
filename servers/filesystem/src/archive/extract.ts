/**
 * @module
 * Extracting a zip file into a directory, all or nothing. Every entry is checked first, before
 * anything is written: safe names only (./names.ts), no symlinks or special files, the entry
 * count, each entry's expansion ratio and the total size (./limits.ts), no two entries at one
 * path, and nothing in the destination in the way (an existing file only with `overwrite`, never
 * a symlink or a file where a directory must go). Then directories are made one level at a time
 * and each file is written like any new file (a temporary file beside it, linked into place
 * whole; see ../fs/write.ts). If writing fails part way, everything this call created is removed
 * again and the error says so.
 */
import type { Stats } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ToolError } from '@plugboard/protocol';
import { shown, toToolError } from '../fs/errors.js';
import { assertNoUnicodeTwin, kindOf } from '../fs/safe-open.js';
import { sweepStaleTemporaries } from '../fs/temporary.js';
import { makeDirectoryLevel, writeThroughTemporary } from '../fs/write.js';
import type { Scope } from '../sandbox/sandbox.js';
import { formatSize } from '../fs/format.js';
import { MAX_ARCHIVE_ENTRIES } from './limits.js';
import type { ArchiveEntry, OpenArchive } from './reader.js';

/** Refusals named in one error; the rest are counted. */
const NAMED_REFUSALS = 10;

export interface ExtractOptions {
  /** The real destination directory (it exists, or its parent does and it is created). */
  destination: string;
  /** Replace existing files (never directories, links or special files). */
  overwrite: boolean;
  /** Most bytes to write in all. */
  maxBytes: number;
  scope: Scope;
  signal: AbortSignal;
  /** Called after each file with the bytes written so far. */
  onProgress?: ((bytes: number) => void) | undefined;
}

export interface Extraction {
  files: number;
  /** Directories this call created (the destination included, when it was created). */
  directories: number;
  bytes: number;
  /** Existing files that were replaced (only with overwrite). */
  replaced: number;
}

interface Plan {
  files: { entry: ArchiveEntry; relative: string; existing: boolean }[];
  /** Every directory to exist, parents before children, relative and `/`-separated. */
  directories: string[];
}

function listRefusals(refusals: string[], what: string): string {
  const named = refusals.slice(0, NAMED_REFUSALS).join('; ');
  const more =
    refusals.length > NAMED_REFUSALS ? `; and ${refusals.length - NAMED_REFUSALS} more` : '';
  return `${refusals.length} ${what}: ${named}${more}`;
}

async function lstatOrUndefined(target: string): Promise<Stats | undefined> {
  try {
    return await fs.lstat(target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Reads and checks every entry; throws what was refused, having written nothing. */
async function plan(archive: OpenArchive, options: ExtractOptions): Promise<Plan> {
  if (archive.entryCount > MAX_ARCHIVE_ENTRIES)
    throw new ToolError(
      `Refused: the archive has ${archive.entryCount} entries, more than the ${MAX_ARCHIVE_ENTRIES} one extraction may write. Nothing was written`,
    );
  const refusals: string[] = [];
  const kinds = new Map<string, 'file' | 'directory'>();
  const files: ArchiveEntry[] = [];
  let total = 0;
  for await (const entry of archive.entries()) {
    options.signal.throwIfAborted();
    if (entry.problem !== undefined || entry.segments === undefined) {
      refusals.push(`${shown(entry.name)} (${entry.problem})`);
      continue;
    }
    const relative = entry.segments.join('/');
    for (let depth = 1; depth < entry.segments.length; depth++) {
      const parent = entry.segments.slice(0, depth).join('/');
      if (kinds.get(parent) === 'file')
        refusals.push(`${shown(entry.name)} (inside ${shown(parent)}, which is also a file)`);
      kinds.set(parent, 'directory');
    }
    const kind = entry.type === 'directory' ? 'directory' : 'file';
    const earlier = kinds.get(relative);
    if (earlier !== undefined && (earlier === 'file' || kind === 'file')) {
      refusals.push(`${shown(entry.name)} (a second entry for ${shown(relative)})`);
      continue;
    }
    kinds.set(relative, kind);
    if (kind === 'file') {
      files.push(entry);
      total += entry.size;
    }
  }
  if (refusals.length > 0)
    throw new ToolError(
      `Refused to extract: ${listRefusals(refusals, 'unsafe entries')}. Nothing was written`,
    );
  if (total > options.maxBytes)
    throw new ToolError(
      `Refused: the archive expands to ${formatSize(total)}, more than the ${formatSize(options.maxBytes)} one extraction may write (--max-extract-bytes). Nothing was written`,
    );
  const directories = [...kinds]
    .filter(([, kind]) => kind === 'directory')
    .map(([relative]) => relative)
    .sort((a, b) => a.split('/').length - b.split('/').length);
  const blocked: string[] = [];
  for (const relative of directories) {
    const stats = await lstatOrUndefined(path.join(options.destination, ...relative.split('/')));
    if (stats !== undefined && !stats.isDirectory())
      blocked.push(`${shown(relative)} is a ${kindOf(stats)} where the archive has a directory`);
  }
  const planned: Plan['files'] = [];
  for (const entry of files) {
    const relative = entry.segments!.join('/');
    const stats = await lstatOrUndefined(path.join(options.destination, ...entry.segments!)).catch(
      () => undefined,
    );
    if (stats !== undefined && !stats.isFile())
      blocked.push(`${shown(relative)} is a ${kindOf(stats)} where the archive has a file`);
    else if (stats !== undefined && !options.overwrite)
      blocked.push(`${shown(relative)} already exists`);
    planned.push({ entry, relative, existing: stats !== undefined });
  }
  if (blocked.length > 0) {
    const hint = blocked.some((line) => line.endsWith('already exists'))
      ? ' (pass overwrite: true to replace existing files)'
      : '';
    throw new ToolError(
      `Refused to extract: ${listRefusals(blocked, 'paths in the destination are in the way')}${hint}. Nothing was written`,
    );
  }
  return { files: planned, directories };
}

/** Counts bytes and fails past `limit` (a second guard behind the reader's own size check). */
function sizeGuard(limit: number, name: string): Transform & { bytes: number } {
  const guard = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      guard.bytes += chunk.length;
      if (guard.bytes > limit)
        callback(new ToolError(`${shown(name)} holds more data than its declared size`));
      else callback(null, chunk);
    },
  }) as Transform & { bytes: number };
  guard.bytes = 0;
  return guard;
}

/** Writes one entry to `target` whole; returns the bytes written. */
async function writeEntry(
  archive: OpenArchive,
  entry: ArchiveEntry,
  target: string,
  replace: boolean,
  options: ExtractOptions,
): Promise<number> {
  if (!replace) await assertNoUnicodeTwin(target);
  const guard = sizeGuard(entry.size, entry.name);
  // Owners can always read and write what they extracted, whatever mode the archive recorded.
  const mode = (entry.mode ?? 0o666) | 0o600;
  await writeThroughTemporary(target, target, options.scope, { mode, replace }, async (handle) =>
    pipeline(await archive.openData(entry), guard, handle.createWriteStream(), {
      signal: options.signal,
    }),
  );
  return guard.bytes;
}

/** Extracts `archive` into `options.destination`, all of it or (after a failure) none of it. */
export async function extractInto(
  archive: OpenArchive,
  options: ExtractOptions,
): Promise<Extraction> {
  const { files, directories } = await plan(archive, options);
  const createdFiles: string[] = [];
  const createdDirectories: string[] = [];
  const replaced: string[] = [];
  let bytes = 0;
  let current = options.destination;
  try {
    if (await makeDirectoryLevel(options.destination)) createdDirectories.push(options.destination);
    else await sweepStaleTemporaries(options.destination);
    for (const relative of directories) {
      current = path.join(options.destination, ...relative.split('/'));
      if (await makeDirectoryLevel(current)) createdDirectories.push(current);
    }
    for (const { entry, relative, existing } of files) {
      current = path.join(options.destination, ...relative.split('/'));
      options.signal.throwIfAborted();
      bytes += await writeEntry(archive, entry, current, existing, options);
      (existing ? replaced : createdFiles).push(current);
      options.onProgress?.(bytes);
    }
  } catch (error) {
    for (const file of createdFiles.reverse()) await fs.unlink(file).catch(() => undefined);
    for (const directory of createdDirectories.reverse())
      await fs.rmdir(directory).catch(() => undefined);
    const reason =
      toToolError(error, current)?.message ??
      (options.signal.aborted
        ? 'cancelled'
        : shown(error instanceof Error ? error.message : String(error), 200));
    const undone =
      createdFiles.length + createdDirectories.length === 0
        ? 'nothing had been written'
        : `removed the ${createdFiles.length} files and ${createdDirectories.length} directories it had created`;
    const kept =
      replaced.length === 0
        ? ''
        : `; ${replaced.length} existing files had already been replaced: ${replaced
            .slice(0, NAMED_REFUSALS)
            .map((file) => shown(file))
            .join(', ')}${replaced.length > NAMED_REFUSALS ? ', ...' : ''}`;
    throw new ToolError(`Extraction failed at ${shown(current)}: ${reason}; ${undone}${kept}`);
  }
  return {
    files: createdFiles.length + replaced.length,
    directories: createdDirectories.length,
    bytes,
    replaced: replaced.length,
  };
}
