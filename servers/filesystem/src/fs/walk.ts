/**
 * @module
 * The directory walk behind directory_tree, search_files and search_file_contents, built for big
 * trees: breadth first, entries sorted per directory (so results and paging are stable), one
 * `readdir` with file types per directory and no `stat` or `realpath` per entry. The walk root is
 * validated by the sandbox; an entry a directory lists is a real directory inside it unless it is
 * a symlink, and symlinks are reported as symlinks and never descended. The work runs in slices
 * that yield to the event loop, so a cancellation is seen within milliseconds.
 */
import { readdirSync, readFileSync, type Dirent } from 'node:fs';
import path from 'node:path';
import type { Ignore } from 'ignore';

export type EntryType = 'file' | 'directory' | 'symlink' | 'other';

export interface WalkEntry {
  readonly name: string;
  /** Path from the walk root, `/`-separated. */
  readonly relative: string;
  readonly absolute: string;
  readonly type: EntryType;
  /** 1 for the walk root's own entries. */
  readonly depth: number;
}

/** The directory an entry was listed in: its absolute path with a trailing separator, and its relative path prefix. */
interface Listing {
  readonly base: string;
  readonly prefix: string;
}

/**
 * An entry whose paths are built only when asked for: most visitors need neither for most
 * entries, and on a tree of 50,000 entries two strings each are real allocation and GC work.
 */
class Entry implements WalkEntry {
  readonly name: string;
  readonly type: EntryType;
  readonly depth: number;
  readonly #listing: Listing;

  constructor(name: string, type: EntryType, depth: number, listing: Listing) {
    this.name = name;
    this.type = type;
    this.depth = depth;
    this.#listing = listing;
  }

  get relative(): string {
    return this.#listing.prefix + this.name;
  }

  get absolute(): string {
    return this.#listing.base + this.name;
  }
}

/** What a visitor answers for a directory: a value carried into it (descend), or one of these. */
export const SKIP = Symbol('skip');
export const STOP = Symbol('stop');

export type Visitor<T> = (entry: WalkEntry, parent: T) => T | typeof SKIP | typeof STOP | undefined;

export interface WalkOptions {
  /** Honour .gitignore files (and skip .git) from the allowed directory down. */
  gitignore?: { allowedRoot: string; create: () => Ignore } | undefined;
  signal: AbortSignal;
  /** Called with the number of entries visited so far, every {@link PROGRESS_EVERY} entries. */
  onProgress?: ((visited: number) => void) | undefined;
}

export const PROGRESS_EVERY = 2000;

export interface WalkResult<T> {
  /** False when the visitor stopped the walk. */
  completed: boolean;
  /** Values of directories that were queued but not read because the walk stopped. */
  pending: T[];
  /** Directories that could not be read (permissions, races, over-long paths). */
  unreadable: number;
  /** Of those, directories whose path is longer than the system allows (ENAMETOOLONG). */
  tooLong: number;
}

interface IgnoreRule {
  /** Absolute directory the .gitignore lives in. */
  base: string;
  rules: Ignore;
}

interface Pending<T> {
  absolute: string;
  relative: string;
  depth: number;
  value: T;
  ignores: readonly IgnoreRule[];
}

const SLICE_MS = 12;

function typeOf(dirent: Dirent): EntryType {
  if (dirent.isFile()) return 'file';
  if (dirent.isDirectory()) return 'directory';
  if (dirent.isSymbolicLink()) return 'symlink';
  return 'other';
}

function byName(a: Dirent, b: Dirent): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

function loadIgnore(directory: string, create: () => Ignore): IgnoreRule | undefined {
  let text: string;
  try {
    text = readFileSync(path.join(directory, '.gitignore'), 'utf8');
  } catch {
    return undefined;
  }
  return { base: directory, rules: create().add(text) };
}

function ignored(rules: readonly IgnoreRule[], absolute: string, isDirectory: boolean): boolean {
  for (const rule of rules) {
    const relative = absolute
      .slice(rule.base.length + 1)
      .split(path.sep)
      .join('/');
    if (relative !== '' && rule.rules.ignores(isDirectory ? `${relative}/` : relative)) return true;
  }
  return false;
}

