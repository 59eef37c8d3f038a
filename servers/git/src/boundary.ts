/**
 * @module
 * The repository boundary: which directories the tools may touch. The operator's `--repository`
 * paths are the ceiling; client roots may only narrow them (or, with no `--repository`, define
 * them). Every comparison is made on canonical paths (symlinks resolved) at path-segment
 * boundaries, so `/repos/app_evil` is not inside `/repos/app`.
 */
import { readdir, realpath } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { isWithin, narrowCeiling } from '@plugboard/kit/roots';
import { ToolError } from '@plugboard/protocol';

/** Shown whenever no repository is reachable: the operator has to act, not the model. */
export const HOW_TO_CONFIGURE =
  'No repository is configured for this server. The operator must start it with ' +
  '--repository /path/to/repo (repeatable; a directory that contains repositories also works), ' +
  'or use a client that shares its workspace folders as roots.';

/** The canonical form of an existing path, or undefined when it does not exist. */
export async function canonical(path: string): Promise<string | undefined> {
  try {
    return await realpath(path);
  } catch {
    return undefined;
  }
}

/**
 * The directories the tools may use. With both lists, each root inside a repository narrows it,
 * and each repository inside a root stays whole; nothing outside the repositories is added.
 */
export function allowedAreas(
  repositories: readonly string[],
  roots: readonly string[] | undefined,
): string[] {
  if (roots === undefined || roots.length === 0) return [...repositories];
  if (repositories.length === 0) return [...roots];
  return narrowCeiling(repositories, roots, (path) => path);
}

/** The area holding `path`, or undefined. */
export function areaOf(path: string, areas: readonly string[]): string | undefined {
  return areas.find((area) => isWithin(path, area));
}

/**
 * Resolves a path the model gave: relative paths are taken from the only allowed area when there
 * is exactly one (the official server used the process's working directory, which hosts leave
 * undefined), then canonicalised and checked against the areas.
 */
export async function resolveInside(
  input: string,
  areas: readonly string[],
  what: string,
  cwd: string,
): Promise<{ path: string; area: string }> {
  if (areas.length === 0) throw new ToolError(HOW_TO_CONFIGURE);
  if (input.includes('\0')) throw new ToolError(`The ${what} contains a NUL character.`);
  const base = areas.length === 1 ? areas[0]! : cwd;
  const absolute = resolve(base, input);
  const real = await canonical(absolute);
  if (real === undefined)
    throw new ToolError(`The ${what} ${JSON.stringify(input)} does not exist.`);
  const area = areaOf(real, areas);
  if (area === undefined) throw new ToolError(outsideMessage(input, areas));
  return { path: real, area };
}

/** The refusal for a path outside every allowed area, naming the areas so the model can retry. */
export function outsideMessage(input: string, areas: readonly string[]): string {
  return `Access denied: ${JSON.stringify(input)} is outside the repositories this server may use (${areas.join(', ')}).`;
}

/**
 * The canonical path for a new directory `directory` names (relative to `base`): inside an
 * allowed area but not an area itself, its parent existing, and itself absent or an empty
 * directory (never a symlink). For clone and worktree destinations.
 */
export async function newDirectoryInside(
  areas: readonly string[],
  directory: string,
  base: string,
  field: string,
): Promise<string> {
  if (areas.length === 0) throw new ToolError(HOW_TO_CONFIGURE);
  if (directory.includes('\0')) throw new ToolError(`${field} contains a NUL character.`);
  const absolute = resolve(base, directory);
  const parent = await canonical(dirname(absolute));
  if (parent === undefined)
    throw new ToolError(`The parent directory of ${JSON.stringify(directory)} does not exist.`);
  const destination = join(parent, basename(absolute));
  if (areaOf(destination, areas) === undefined || areas.includes(destination)) {
    throw new ToolError(
      `${field} must be a new directory inside the repositories this server may use (${areas.join(', ')}).`,
    );
  }
  const existing = await canonical(destination);
  if (existing !== undefined) {
    if (existing !== destination)
      throw new ToolError(
        `${JSON.stringify(directory)} is a symbolic link; choose a new directory.`,
      );
    const entries = await readdir(existing).catch(() => ['(not a directory)']);
    if (entries.length > 0)
      throw new ToolError(`${JSON.stringify(directory)} already exists and is not empty.`);
  }
  return destination;
}
