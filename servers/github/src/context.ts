/**
 * @module
 * What every GitHub tool, resource and prompt can reach: the operator's configuration, the lazily
 * built client, the repository policy, and {@link call}, the single way a handler talks to GitHub
 * (cancellation, a deadline, and error mapping included).
 */
import type { Octokit } from '@octokit/rest';
import type { UpstreamAccounts } from '@plugboard/kit/accounts';
import { callUpstream } from '@plugboard/kit/upstream';
import { toolFactory, type RequestContext } from '@plugboard/protocol';
import type { GithubConfig } from './config.js';
import { toToolError } from './errors.js';
import type { GithubClient } from './github.js';
import type { RepoPolicy } from './policy.js';

export interface GithubDeps {
  readonly config: GithubConfig;
  readonly github: GithubClient;
  readonly policy: RepoPolicy;
  /** Hosted with a GitHub OAuth app: each signed-in user's own account. */
  readonly accounts?: UpstreamAccounts | undefined;
}

export type GithubContext = RequestContext & GithubDeps;

export const defineTool = toolFactory<GithubDeps>();

/** Spread into every Octokit call: `octokit.rest.issues.get({ ...params, ...req })`. */
// A type alias, not an interface: Octokit's parameter types have an index signature that only aliases satisfy.
export type RequestOptions = { readonly request: { readonly signal: AbortSignal } };

/**
 * Runs `run` against GitHub for this request through the kit's {@link callUpstream}: it is
 * abandoned the moment the client cancels, after the operator's timeout, or when an answer passes
 * the body cap; Octokit and GraphQL failures become actionable `ToolError`s.
 */
export async function call<T>(
  ctx: GithubContext,
  run: (octokit: Octokit, req: RequestOptions) => Promise<T>,
): Promise<T> {
  const octokit = await ctx.github.octokit(ctx);
  return callUpstream(
    {
      upstream: 'GitHub',
      signal: ctx.signal,
      deadline: AbortSignal.timeout(ctx.config.timeoutMs),
      timeoutMs: ctx.config.timeoutMs,
      timeoutAdvice: 'Try again, or ask for less (a smaller page, a narrower query).',
      oversizeAdvice: 'Ask for less: a smaller page (perPage), a narrower query, one file or item.',
      toToolError: (error) =>
        toToolError(error, ctx.config.token !== undefined || ctx.accounts !== undefined),
    },
    (signal) => run(octokit, { request: { signal } }),
  );
}
