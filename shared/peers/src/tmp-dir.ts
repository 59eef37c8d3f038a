/**
 * @module
 * Real temporary directories for tests that touch the file system, removed afterwards. Use with
 * `await using dir = await tmpDir()` or call `cleanup()` in `afterEach`.
 */
import { mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A directory that exists until `cleanup()`; `path` is canonical (symlinks such as /tmp resolved). */
export interface TmpDir {
  readonly path: string;
  /** Removes the directory and everything in it; safe to call twice. */
  readonly cleanup: () => Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Creates a fresh directory under the OS temp dir. The path is resolved through `realpath` because
 * servers that canonicalise paths (the filesystem server does) would otherwise report a different
 * spelling than the test expects.
 */
export async function tmpDir(prefix = 'plugboard-'): Promise<TmpDir> {
  const path = await realpath(await mkdtemp(join(tmpdir(), prefix)));
  const cleanup = (): Promise<void> => rm(path, { recursive: true, force: true, maxRetries: 3 });
  return { path, cleanup, [Symbol.asyncDispose]: cleanup };
}
