/**
 * @module
 * The sandbox: which directories a request may touch, and the resolution of a requested path to
 * the real path it names. The operator's directories are the ceiling; a client's roots can only
 * narrow them (their intersection), never replace or widen them. Every path is checked segment by
 * segment after its symlinks are resolved, and only "does not exist" may fall back to checking
 * the nearest existing parent, so a link that leads out is always caught.
 */
import { lstatSync, readlinkSync, realpathSync, type Stats } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { askClientRoots, isWithin, narrowCeiling } from '@plugboard/kit/roots';
import { ToolError, type Logger, type RequestContext } from '@plugboard/protocol';
import { shown } from '../fs/errors.js';
import { expandHome, pathFormProblem } from './path-forms.js';

/** An allowed directory as it was written and as it really is (symlinks resolved). */
export interface AllowedDirectory {
  readonly given: string;
  readonly real: string;
}

export interface ResolvedPath {
  /** The path as the caller wrote it, for messages. */
  readonly requested: string;
  /** Absolute and real: every symlink resolved (in entry mode, all but the final name). */
  readonly path: string;
  /** The real allowed directory that contains `path`. */
  readonly root: string;
  /** `lstat` of `path`, or undefined when nothing is there. */
  readonly stats: Stats | undefined;
  /** How many trailing names of `path` do not exist yet (0 when it exists). */
  readonly missing: number;
}

export interface ResolveOptions {
  /**
   * `follow` (default): a final symlink is followed, and its target must be inside. `entry`: the
   * final name itself is meant (to move or delete a link, not its target); its parent is resolved.
   */
  final?: 'follow' | 'entry';
}

/** The allowed directories for one request, and path resolution against them. */
export interface Scope {
  readonly directories: readonly AllowedDirectory[];
  /** True when client roots narrowed the operator's directories. */
  readonly narrowed: boolean;
  resolve(input: string, options?: ResolveOptions): Promise<ResolvedPath>;
  /** The allowed directory containing a real absolute path, if any. */
  rootOf(realPath: string): string | undefined;
}

export interface Sandbox {
  /** The operator's directories: the ceiling. */
  readonly ceiling: readonly AllowedDirectory[];
  /** The scope of one request: the ceiling, narrowed by the client's roots when it has them. */
  scope(ctx: Pick<RequestContext, 'client' | 'listRoots'>): Promise<Scope>;
}

export interface SandboxOptions {
  directories: readonly AllowedDirectory[];
  homedir: string;
  /** Ask handshake-era clients for their roots and intersect (default true). */
  useClientRoots: boolean;
  logger: Logger;
  /** How long a client may take to answer roots/list before the operator's directories apply (default 10 s). */
  rootsTimeoutMs?: number;
}

const MAX_LINK_HOPS = 40;
const ROOTS_TIMEOUT_MS = 10_000;

/*
 * Resolution makes a few quick system calls per path, synchronously: a promise per call would
 * cost more CPU than the calls themselves, on the path of every tool call.
 */
