/**
 * @module
 * Completion of owners, repositories and branches for resource templates and prompt arguments.
 * Suggestions stay inside the allowlist; a failed lookup suggests nothing rather than failing.
 */
import type { Completer } from '@plugboard/protocol';
import { call, type GithubContext, type GithubDeps } from './context.js';
import { checkOwner, checkRepo } from './validate.js';

const matches = (prefix: string) => (candidate: string) =>
  candidate.toLowerCase().startsWith(prefix.toLowerCase());

async function quietly(run: () => Promise<string[]>): Promise<string[]> {
  try {
    return await run();
  } catch {
    return [];
  }
}

/** Repositories the token can reach that were pushed to most recently, as owner/name pairs. */
async function myRepositories(ctx: GithubContext): Promise<{ owner: string; name: string }[]> {
  const { data } = await call(ctx, (octokit, req) =>
    octokit.rest.repos.listForAuthenticatedUser({ per_page: 100, sort: 'pushed', ...req }),
  );
  return data.map((item) => ({ owner: item.owner.login, name: item.name }));
}

export const completeOwner: Completer<GithubDeps> = (value, { ctx }) =>
  quietly(async () => {
    const allowlist = ctx.config.allowlist;
    if (allowlist !== undefined) return allowlist.owners.filter(matches(value));
    const owners = new Set((await myRepositories(ctx)).map((item) => item.owner));
    return [...owners].filter(matches(value)).sort();
  });

export const completeRepo: Completer<GithubDeps> = (value, { arguments: args, ctx }) =>
  quietly(async () => {
    const owner = checkOwner(args.get('owner') ?? '');
    let names = (await myRepositories(ctx))
      .filter((item) => item.owner.toLowerCase() === owner.toLowerCase())
      .map((item) => item.name);
    if (names.length === 0) {
      const { data } = await call(ctx, (octokit, req) =>
        octokit.rest.repos.listForUser({ username: owner, per_page: 100, sort: 'pushed', ...req }),
      );
      names = data.map((item) => item.name);
    }
    const allowlist = ctx.config.allowlist;
    return names.filter(
      (name) => matches(value)(name) && (allowlist === undefined || allowlist.allows(owner, name)),
    );
  });

export const completeBranch: Completer<GithubDeps> = (value, { arguments: args, ctx }) =>
  quietly(async () => {
    const ref = await ctx.policy.target(
      ctx,
      checkOwner(args.get('owner') ?? ''),
      checkRepo(args.get('repo') ?? ''),
      'read',
    );
    const { data } = await call(ctx, (octokit, req) =>
      octokit.rest.repos.listBranches({ ...ref, per_page: 100, ...req }),
    );
    return data.map((branch) => branch.name).filter(matches(value));
  });
