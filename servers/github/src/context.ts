/**
 * @module
 * What every GitHub tool, resource and prompt can reach: the operator's configuration, the lazily
 * built client, the repository policy, and {@link call}, the single way a handler talks to GitHub
 * (cancellation, a deadline, and error mapping included).
 */
import type { Octokit } from '@octokit/rest';
import { settleOrAbort, toolFactory, ToolError, type RequestContext } from '@plugboard/protocol';
import type { GithubConfig } from './config.js';
import { toToolError } from './errors.js';
import type { GithubClient } from './github.js';
import type { RepoPolicy } from './policy.js';

export interface GithubDeps {
  readonly config: GithubConfig;
  readonly github: GithubClient;
  readonly policy: RepoPolicy;
}

export type GithubContext = RequestContext & GithubDeps;

export const defineTool = toolFactory<GithubDeps>();

/** Spread into every Octokit call: `octokit.rest.issues.get({ ...params, ...req })`. */
// A type alias, not an interface: Octokit's parameter types have an index signature that only aliases satisfy.
export type RequestOptions = { readonly request: { readonly signal: AbortSignal } };

/**
 * Runs `run` against GitHub for this request: it is abandoned the moment the client cancels, and
 * after the operator's timeout; Octokit and GraphQL failures become actionable {@link ToolError}s.
 */
export async function call<T>(
  ctx: GithubContext,
  run: (octokit: Octokit, req: RequestOptions) => Promise<T>,
): Promise<T> {
  const octokit = await ctx.github.octokit();
  const deadline = AbortSignal.timeout(ctx.config.timeoutMs);
  const signal = AbortSignal.any([ctx.signal, deadline]);
  try {
    return await settleOrAbort(run(octokit, { request: { signal } }), signal);
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    if (deadline.aborted)
      throw new ToolError(
        `GitHub did not answer within ${Number((ctx.config.timeoutMs / 1000).toFixed(1))} seconds. Try again, or ask for less (a smaller page, a narrower query).`,
      );
    throw toToolError(error, ctx.config.token !== undefined) ?? error;
  }
}
