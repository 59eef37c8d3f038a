/**
 * @module
 * Bringing commits together: `git_merge`, `git_rebase` (never interactive; only with
 * --allow-destructive, since it rewrites commits) and `git_cherry_pick`. A conflict is a normal
 * outcome, not an error: the result lists the conflicted files and the next steps.
 */
import { structured, ToolError } from '@plugboard/protocol';
import { z } from 'zod';
import { defineTool, openRepo, requireDestructive } from '../context.js';
import type { Repository } from '../repository.js';
import { safeLine, shortHash, splitNul } from '../render.js';
import { checkMessage, resolveRevision } from '../validate.js';
import { check, LOCAL_WRITE, repoPath, LOCAL } from './common.js';
import { gitFailure } from '../errors.js';
import type { GitOutput } from '../git-runner.js';

const outcome = z.object({
  status: z
    .enum([
      'merged',
      'fast_forward',
      'up_to_date',
      'applied',
      'conflicts',
      'aborted',
      'continued',
      'skipped',
    ])
    .describe('What happened; "conflicts" means the operation is paused until they are resolved'),
  head: z.string().nullable().describe('HEAD after the operation'),
  conflicts: z.array(z.string()).optional().describe('Files with unresolved conflicts'),
});

type Outcome = z.infer<typeof outcome>;

async function head(repo: Repository): Promise<string | null> {
  const result = await repo.run(['rev-parse', '--verify', '--quiet', 'HEAD']);
  return result.exitCode === 0 ? result.stdout.toString('utf8').trim() : null;
}

async function conflicts(repo: Repository): Promise<string[]> {
  const result = await repo.run(['diff', '--name-only', '--diff-filter=U', '-z']);
  return splitNul(result.stdout.toString('utf8'));
}

/** The result of a step that may stop on conflicts; other failures become ToolErrors. */
async function settle(
  repo: Repository,
  result: GitOutput,
  action: string,
  success: Outcome['status'],
  operation: string,
): Promise<ReturnType<typeof structured<Outcome>>> {
  const files = await conflicts(repo);
  if (files.length > 0) {
    const data: Outcome = { status: 'conflicts', head: await head(repo), conflicts: files };
    return structured(
      data,
      `CONFLICT in ${files.length} file${files.length === 1 ? '' : 's'}:\n${files.map((file) => `  ${safeLine(file)}`).join('\n')}\n` +
        `Edit them, stage them with git_add, then call ${operation} with action "continue" (or "abort" to give up).`,
    );
  }
  if (result.exitCode !== 0) throw gitFailure(result, action);
  const now = await head(repo);
  return structured(
    { status: success, head: now },
    `${success.replace('_', ' ')}; HEAD is ${now === null ? 'unborn' : shortHash(now)}.`,
  );
}

const actionField = (extra: readonly string[]) =>
  z
    .enum(['start', 'continue', 'abort', ...extra] as [string, ...string[]])
    .optional()
    .describe(
      `start (default), or continue/abort${extra.length > 0 ? `/${extra.join('/')}` : ''} an operation paused on conflicts`,
    );

export const gitMerge = defineTool({
  name: 'git_merge',
  title: 'Merge a branch',
  description:
    'Merges a branch, tag or commit into the current branch (fast-forward when possible unless no_ff). On conflicts it ' +
    'stops and lists the files; resolve, git_add, then call again with action "continue", or "abort".',
  input: z.object({
    repo_path: repoPath,
    branch: z.string().optional().describe('Branch, tag or commit to merge (required for start)'),
    action: actionField([]),
    no_ff: z.boolean().optional().describe('Always create a merge commit'),
    ff_only: z
      .boolean()
      .optional()
      .describe('Only fast-forward; fail instead of creating a merge commit'),
    message: z
      .string()
      .optional()
      .describe('Message for the merge commit (default: Git\'s "Merge branch ...")'),
  }),
  output: outcome,
  annotations: LOCAL_WRITE,
  auditTarget: ['repo_path', 'branch'],
  async run(args, ctx) {
    const repo = await openRepo(ctx, args.repo_path);
    const action = args.action ?? 'start';
    if (action === 'abort') {
      check(await repo.run(['merge', '--abort']), 'git merge --abort');
      return structured({ status: 'aborted' as const, head: await head(repo) }, 'Merge aborted.');
    }
    if (action === 'continue') {
      const result = await repo.run(['merge', '--continue']);
      return settle(repo, result, 'git merge --continue', 'continued', 'git_merge');
    }
    if (args.branch === undefined) throw new ToolError('branch is required to start a merge.');
    if (args.no_ff === true && args.ff_only === true)
      throw new ToolError('no_ff and ff_only contradict each other.');
    // Verified by rev-parse (and never "-..."), then given by name so Git words the merge message.
    await resolveRevision(repo, args.branch, 'branch');
    const before = await head(repo);
    const command = ['merge', '--no-edit'];
    if (args.no_ff === true) command.push('--no-ff');
    if (args.ff_only === true) command.push('--ff-only');
    if (args.message !== undefined)
      command.push(`--message=${checkMessage(args.message, 'message')}`);
    command.push('--end-of-options', args.branch);
    const result = await repo.run(command);
    const settled = await settle(repo, result, 'git merge', 'merged', 'git_merge');
    const after = settled.structuredContent.head;
    if (settled.structuredContent.status !== 'merged') return settled;
    if (after === before)
      return structured({ status: 'up_to_date' as const, head: after }, 'Already up to date.');
    const parents = await repo.run(['rev-list', '--parents', '-n', '1', after ?? 'HEAD']);
    const merge = parents.stdout.toString('utf8').trim().split(' ').length > 2;
    const status = merge ? ('merged' as const) : ('fast_forward' as const);
    return structured(
      { status, head: after },
      `${merge ? 'Merged' : 'Fast-forwarded'}; HEAD is ${shortHash(after ?? '')}.`,
    );
  },
});