/** .gitignore files of the directories between the allowed directory and the walk root (exclusive). */
function inheritedIgnores(root: string, allowedRoot: string, create: () => Ignore): IgnoreRule[] {
  const chain: string[] = [];
  let current = path.dirname(root);
  while (current.length >= allowedRoot.length && current.startsWith(allowedRoot)) {
    chain.unshift(current);
    if (current === allowedRoot) break;
    const parent = path.dirname(current);
    if (parent === current) break;
    current = parent;
  }
  if (root === allowedRoot) return [];
  return chain
    .map((directory) => loadIgnore(directory, create))
    .filter((rule) => rule !== undefined);
}

/**
 * Walks `root` breadth first, calling `visit` for each entry. For a directory, returning a value
 * descends into it carrying that value; SKIP (or undefined) does not; STOP ends the walk.
 */
export async function walk<T>(
  root: string,
  rootValue: T,
  options: WalkOptions,
  visit: Visitor<T>,
): Promise<WalkResult<T>> {
  const { gitignore, signal } = options;
  const queue: Pending<T>[] = [
    {
      absolute: root,
      relative: '',
      depth: 0,
      value: rootValue,
      ignores:
        gitignore === undefined
          ? []
          : inheritedIgnores(root, gitignore.allowedRoot, gitignore.create),
    },
  ];
  let unreadable = 0;
  let tooLong = 0;
  let visited = 0;
  let sliceStart = performance.now();
  const pause = async (): Promise<void> => {
    await new Promise((resolve) => setImmediate(resolve));
    signal.throwIfAborted();
    sliceStart = performance.now();
  };
  for (let head = 0; head < queue.length; head++) {
    if (performance.now() - sliceStart > SLICE_MS) await pause();
    const directory = queue[head]!;
    let dirents: Dirent[];
    try {
      // Synchronous on purpose: one readdir per directory in a tight loop is several times faster
      // than a promise per directory, and the slices above keep the event loop responsive.
      dirents = readdirSync(directory.absolute, { withFileTypes: true });
    } catch (error) {
      if (head === 0) throw error;
      unreadable++;
      if ((error as NodeJS.ErrnoException).code === 'ENAMETOOLONG') tooLong++;
      continue;
    }
    dirents.sort(byName);
    let ignores = directory.ignores;
    if (gitignore !== undefined && dirents.some((dirent) => dirent.name === '.gitignore')) {
      const own = loadIgnore(directory.absolute, gitignore.create);
      if (own !== undefined) ignores = [...ignores, own];
    }
    const listing: Listing = {
      prefix: directory.relative === '' ? '' : `${directory.relative}/`,
      base: directory.absolute.endsWith(path.sep)
        ? directory.absolute
        : directory.absolute + path.sep,
    };
    const depth = directory.depth + 1;
    for (const dirent of dirents) {
      // Visitors may do real work per entry (content search reads each file), so check the slice
      // here too; every 32 entries, as reading the clock per entry is measurable on big trees.
      if ((visited & 31) === 31 && performance.now() - sliceStart > SLICE_MS) await pause();
      const type = typeOf(dirent);
      const entry = new Entry(dirent.name, type, depth, listing);
      if (gitignore !== undefined) {
        if (type === 'directory' && dirent.name === '.git') continue;
        if (ignores.length > 0 && ignored(ignores, entry.absolute, type === 'directory')) continue;
      }
      visited++;
      if (visited % PROGRESS_EVERY === 0) options.onProgress?.(visited);
      const answer = visit(entry, directory.value);
      if (answer === STOP) {
        return {
          completed: false,
          pending: queue.slice(head + 1).map((item) => item.value),
          unreadable,
          tooLong,
        };
      }
      if (type === 'directory' && answer !== SKIP && answer !== undefined) {
        queue.push({
          absolute: entry.absolute,
          relative: entry.relative,
          depth,
          value: answer,
          ignores,
        });
      }
    }
  }
  return { completed: true, pending: [], unreadable, tooLong };
}
