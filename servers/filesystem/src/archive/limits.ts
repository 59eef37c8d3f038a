/**
 * @module
 * The bounds on what one archive may hold before the server extracts it: how many entries, how
 * much one entry may expand, and (an operator's flag) how many bytes in all. They are checked
 * against the sizes the archive declares before anything is written; the reader then refuses any
 * entry whose data does not match its declared size, so a lying header cannot get past them.
 */

/** Entries one archive may have to be extracted, and the most create_archive writes. */
export const MAX_ARCHIVE_ENTRIES = 10_000;
/** How many times larger than its compressed data one entry may be... */
export const MAX_COMPRESSION_RATIO = 100;
/** ...once it is bigger than this (small files of one repeated byte are common and harmless). */
export const RATIO_FLOOR_BYTES = 1024 * 1024;
/** Default for --max-extract-bytes: the most one extraction writes in all. */
export const DEFAULT_EXTRACT_BYTES = 1024 * 1024 * 1024;

/** Why an entry of these declared sizes expands too much, or undefined. */
export function ratioProblem(size: number, compressedSize: number): string | undefined {
  if (size <= RATIO_FLOOR_BYTES) return undefined;
  const ratio = size / Math.max(compressedSize, 1);
  if (ratio <= MAX_COMPRESSION_RATIO) return undefined;
  return `expands ${Math.round(ratio)} times (more than ${MAX_COMPRESSION_RATIO})`;
}
