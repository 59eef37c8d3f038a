/**
 * @module
 * The temporary files every write goes through. They sit beside their target (the same
 * directory, so linking or renaming them into place is atomic) and all carry one recognisable
 * name: `.<name>.<12 hex>.plugboard.tmp`. A process killed mid-write leaves one behind; those
 * untouched for {@link STALE_AFTER_MS} are removed when the server starts (in each allowed
 * directory) and before each write in their directory. Younger ones may belong to a write in
 * progress, in this server or another, and are left alone.
 */
import fs from 'node:fs/promises';
import path from 'node:path';

/** How long a temporary file must have been left untouched before it counts as abandoned. */
export const STALE_AFTER_MS = 5 * 60 * 1000;
/** Longest stem kept from the target's name, in bytes, so the temporary name fits any file system. */
const MAX_STEM_BYTES = 180;
const SUFFIX = '.plugboard.tmp';
const PATTERN = /^\..*\.[0-9a-f]{12}\.plugboard\.tmp$/s;

/** Whether `name` (a bare file name) is one of our temporary files. */
export function isTemporaryName(name: string): boolean {
  return PATTERN.test(name);
}

/** A fresh temporary path beside `target`. */
export function temporaryName(target: string): string {
  const base = path.basename(target);
  const stem =
    Buffer.byteLength(base) > MAX_STEM_BYTES
      ? Buffer.from(base)
          .subarray(0, MAX_STEM_BYTES)
          .toString('utf8')
          .replace(/\uFFFD+$/, '')
      : base;
  return path.join(path.dirname(target), `.${stem}.${randomHex()}${SUFFIX}`);
}

/**
 * Removes the abandoned temporary files directly inside `directory` (a real, validated path);
 * returns how many. Only regular files with our name pattern are touched, never what a symlink
 * points at; a directory that cannot be read is left as it is.
 */
export async function sweepStaleTemporaries(
  directory: string,
  now: number = Date.now(),
): Promise<number> {
  let names: string[];
  try {
    names = await fs.readdir(directory);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of names) {
    if (!isTemporaryName(name)) continue;
    const candidate = path.join(directory, name);
    try {
      const stats = await fs.lstat(candidate);
      if (!stats.isFile() || now - stats.mtimeMs < STALE_AFTER_MS) continue;
      await fs.unlink(candidate);
      removed++;
    } catch {
      // Gone already, or not ours to remove: either way nothing to do.
    }
  }
  return removed;
}

/**
 * Six random bytes in hex, from the global Web Crypto: unlike an import of `node:crypto`, it
 * loads Node's crypto modules on the first write, not at start-up (a few milliseconds of every
 * cold start).
 */
function randomHex(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(6))).toString('hex');
}
