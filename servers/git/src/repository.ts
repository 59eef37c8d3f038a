/**
 * @module
 * Opening a repository for one tool call, failing closed. The path the model gave is
 * canonicalised and checked against the allowed areas before any git process runs; then git
 * finds the repository (never above the area) and its work tree, git directory and common
 * directory are canonicalised and checked too, which catches a `.git` file, linked worktree,
 * submodule, `core.worktree` or alternates that point elsewhere. Finally the repository's own
 * configuration is checked for keys that would run programs. The result is cached per path and
 * revalidated with a few `stat` calls, so a tool call costs one git process, not three.
 */
import { lstat, readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { ToolError } from '@plugboard/protocol';
import { areaOf, canonical, outsideMessage, resolveInside } from './boundary.js';
import { runGit, type GitOutput, type RunnerSettings, type RunOptions } from './git-runner.js';
import { dubiousOwnership } from './errors.js';
import {
  dangerousKeys,
  parseConfigList,
  type ConfigEntry,
  type ConfigPurpose,
  type KeyEffect,
} from './hardening.js';

/** Where a repository lives, all paths canonical. */
export interface RepositoryLayout {
  /** The work tree, or undefined for a bare repository. */
  readonly worktree: string | undefined;
  readonly gitDir: string;
  readonly commonDir: string;
  /** Directories that objects/info/alternates borrows objects from. */
  readonly alternates: readonly string[];
}

/** A cached inspection, valid while the files it was read from are unchanged. */
export interface CachedRepository {
  readonly layout: RepositoryLayout;
  readonly config: readonly ConfigEntry[];
  readonly signature: string;
}

/** A repository opened for one call: where it is, and a way to run git in it. */
export interface Repository extends RepositoryLayout {
  /** Where git runs: the work tree, or the git directory of a bare repository. */
  readonly dir: string;
  run(args: readonly string[], options?: Partial<RunOptions>): Promise<GitOutput>;
}

export interface OpenOptions {
  readonly areas: readonly string[];
  readonly cwd: string;
  readonly settings: RunnerSettings;
  readonly cache: Map<string, CachedRepository>;
  readonly signal: AbortSignal;
  readonly purpose: ConfigPurpose;
}

const MAX_CACHED = 256;

async function fileSignature(path: string): Promise<string> {
  try {
    const info = await lstat(path);
    return `${info.ino}:${info.size}:${info.mtimeMs}:${info.ctimeMs}`;
  } catch {
    return '-';
  }
}

/** What must not change for a cached inspection to stay true. */
async function signatureOf(path: string, layout: RepositoryLayout | undefined): Promise<string> {
  if (layout === undefined) return '';
  const files = [
    layout.gitDir,
    join(layout.gitDir, 'config.worktree'),
    join(layout.commonDir, 'config'),
    join(layout.commonDir, 'config.worktree'),
    join(layout.commonDir, 'objects', 'info', 'alternates'),
  ];
  if (layout.worktree !== undefined) files.push(join(layout.worktree, '.git'));
  const parts = await Promise.all(files.map(fileSignature));
  return `${path}|${parts.join('|')}`;
}

async function discover(
  dir: string,
  area: string,
  options: OpenOptions,
): Promise<RepositoryLayout> {
  // Never look for a repository above the area: a directory inside a big outside repository
  // must not become that repository.
  const env = { GIT_CEILING_DIRECTORIES: dirname(area) };
  const result = await runGit(
    options.settings,
    dir,
    [
      'rev-parse',
      '--path-format=absolute',
      '--git-dir',
      '--git-common-dir',
      '--is-bare-repository',
      '--is-inside-work-tree',
      '--show-toplevel',
    ],
    { signal: options.signal, env },
  );
  if (result.stderr.includes('dubious ownership')) throw new ToolError(dubiousOwnership(dir));
  const lines = result.stdout.toString('utf8').split('\n');
  const [gitDir, commonDir, bare, insideWorkTree, toplevel] = lines;
  if (gitDir === undefined || gitDir === '' || commonDir === undefined || commonDir === '') {
    throw new ToolError(
      `${dir} is not a Git repository (nor inside one within the allowed area). ` +
        "Pass the path of a repository's work tree.",
    );
  }
  if (bare !== 'true' && insideWorkTree !== 'true') {
    throw new ToolError(
      `${dir} is not inside its repository's work tree (it is a .git directory, or core.worktree points ` +
        'elsewhere). Pass the path of the work tree.',
    );
  }
  const worktree = bare === 'true' ? undefined : toplevel;
  const realGitDir = await canonical(gitDir);
  const realCommonDir = await canonical(commonDir);
  const realWorktree =
    worktree === undefined || worktree === '' ? undefined : await canonical(worktree);
  if (
    realGitDir === undefined ||
    realCommonDir === undefined ||
    (bare !== 'true' && realWorktree === undefined)
  ) {
    throw new ToolError(`Could not resolve the repository at ${dir}.`);
  }
  return {
    worktree: realWorktree,
    gitDir: realGitDir,
    commonDir: realCommonDir,
    alternates: await readAlternates(realCommonDir),
  };
}

async function readAlternates(commonDir: string): Promise<string[]> {
  const objects = join(commonDir, 'objects');
  let text: string;
  try {
    text = await readFile(join(objects, 'info', 'alternates'), 'utf8');
  } catch {
    return [];
  }
  const directories: string[] = [];
  for (const line of text.split('\n')) {
    const entry = line.trim();
    if (entry === '' || entry.startsWith('#')) continue;
    // An alternate that does not exist cannot lend objects; one that does must be allowed.
    const real = await canonical(resolve(objects, entry));
    if (real !== undefined) directories.push(real);
  }
  return directories;
}

async function readConfig(dir: string, options: OpenOptions): Promise<ConfigEntry[]> {
  const result = await runGit(options.settings, dir, ['config', '--list', '--show-scope', '-z'], {
    signal: options.signal,
  });
  return parseConfigList(result.stdout.toString('utf8'));
}

function checkLayout(layout: RepositoryLayout, areas: readonly string[], input: string): void {
  const parts = [layout.worktree, layout.gitDir, layout.commonDir, ...layout.alternates];
  for (const part of parts) {
    if (part !== undefined && areaOf(part, areas) === undefined) {
      throw new ToolError(
        `${outsideMessage(input, areas)} Its Git data lives at ${part} (a .git file, linked worktree, ` +
          'submodule or alternates pointing outside).',
      );
    }
  }
}

function checkConfig(config: readonly ConfigEntry[], purpose: ConfigPurpose, input: string): void {
  const found = dangerousKeys(config, purpose);
  if (found.length === 0) return;
  const keys = (effect: KeyEffect): string[] =>
    found.filter((entry) => entry.effect === effect).map((entry) => entry.key);
  const runs = keys('runs');
  const reads = keys('reads');
  const effects = [
    runs.length === 0 ? '' : `${runs.join(', ')}, which would make Git run a program`,
    reads.length === 0 ? '' : `${reads.join(', ')}, which would make Git read a file it names`,
  ].filter((part) => part !== '');
  throw new ToolError(
    `Refusing to use ${JSON.stringify(input)}: its local Git configuration sets ${effects.join('; and ')}. ` +
      "Remove these keys from the repository's .git/config " +
      '(git config --local --unset <key>) if you trust them elsewhere.',
  );
}

/** Opens the repository at `input` for one tool call, or throws a ToolError saying why not. */
export async function openRepository(input: string, options: OpenOptions): Promise<Repository> {
  const { path, area } = await resolveInside(input, options.areas, 'repo_path', options.cwd);
  const info = await stat(path);
  const dir = info.isDirectory() ? path : dirname(path);
  let cached = options.cache.get(dir);
  if (cached !== undefined && (await signatureOf(dir, cached.layout)) !== cached.signature) {
    cached = undefined;
  }
  if (cached === undefined) {
    const layout = await discover(dir, area, options);
    // Check the layout before reading config: `git config` in a repository whose git directory
    // is outside would read that outside directory's files.
    checkLayout(layout, options.areas, input);
    // Taken before reading: a change made while reading invalidates the entry next time.
    const signature = await signatureOf(dir, layout);
    const config = await readConfig(layout.worktree ?? layout.gitDir, options);
    cached = { layout, config, signature };
    // Bounded: a model walking many subdirectories must not grow the cache without end.
    if (options.cache.size >= MAX_CACHED) options.cache.delete(options.cache.keys().next().value!);
    options.cache.set(dir, cached);
  }
  const { layout } = cached;
  checkLayout(layout, options.areas, input);
  checkConfig(cached.config, options.purpose, input);
  const runIn = layout.worktree ?? layout.gitDir;
  return {
    ...layout,
    dir: runIn,
    run: (args, runOptions) =>
      runGit(options.settings, runIn, args, { signal: options.signal, ...runOptions }),
  };
}
