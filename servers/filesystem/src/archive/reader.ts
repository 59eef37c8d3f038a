/**
 * @module
 * Reading a zip file's central directory, one entry at a time. The archive is opened like any
 * read (a checked descriptor), names are decoded without yauzl's own validation so that unsafe
 * ones can be listed and explained (see ./names.ts), and each entry is described by what it is
 * (file, directory, symlink or other, from its Unix mode when the archive records one) and why it
 * could not be extracted, if it could not.
 */
import type { Readable } from 'node:stream';
import { ToolError } from '@plugboard/protocol';
import yauzl from 'yauzl';
import { shown } from '../fs/errors.js';
import { openForRead } from '../fs/safe-open.js';
import type { EntryType } from '../fs/walk.js';
import type { ResolvedPath, Scope } from '../sandbox/sandbox.js';
import { ratioProblem } from './limits.js';
import { entryPath } from './names.js';

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;
const DOS_DIRECTORY = 0x10;
/** Stored and deflated: the methods yauzl can read. */
const READABLE_METHODS = new Set([0, 8]);

export interface ArchiveEntry {
  /** The name as the archive stores it. */
  readonly name: string;
  /** Where it would go, relative and `/`-separated; undefined when the name is unsafe. */
  readonly segments: readonly string[] | undefined;
  readonly type: EntryType;
  /** Declared uncompressed size in bytes. */
  readonly size: number;
  readonly compressedSize: number;
  readonly modified: Date;
  /** Permission bits recorded for it, when the archive has Unix modes. */
  readonly mode: number | undefined;
  /** Why extract_archive refuses this entry, or undefined when it may be extracted. */
  readonly problem: string | undefined;
  readonly raw: yauzl.Entry;
}

export interface OpenArchive {
  /** Entries the archive says it has. */
  readonly entryCount: number;
  entries(): AsyncGenerator<ArchiveEntry>;
  /** The entry's data, checked against its declared size while it is read. */
  openData(entry: ArchiveEntry): Promise<Readable>;
  close(): void;
}

function typeOf(entry: yauzl.Entry, name: string): { type: EntryType; mode: number | undefined } {
  const unixMode = (entry.externalFileAttributes >>> 16) & 0xffff;
  const format = unixMode & S_IFMT;
  const mode = unixMode === 0 ? undefined : unixMode & 0o777;
  if (format === S_IFLNK) return { type: 'symlink', mode };
  if (format === S_IFDIR) return { type: 'directory', mode };
  if (format !== 0 && format !== S_IFREG) return { type: 'other', mode };
  if (name.endsWith('/') || (entry.externalFileAttributes & DOS_DIRECTORY) !== 0)
    return { type: 'directory', mode };
  return { type: 'file', mode };
}

function describe(entry: yauzl.Entry): ArchiveEntry {
  const name = yauzl.getFileNameLowLevel(
    entry.generalPurposeBitFlag,
    entry.fileNameRaw,
    entry.extraFields,
    true,
  );
  const { type, mode } = typeOf(entry, name);
  const where = entryPath(name);
  let problem = where.problem;
  if (problem === undefined) {
    if (type === 'symlink') problem = 'a symbolic link';
    else if (type === 'other') problem = 'a special file (device, FIFO or socket)';
    else if (entry.isEncrypted()) problem = 'encrypted';
    else if (type === 'file' && !READABLE_METHODS.has(entry.compressionMethod))
      problem = `compression method ${entry.compressionMethod} (only stored and deflated are supported)`;
    else if (type === 'file') problem = ratioProblem(entry.uncompressedSize, entry.compressedSize);
  }
  return {
    name,
    segments: where.segments,
    type,
    size: entry.uncompressedSize,
    compressedSize: entry.compressedSize,
    modified: entry.getLastModDate(),
    mode,
    problem,
    raw: entry,
  };
}

function nextEntry(zip: yauzl.ZipFile): Promise<yauzl.Entry | undefined> {
  return new Promise((resolve, reject) => {
    const cleanup = (): void => {
      zip.off('entry', onEntry).off('end', onEnd).off('error', onError);
    };
    const onEntry = (entry: yauzl.Entry): void => {
      cleanup();
      resolve(entry);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(undefined);
    };
    const onError = (error: Error): void => {
      cleanup();
      reject(error);
    };
    zip.on('entry', onEntry).on('end', onEnd).on('error', onError);
    zip.readEntry();
  });
}

/** yauzl's messages for a damaged archive, as one error the model can act on. */
function damaged(requested: string, error: unknown): ToolError {
  const reason = error instanceof Error ? error.message : String(error);
  return new ToolError(`${shown(requested)} is not a readable zip file: ${shown(reason, 200)}`);
}

/** Opens the zip file at `resolved` (a validated, existing path); the caller closes it. */
export async function openArchive(resolved: ResolvedPath, scope: Scope): Promise<OpenArchive> {
  const file = openForRead(resolved, scope);
  let zip: yauzl.ZipFile;
  try {
    zip = await new Promise<yauzl.ZipFile>((resolve, reject) => {
      yauzl.fromFd(
        file.fd,
        { lazyEntries: true, decodeStrings: false, validateEntrySizes: true, autoClose: false },
        (error, opened) => (error === null ? resolve(opened) : reject(error)),
      );
    });
  } catch (error) {
    file.close();
    throw damaged(resolved.requested, error);
  }
  return {
    entryCount: zip.entryCount,
    async *entries() {
      for (;;) {
        let entry: yauzl.Entry | undefined;
        try {
          entry = await nextEntry(zip);
        } catch (error) {
          throw damaged(resolved.requested, error);
        }
        if (entry === undefined) return;
        yield describe(entry);
      }
    },
    async openData(entry) {
      try {
        return await zip.openReadStreamPromise(entry.raw);
      } catch (error) {
        throw damaged(resolved.requested, error);
      }
    },
    // yauzl owns the descriptor now: it closes it once the archive and its streams are closed.
    close() {
      zip.close();
    },
  };
}
