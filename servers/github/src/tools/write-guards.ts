/**
 * @module
 * The guards every commit-making tool applies before it writes: no commit under
 * `.github/workflows/` (code that runs in CI with the repository's secrets) and none straight to
 * the default branch, unless the operator allowed it.
 */
import { ToolError } from '@plugboard/protocol';
import type { GithubContext } from '../context.js';
import type { RepoRef } from '../policy.js';
import { checkRef, checkRepoPath } from '../validate.js';

/** Refuses paths where a commit would change CI, unless the operator allowed it. */
export function guardWorkflowPath(ctx: GithubContext, path: string): void {
  if (!ctx.config.allowWorkflowWrites && /^\.github\/workflows(\/|$)/i.test(path))
    throw new ToolError(
      `Refused: ${path} is a GitHub Actions workflow, and writing workflows changes code that runs in CI with the repository's secrets. ` +
        'The operator can allow it with --allow-workflow-writes (GITHUB_ALLOW_WORKFLOW_WRITES=1).',
    );
}

/** Refuses direct commits to the default branch, unless the operator allowed them. */
export async function guardDefaultBranch(
  ctx: GithubContext,
  target: RepoRef,
  branch: string,
): Promise<void> {
  if (ctx.config.allowDefaultBranchWrites) return;
  const { defaultBranch } = await ctx.policy.info(ctx, target);
  if (branch === defaultBranch)
    throw new ToolError(
      `Refused: ${branch} is the default branch of ${target.owner}/${target.repo}. Commit to a new branch (create_branch) and open a pull request, ` +
        'or the operator can allow direct commits with --allow-default-branch-writes (GITHUB_ALLOW_DEFAULT_BRANCH_WRITES=1).',
    );
}

/**
 * Where a one-file commit goes, checked: the repository (allowlist and private-to-public guard),
 * the path and branch (valid, not a workflow, not the default branch unless allowed).
 */
export async function oneFileCommit(
  ctx: GithubContext,
  args: { owner: string; repo: string; path: string; branch: string },
): Promise<{ target: RepoRef; path: string; branch: string }> {
  const target = await ctx.policy.target(ctx, args.owner, args.repo, 'write');
  const path = checkRepoPath(args.path);
  const branch = checkRef(args.branch, 'branch');
  guardWorkflowPath(ctx, path);
  await guardDefaultBranch(ctx, target, branch);
  return { target, path, branch };
}