export const gitRebase = defineTool({
  name: 'git_rebase',
  title: 'Rebase the current branch',
  description:
    "Replays the current branch's commits onto upstream (or onto a given base), never interactively. It rewrites commits, " +
    'so it needs a server started with --allow-destructive; abort always works. On conflicts: resolve, git_add, "continue".',
  input: z.object({
    repo_path: repoPath,
    upstream: z
      .string()
      .optional()
      .describe('Branch or commit to rebase onto (required for start)'),
    onto: z
      .string()
      .optional()
      .describe('Put the commits onto this commit instead of upstream (git rebase --onto)'),
    action: actionField(['skip']),
  }),
  output: outcome,
  auditTarget: ['repo_path', 'upstream', 'onto'],
  annotations: LOCAL.UPDATE,
  async run(args, ctx) {
    const repo = await openRepo(ctx, args.repo_path);
    const action = args.action ?? 'start';
    if (action === 'abort') {
      check(await repo.run(['rebase', '--abort']), 'git rebase --abort');
      return structured({ status: 'aborted' as const, head: await head(repo) }, 'Rebase aborted.');
    }
    requireDestructive(ctx, 'git_rebase');
    if (action === 'continue' || action === 'skip') {
      const result = await repo.run(['rebase', `--${action}`]);
      const status = action === 'continue' ? 'continued' : 'skipped';
      return settle(repo, result, `git rebase --${action}`, status, 'git_rebase');
    }
    if (args.upstream === undefined) throw new ToolError('upstream is required to start a rebase.');
    const upstream = await resolveRevision(repo, args.upstream, 'upstream');
    const command = ['rebase', '--no-autosquash', '--no-verify'];
    if (args.onto !== undefined)
      command.push(`--onto=${await resolveRevision(repo, args.onto, 'onto')}`);
    command.push(upstream);
    const before = await head(repo);
    const result = await repo.run(command);
    const settled = await settle(repo, result, 'git rebase', 'applied', 'git_rebase');
    if (
      settled.structuredContent.status === 'applied' &&
      settled.structuredContent.head === before
    ) {
      return structured(
        { status: 'up_to_date' as const, head: before },
        'Current branch is up to date.',
      );
    }
    return settled;
  },
});

export const gitCherryPick = defineTool({
  name: 'git_cherry_pick',
  title: 'Cherry-pick commits',
  description:
    'Applies the changes of one or more existing commits onto the current branch as new commits (or only to the index with ' +
    'no_commit). On conflicts: resolve, git_add, then action "continue", "skip" or "abort".',
  input: z.object({
    repo_path: repoPath,
    commits: z
      .array(z.string().min(1))
      .min(1)
      .max(100)
      .optional()
      .describe('Commits to apply, oldest first (required for start)'),
    action: actionField(['skip']),
    no_commit: z
      .boolean()
      .optional()
      .describe('Apply the changes to the index and work tree without committing'),
  }),
  output: outcome,
  annotations: LOCAL_WRITE,
  auditTarget: ['repo_path', 'commits'],
  async run(args, ctx) {
    const repo = await openRepo(ctx, args.repo_path);
    const action = args.action ?? 'start';
    if (action !== 'start') {
      const result = await repo.run(['cherry-pick', `--${action}`]);
      if (action === 'abort') {
        check(result, 'git cherry-pick --abort');
        return structured(
          { status: 'aborted' as const, head: await head(repo) },
          'Cherry-pick aborted.',
        );
      }
      const status = action === 'continue' ? 'continued' : 'skipped';
      return settle(repo, result, `git cherry-pick --${action}`, status, 'git_cherry_pick');
    }
    if (args.commits === undefined)
      throw new ToolError('commits is required to start a cherry-pick.');
    const oids: string[] = [];
    for (const [index, commit] of args.commits.entries())
      oids.push(await resolveRevision(repo, commit, `commits[${index}]`));
    const command = ['cherry-pick'];
    if (args.no_commit === true) command.push('--no-commit');
    command.push(...oids);
    const result = await repo.run(command);
    return settle(repo, result, 'git cherry-pick', 'applied', 'git_cherry_pick');
  },
});