function lstatOrUndefined(target: string): Stats | undefined {
  try {
    return lstatSync(target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function isNotFound(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}

function listOf(directories: readonly AllowedDirectory[]): string {
  return directories.map((directory) => directory.real).join(', ');
}

function createScope(
  directories: readonly AllowedDirectory[],
  narrowed: boolean,
  homedir: string,
): Scope {
  const outside = (input: string, why: string): ToolError =>
    new ToolError(
      `Access denied: ${shown(input)} ${why} (allowed: ${listOf(directories) || 'none'}). ` +
        'Use list_allowed_directories to see where this server may work.',
    );

  const rootOf = (realPath: string): string | undefined =>
    directories.find((directory) => isWithin(realPath, directory.real))?.real;

  const lexicallyInside = (absolute: string): boolean =>
    directories.some(
      (directory) => isWithin(absolute, directory.given) || isWithin(absolute, directory.real),
    );

  /** Form checks, `~`, relative paths against the allowed directories, then a lexical check: no I/O yet. */
  const absolute = (input: string): string => {
    const problem = pathFormProblem(input);
    if (problem !== undefined) throw new ToolError(`Invalid path ${shown(input)}: ${problem}`);
    if (directories.length === 0) throw outside(input, 'cannot be used: no directory is allowed');
    const expanded = expandHome(input, homedir);
    let resolved: string;
    if (path.isAbsolute(expanded)) resolved = path.resolve(expanded);
    else {
      const candidates = directories.map((directory) => path.resolve(directory.real, expanded));
      resolved = candidates.find(lexicallyInside) ?? candidates[0]!;
    }
    if (!lexicallyInside(resolved)) throw outside(input, 'is outside the allowed directories');
    return resolved;
  };

  const contained = (realPath: string, input: string): string => {
    const root = rootOf(realPath);
    if (root === undefined)
      throw outside(
        input,
        'leads through a symbolic link to a place outside the allowed directories',
      );
    return root;
  };

  const follow = async (input: string, target: string, hops: number): Promise<ResolvedPath> => {
    let real: string;
    try {
      real = realpathSync.native(target);
    } catch (error) {
      if (!isNotFound(error)) throw error;
      return missing(input, target, hops);
    }
    const root = contained(real, input);
    return { requested: input, path: real, root, stats: lstatSync(real), missing: 0 };
  };

  /** Nothing at `target`: either a dangling link (followed, if it stays inside) or new names under an existing directory. */
  const missing = async (input: string, target: string, hops: number): Promise<ResolvedPath> => {
    const own = lstatOrUndefined(target);
    if (own?.isSymbolicLink() === true) {
      if (hops >= MAX_LINK_HOPS)
        throw new ToolError(`${shown(input)}: too many levels of symbolic links`);
      const next = path.resolve(path.dirname(target), readlinkSync(target));
      if (!lexicallyInside(next))
        throw outside(input, 'is a symbolic link that points outside the allowed directories');
      return follow(input, next, hops + 1);
    }
    if (own !== undefined)
      throw new ToolError(`${shown(input)} changed while it was being checked; try again`);
    const rest: string[] = [];
    let current = target;
    for (;;) {
      const parent = path.dirname(current);
      if (parent === current)
        throw outside(input, 'has no existing directory inside the allowed directories');
      rest.unshift(path.basename(current));
      current = parent;
      if (lstatOrUndefined(current) === undefined) continue;
      let real: string;
      try {
        real = realpathSync.native(current);
      } catch (error) {
        if (!isNotFound(error)) throw error;
        throw new ToolError(
          `${shown(input)}: ${shown(current)} is a symbolic link whose target does not exist`,
        );
      }
      const root = contained(real, input);
      return {
        requested: input,
        path: path.join(real, ...rest),
        root,
        stats: undefined,
        missing: rest.length,
      };
    }
  };

  const entry = async (input: string, target: string): Promise<ResolvedPath> => {
    if (directories.some((directory) => directory.real === target || directory.given === target)) {
      throw new ToolError(
        `${shown(input)} is an allowed directory itself; this tool works on entries inside it`,
      );
    }
    const parent = await follow(input, path.dirname(target), 0);
    if (parent.stats === undefined)
      throw new ToolError(`No such directory: ${shown(path.dirname(input))}`);
    if (!parent.stats.isDirectory())
      throw new ToolError(`Not a directory: ${shown(path.dirname(input))}`);
    const full = path.join(parent.path, path.basename(target));
    const stats = lstatOrUndefined(full);
    return {
      requested: input,
      path: full,
      root: parent.root,
      stats,
      missing: stats === undefined ? 1 : 0,
    };
  };

  return {
    directories,
    narrowed,
    rootOf,
    async resolve(input, options = {}) {
      const target = absolute(input);
      return options.final === 'entry' ? entry(input, target) : follow(input, target, 0);
    },
  };
}

/** Client directories clipped to the ceiling: a client root inside an allowed directory, or an allowed directory inside a client root. */
export function intersect(
  ceiling: readonly AllowedDirectory[],
  client: readonly AllowedDirectory[],
): AllowedDirectory[] {
  return narrowCeiling(ceiling, client, (directory) => directory.real);
}

export function createSandbox(options: SandboxOptions): Sandbox {
  const { directories: ceiling, homedir, logger } = options;
  const full = createScope(ceiling, false, homedir);
  const state = { lastDecision: '' };

  const note = (decision: string, log: () => void): void => {
    if (decision === state.lastDecision) return;
    state.lastDecision = decision;
    log();
  };

  return {
    ceiling,
    async scope(ctx) {
      if (!options.useClientRoots) return full;
      const answer = await askClientRoots(ctx, {
        eras: 'handshake',
        timeoutMs: options.rootsTimeoutMs ?? ROOTS_TIMEOUT_MS,
        pathProblem: pathFormProblem,
      });
      if (answer.kind === 'none') return full;
      if (answer.kind === 'failed') {
        note('roots-failed', () =>
          logger.warn('the client did not answer roots/list; using the operator directories', {
            error: answer.error,
          }),
        );
        return full;
      }
      const accepted = answer.directories;
      const ignored = answer.ignored.map(({ uri, reason }) => `${uri.slice(0, 200)} (${reason})`);
      // A client that lists no usable root expresses no wish to narrow: the operator's directories stand.
      if (accepted.length === 0) {
        note(`none:${ignored.join('|')}`, () =>
          logger.info('client roots do not narrow the allowed directories', { ignored }),
        );
        return full;
      }
      const effective = intersect(ceiling, accepted);
      note(
        `roots:${effective.map((directory) => directory.real).join('|')}:${ignored.join('|')}`,
        () =>
          logger.info('client roots narrow the allowed directories', {
            allowed: effective.map((directory) => directory.real),
            clientRoots: accepted.map((directory) => directory.real),
            ignored,
          }),
      );
      return createScope(effective, true, homedir);
    },
  };
}

/** Resolves the operator's directories at start-up: `~` expanded, absolute, real, and each one a directory. */
export async function resolveAllowedDirectories(
  inputs: readonly string[],
  homedir: string,
): Promise<AllowedDirectory[]> {
  const result: AllowedDirectory[] = [];
  for (const input of inputs) {
    const problem = pathFormProblem(input);
    if (problem !== undefined)
      throw new Error(`allowed directory ${JSON.stringify(input)}: ${problem}`);
    const given = path.resolve(expandHome(input, homedir));
    let real: string;
    try {
      real = await fs.realpath(given);
    } catch {
      throw new Error(`allowed directory ${given} does not exist; create it or fix the path`);
    }
    if (!(await fs.stat(real)).isDirectory())
      throw new Error(`allowed directory ${given} is not a directory`);
    if (!result.some((directory) => directory.real === real)) result.push({ given, real });
  }
  return result;
}
