/**
 * @module
 * Zip files for tests, written by yazl (a real zip writer). Hostile names are yazl's own entries
 * renamed after it checked them: yazl refuses `../x` and `/abs` itself, as a careful writer
 * should, so an attacker's archive is one whose names (or sizes) were changed after that check.
 */
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';

export interface ZipItem {
  name: string;
  /** File content; absent for a directory entry. */
  data?: string | Buffer;
  /** Unix mode with its type bits, e.g. 0o120777 for a symlink (whose data is its target). */
  mode?: number;
  /** Deflate the data (the default) or store it as it is. */
  compress?: boolean;
  /** The name to put in the archive instead of `name`, bypassing yazl's checks. */
  rawName?: string;
  /** An uncompressed size to declare instead of the real one (a lying header). */
  declaredSize?: number;
}

export async function writeZip(file: string, items: readonly ZipItem[]): Promise<void> {
  const zip = new yazl.ZipFile();
  const entries = (
    zip as unknown as { entries: { utf8FileName: Buffer; uncompressedSize: number }[] }
  ).entries;
  for (const item of items) {
    if (item.data === undefined) zip.addEmptyDirectory(item.name);
    else
      zip.addBuffer(Buffer.from(item.data), item.name, {
        compress: item.compress ?? true,
        ...(item.mode === undefined ? {} : { mode: item.mode }),
      });
    const entry = entries.at(-1)!;
    if (item.rawName !== undefined) entry.utf8FileName = Buffer.from(item.rawName);
    if (item.declaredSize !== undefined) entry.uncompressedSize = item.declaredSize;
  }
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(file));
}
