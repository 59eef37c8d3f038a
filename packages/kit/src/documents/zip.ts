/**
 * @module
 * Just enough of the ZIP format to read Office files (docx, xlsx, pptx, odt), with node:zlib and
 * no dependency. Office files are untrusted archives, so every limit is enforced while reading:
 * the number of entries, the inflated size of all entries together and the ratio of each (a few
 * kilobytes of deflate can claim gigabytes). ZIP64 and encrypted entries are refused; Office never
 * needs them for text.
 */
import { inflateRawSync } from 'node:zlib';
import { DocumentError } from './errors.js';

export interface ZipEntry {
  readonly name: string;
  readonly method: number;
  readonly flags: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly localOffset: number;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const MAX_ENTRIES = 20_000;
/** Entries this small may have any ratio: it is the large ones that bomb. */
const RATIO_FLOOR = 1024 * 1024;

/** What one archive may expand to. */
export interface InflateLimits {
  /** Most bytes inflated from the whole archive. */
  readonly maxInflatedBytes: number;
  /** Most inflated bytes per compressed byte of one entry, past {@link RATIO_FLOOR}. */
  readonly maxRatio: number;
}

function findEndOfCentralDirectory(zip: Buffer): number {
  // The record is 22 bytes plus a comment of at most 65535.
  const floor = Math.max(0, zip.length - 22 - 0xffff);
  for (let at = zip.length - 22; at >= floor; at--) {
    if (zip.readUInt32LE(at) === EOCD) return at;
  }
  throw new DocumentError('not a ZIP archive (no end of central directory)');
}

/** The entries of `zip`, by name. */
export function readDirectory(zip: Buffer): Map<string, ZipEntry> {
  if (zip.length < 22) throw new DocumentError('not a ZIP archive (too short)');
  const end = findEndOfCentralDirectory(zip);
  const count = zip.readUInt16LE(end + 10);
  const size = zip.readUInt32LE(end + 12);
  const offset = zip.readUInt32LE(end + 16);
  if (count === 0xffff || offset === 0xffffffff || size === 0xffffffff)
    throw new DocumentError('ZIP64 archives are not supported');
  if (count > MAX_ENTRIES)
    throw new DocumentError(`the archive has more than ${MAX_ENTRIES} entries`);
  if (offset + size > end)
    throw new DocumentError('the central directory lies outside the archive');
  const entries = new Map<string, ZipEntry>();
  let at = offset;
  for (let index = 0; index < count; index++) {
    if (at + 46 > end || zip.readUInt32LE(at) !== CENTRAL)
      throw new DocumentError('damaged central directory');
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    entries.set(name, {
      name,
      flags: zip.readUInt16LE(at + 8),
      method: zip.readUInt16LE(at + 10),
      compressedSize: zip.readUInt32LE(at + 20),
      size: zip.readUInt32LE(at + 24),
      localOffset: zip.readUInt32LE(at + 42),
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/**
 * The bytes of one entry, refusing to inflate past `maxBytes` or past `maxRatio` times its
 * compressed size.
 */
export function readEntry(
  zip: Buffer,
  entry: ZipEntry,
  maxBytes: number,
  maxRatio = Number.POSITIVE_INFINITY,
): Buffer {
  if ((entry.flags & 0x1) !== 0) throw new DocumentError(`${entry.name} is encrypted`);
  if (entry.size > maxBytes)
    throw new DocumentError(
      `${entry.name} expands to ${entry.size} bytes, more than the ${maxBytes} allowed`,
    );
  const ratioCap = Math.max(RATIO_FLOOR, entry.compressedSize * maxRatio);
  if (entry.size > ratioCap) throw overRatio(entry, maxRatio);
  const at = entry.localOffset;
  if (at + 30 > zip.length || zip.readUInt32LE(at) !== LOCAL)
    throw new DocumentError(`damaged local header for ${entry.name}`);
  const start = at + 30 + zip.readUInt16LE(at + 26) + zip.readUInt16LE(at + 28);
  const data = zip.subarray(start, start + entry.compressedSize);
  if (data.length < entry.compressedSize) throw new DocumentError(`${entry.name} is cut short`);
  if (entry.method === 0) return data;
  if (entry.method !== 8)
    throw new DocumentError(`${entry.name} uses compression method ${entry.method}`);
  const cap = Math.min(maxBytes, ratioCap);
  try {
    // The declared size can lie; the inflater itself stops at the cap.
    return inflateRawSync(data, { maxOutputLength: Math.max(1, cap) });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ERR_BUFFER_TOO_LARGE')
      throw new DocumentError(`${entry.name} is not valid deflate data`);
    if (cap < maxBytes) throw overRatio(entry, maxRatio);
    throw new DocumentError(`${entry.name} expands to more than the ${maxBytes} bytes allowed`);
  }
}

function overRatio(entry: ZipEntry, maxRatio: number): DocumentError {
  return new DocumentError(
    `${entry.name} expands more than ${maxRatio} times its compressed size of ${entry.compressedSize} bytes, which only a ZIP bomb does`,
  );
}

/**
 * Reads entries on demand with one budget for the whole archive: the total inflated size of
 * everything read stays under `maxInflatedBytes`, and no entry passes the ratio.
 */
export function openArchive(zip: Buffer, limits: InflateLimits) {
  const entries = readDirectory(zip);
  let used = 0;
  return {
    has: (name: string) => entries.has(name),
    names: () => [...entries.keys()],
    /** The entry as UTF-8 text, or undefined when the archive has no such entry. */
    text(name: string): string | undefined {
      const entry = entries.get(name);
      if (entry === undefined) return undefined;
      const bytes = readEntry(zip, entry, limits.maxInflatedBytes - used, limits.maxRatio);
      used += bytes.length;
      return bytes.toString('utf8');
    },
  };
}

export type Archive = ReturnType<typeof openArchive>;
