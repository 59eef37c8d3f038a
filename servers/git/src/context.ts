/**
 * @module
 * What every git tool can reach: the operator's settings, the runner settings, the repository
 * cache, and {@link openRepo}, the single way a tool gets at a repository (boundary, client
 * roots, hostile-config checks included).
 */
import { askClientRoots } from '@plugboard/kit/roots';
import { toolFactory, ToolError, type ToolContext } from '@plugboard/protocol';
import { allowedAreas, HOW_TO_CONFIGURE } from './boundary.js';
import type { RunnerSettings } from './git-runner.js';
import type { ConfigPurpose } from './hardening.js';
import { openRepository, type CachedRepository, type Repository } from './repository.js';

/** The operator's choices; nothing a client sends can change them. */
export interface GitServerConfig {
  /** Canonical `--repository` paths (repositories, or directories holding them). */
  readonly repositories: readonly string[];
  readonly allowRemote: boolean;
  readonly allowDestructive: boolean;
  readonly allowLocalRemotes: boolean;
  /** Most bytes of text one result may carry. */
  readonly outputBudget: number;
}

export interface GitDeps {
  readonly config: GitServerConfig;
  readonly runner: RunnerSettings;
  /** Inspections of opened repositories, revalidated on every use. */
  readonly cache: Map<string, CachedRepository>;
  /** Where relative paths resolve when several areas are allowed. */
  readonly cwd: string;
}

export type GitContext = ToolContext<GitDeps>;

export const defineTool = toolFactory<GitDeps>();

/** The client's roots as canonical directories, or undefined when it has none to offer. */
async function clientRoots(ctx: GitContext): Promise<string[] | undefined> {
  // Asked in every era: in 2026-07-28 the question is the protocol's input-required round.
  const answer = await askClientRoots(ctx, { eras: 'every' });
  if (answer.kind === 'none') return undefined;
  if (answer.kind === 'failed') {
    ctx.logger.warn('could not list client roots; using the configured repositories', {
      error: answer.error,
    });
    return undefined;
  }
  return answer.directories.map((directory) => directory.real);
}

/** The directories this call may touch: the configured repositories, narrowed by client roots. */
export async function currentAreas(ctx: GitContext): Promise<string[]> {
  const roots = await clientRoots(ctx);
  const areas = allowedAreas(ctx.config.repositories, roots);
  if (areas.length > 0) return areas;
  if (ctx.config.repositories.length === 0 && (roots === undefined || roots.length === 0)) {
    throw new ToolError(HOW_TO_CONFIGURE);
  }
  throw new ToolError(
    `The client's roots do not overlap the repositories this server may use (${ctx.config.repositories.join(', ')}).`,
  );
}

/** Opens `repoPath` for this call; `remote` adds the checks for talking to remotes. */
export async function openRepo(
  ctx: GitContext,
  repoPath: string,
  purpose: ConfigPurpose = 'local',
): Promise<Repository> {
  return openRepository(repoPath, {
    areas: await currentAreas(ctx),
    cwd: ctx.cwd,
    settings: ctx.runner,
    cache: ctx.cache,
    signal: ctx.signal,
    purpose,
  });
}

/** Refuses a remote operation the operator has not enabled. */
export function requireRemote(ctx: GitContext, what: string): void {
  if (!ctx.config.allowRemote) {
    throw new ToolError(
      `${what} talks to a remote, which is off on this server. The operator can enable it by starting the server with --allow-remote (or GIT_ALLOW_REMOTE=1).`,
    );
  }
}

/** Refuses force pushes and history rewriting unless the operator enabled them. */
export function requireDestructive(ctx: GitContext, what: string): void {
  if (!ctx.config.allowDestructive) {
    throw new ToolError(
      `${what} rewrites history or overwrites commits, which is off on this server. The operator can enable it by starting the server with --allow-destructive (or GIT_ALLOW_DESTRUCTIVE=1).`,
    );
  }
}
