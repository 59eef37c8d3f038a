/**
 * @module
 * Branches: listing them (`git_branch`), creating one (`git_create_branch`), switching to a
 * branch or commit (`git_checkout`), deleting (`git_delete_branch`, unmerged only when forced on
 * a server with --allow-destructive) and renaming one (`git_rename_branch`). Names follow git's
 * ref-name rules and never start with `-`.
 */
import { jsonSize, structured, ToolError } from '@plugboard/protocol';
import { z } from 'zod';
import { defineTool, openRepo, requireDestructive } from '../context.js';
import { gitFailure } from '../errors.js';
import type { Repository } from '../repository.js';
import { safeLine, shortHash } from '../render.js';
import { checkRefName, isValidRefName, rejectOption, resolveRevision } from '../validate.js';
import {
  check,
  continuation,
  LOCAL_WRITE,
  offsetField,
  pageWithin,
  READ_ONLY,
  repoPath,
} from './common.js';

const branchSchema = z.object({
  name: z.string().describe('Short name: "main", or "origin/main" for remote-tracking branches'),
  type: z.enum(['local', 'remote']),
  commit: z.string(),
  current: z.boolean(),
  upstream: z.string().optional(),
  ahead: z.number().optional(),
  behind: z.number().optional(),
  upstream_gone: z.boolean().optional(),
  subject: z.string().describe('Subject of the commit the branch points to'),
});

type Branch = z.infer<typeof branchSchema>;

const BRANCH_FORMAT =
  '--format=%(refname)%00%(objectname)%00%(HEAD)%00%(upstream:short)%00%(upstream:track)%00%(symref)%00%(contents:subject)';

/** Parses `git for-each-ref` with {@link BRANCH_FORMAT}; symbolic refs such as origin/HEAD are skipped. */
export function parseBranches(output: string): Branch[] {
  const branches: Branch[] = [];
  for (const line of output.split('\n')) {
    if (line === '') continue;
    const [ref = '', commit = '', head = '', upstream = '', track = '', symref = '', subject = ''] =
      line.split('\0');
    if (symref !== '') continue;
    const local = ref.startsWith('refs/heads/');
    const branch: Branch = {
      name: ref.replace(/^refs\/(heads|remotes)\//, ''),
      type: local ? 'local' : 'remote',
      commit,
      current: head === '*',
      subject,
    };
    if (upstream !== '') branch.upstream = upstream;
    const ahead = /ahead (\d+)/.exec(track);
    const behind = /behind (\d+)/.exec(track);
    if (ahead !== null) branch.ahead = Number(ahead[1]);
    if (behind !== null) branch.behind = Number(behind[1]);
    if (track === '[gone]') branch.upstream_gone = true;
    branches.push(branch);
  }
  return branches;
}

function branchLine(branch: Branch): string {
  const track = [
    branch.upstream === undefined ? '' : safeLine(branch.upstream),
    branch.ahead === undefined ? '' : `ahead ${branch.ahead}`,
    branch.behind === undefined ? '' : `behind ${branch.behind}`,
    branch.upstream_gone === true ? 'gone' : '',
  ].filter((part) => part !== '');
  const upstream = track.length === 0 ? '' : ` [${track.join(', ')}]`;
  return `${branch.current ? '*' : ' '} ${safeLine(branch.name)} ${shortHash(branch.commit)}${upstream} ${safeLine(branch.subject)}`;
}

export const gitBranch = defineTool({
  name: 'git_branch',
  title: 'List branches',
  description:
    'Lists local, remote-tracking or all branches with their commit, upstream and ahead/behind counts; optionally only ' +
    'those that contain (or do not contain) a commit.',
  input: z.object({
    repo_path: repoPath,
    branch_type: z
      .enum(['local', 'remote', 'all'])
      .optional()
      .describe('Which branches: local (default), remote or all'),
    contains: z.string().optional().describe('Only branches that contain this commit'),
    not_contains: z.string().optional().describe('Only branches that do not contain this commit'),
    offset: offsetField,
  }),
  output: z.object({
    branches: z.array(branchSchema),
    current: z.string().nullable(),
    truncated: z.boolean(),
    next_offset: z.number().optional(),
  }),
  annotations: READ_ONLY,
  auditTarget: ['repo_path'],
  async run(args, ctx) {
    const repo = await openRepo(ctx, args.repo_path);
    const type = args.branch_type ?? 'local';
    const command = ['for-each-ref', BRANCH_FORMAT];
    if (args.contains !== undefined)
      command.push(`--contains=${await resolveRevision(repo, args.contains, 'contains')}`);
    if (args.not_contains !== undefined) {
      command.push(
        `--no-contains=${await resolveRevision(repo, args.not_contains, 'not_contains')}`,
      );
    }
    if (type !== 'remote') command.push('refs/heads/');
    if (type !== 'local') command.push('refs/remotes/');
    const branches = parseBranches(
      check(await repo.run(command), 'git for-each-ref').stdout.toString('utf8'),
    );
    const current = (await currentBranch(repo)) ?? null;
    const page = pageWithin(branches, args.offset ?? 0, ctx.config.outputBudget - 1024, jsonSize);
    const data = {
      branches: page.items,
      current,
      truncated: page.truncated,
      ...(page.next_offset === undefined ? {} : { next_offset: page.next_offset }),
    };
    const lines = page.items.map(branchLine);
    if (lines.length === 0) lines.push('No branches match.');
    return structured(data, lines.join('\n') + continuation(page, 'more branches'));
  },
});

/** The checked-out branch, or undefined when HEAD is detached. */
export async function currentBranch(repo: Repository): Promise<string | undefined> {
  const result = await repo.run(['symbolic-ref', '--quiet', '--short', 'HEAD']);
  return result.exitCode === 0 ? result.stdout.toString('utf8').trim() : undefined;
}

async function headCommit(repo: Repository): Promise<string | undefined> {
  const result = await repo.run(['rev-parse', '--verify', '--quiet', 'HEAD']);
  return result.exitCode === 0 ? result.stdout.toString('utf8').trim() : undefined;
}

export const gitCreateBranch = defineTool({
  name: 'git_create_branch',
  title: 'Create a branch',
  description:
    'Creates a new branch at base_branch (default: the current HEAD) without switching to it; use git_checkout to switch.',
  input: z.object({
    repo_path: repoPath,
    branch_name: z.string().min(1).describe('Name of the new branch, e.g. "feature/login"'),
    base_branch: z
      .string()
      .optional()
      .describe('Branch, tag or commit to start from (default: HEAD)'),
  }),
  output: z.object({ branch: z.string(), commit: z.string(), base: z.string() }),
  annotations: LOCAL_WRITE,
  auditTarget: ['repo_path', 'branch_name'],
  async run({ repo_path, branch_name, base_branch }, ctx) {
    const repo = await openRepo(ctx, repo_path);
    const name = checkRefName(branch_name, 'branch_name');
    const base = base_branch ?? 'HEAD';
    const commit = await resolveRevision(repo, base, 'base_branch');
    // The base goes in by name (verified above, never "-..."), so git sets up tracking for
    // remote-tracking bases as it would on the command line.
    check(await repo.run(['branch', '--end-of-options', name, base]), 'git branch');
    return structured(
      { branch: name, commit, base },
      `Created branch ${safeLine(name)} at ${shortHash(commit)} (from ${safeLine(base)}).`,
    );
  },
});

export const gitCheckout = defineTool({
  name: 'git_checkout',
  title: 'Switch branches',
  description:
    'Switches the work tree to a branch (creating a local branch that tracks origin/<name> when only the remote one ' +
    'exists), or to a commit or tag as a detached HEAD. Refuses when local changes would be overwritten.',
  input: z.object({
    repo_path: repoPath,
    branch_name: z
      .string()
      .min(1)
      .describe('Branch to switch to, or a commit or tag to check out detached'),
  }),
  output: z.object({ branch: z.string().nullable(), commit: z.string(), detached: z.boolean() }),
  annotations: { ...LOCAL_WRITE, idempotentHint: true },
  auditTarget: ['repo_path', 'branch_name'],
  async run({ repo_path, branch_name }, ctx) {
    const repo = await openRepo(ctx, repo_path);
    rejectOption(branch_name, 'branch_name');
    let switched = false;
    if (isValidRefName(branch_name)) {
      const local = await repo.run([
        'rev-parse',
        '--verify',
        '--quiet',
        `refs/heads/${branch_name}`,
      ]);
      const remotes = await repo.run([
        'for-each-ref',
        '--format=%(refname)',
        `refs/remotes/*/${branch_name}`,
      ]);
      const remoteCount = remotes.stdout
        .toString('utf8')
        .split('\n')
        .filter((line) => line !== '').length;
      if (local.exitCode === 0 || remoteCount === 1) {
        check(await repo.run(['switch', '--quiet', '--end-of-options', branch_name]), 'git switch');
        switched = true;
      }
    }
    if (!switched) {
      const oid = await resolveRevision(repo, branch_name, 'branch_name');
      check(await repo.run(['switch', '--quiet', '--detach', oid]), 'git switch');
    }
    const branch = (await currentBranch(repo)) ?? null;
    const commit = await headCommit(repo);
    if (commit === undefined) throw new ToolError('The checkout left no HEAD commit.');
    const text =
      branch === null
        ? `HEAD is now at ${shortHash(commit)} (detached).`
        : `Switched to branch ${safeLine(branch)} (${shortHash(commit)}).`;
    return structured({ branch, commit, detached: branch === null }, text);
  },
});

export const gitDeleteBranch = defineTool({
  name: 'git_delete_branch',
  title: 'Delete a branch',
  description:
    'Deletes a local branch. Refuses a branch whose commits are not merged into its upstream or HEAD, unless force is ' +
    'set on a server started with --allow-destructive; git refuses the current branch and one checked out in a worktree.',
  input: z.object({
    repo_path: repoPath,
    branch_name: z.string().min(1).describe('The local branch to delete'),
    force: z
      .boolean()
      .optional()
      .describe('Delete even if not merged, losing its commits (needs --allow-destructive)'),
  }),
  output: z.object({ branch: z.string(), commit: z.string() }),
  annotations: { ...LOCAL_WRITE, destructiveHint: true },
  auditTarget: ['repo_path', 'branch_name'],
  async run({ repo_path, branch_name, force }, ctx) {
    const repo = await openRepo(ctx, repo_path);
    const name = checkRefName(branch_name, 'branch_name');
    if (force === true) requireDestructive(ctx, 'Deleting an unmerged branch');
    const commit = await localBranchCommit(repo, name, 'branch_name');
    const command = ['branch', '--delete'];
    if (force === true) command.push('--force');
    const result = await repo.run([...command, '--end-of-options', name]);
    if (result.exitCode !== 0) {
      const failure = gitFailure(result, 'git branch --delete');
      if (/not fully merged/.test(result.stderr)) {
        throw new ToolError(
          `${failure.message}\nMerge it first (git_merge), or delete it with force=true on a server started with ` +
            `--allow-destructive; its commits stay reachable from the reflog for a while (${shortHash(commit)}).`,
        );
      }
      throw failure;
    }
    return structured(
      { branch: name, commit },
      `Deleted branch ${safeLine(name)} (was ${shortHash(commit)}).`,
    );
  },
});

export const gitRenameBranch = defineTool({
  name: 'git_rename_branch',
  title: 'Rename a branch',
  description:
    'Renames a local branch (its reflog and upstream setting move with it). Refuses when new_name already exists.',
  input: z.object({
    repo_path: repoPath,
    branch_name: z.string().min(1).describe('The local branch to rename'),
    new_name: z.string().min(1).describe('Its new name, e.g. "feature/login-v2"'),
  }),
  output: z.object({ branch: z.string(), previous: z.string(), commit: z.string() }),
  annotations: LOCAL_WRITE,
  auditTarget: ['repo_path', 'branch_name', 'new_name'],
  async run({ repo_path, branch_name, new_name }, ctx) {
    const repo = await openRepo(ctx, repo_path);
    const previous = checkRefName(branch_name, 'branch_name');
    const branch = checkRefName(new_name, 'new_name');
    const commit = await localBranchCommit(repo, previous, 'branch_name');
    check(
      await repo.run(['branch', '--move', '--end-of-options', previous, branch]),
      'git branch --move',
    );
    return structured(
      { branch, previous, commit },
      `Renamed branch ${safeLine(previous)} to ${safeLine(branch)} (${shortHash(commit)}).`,
    );
  },
});

/** The commit local branch `name` points to, or a ToolError saying there is no such branch. */
async function localBranchCommit(repo: Repository, name: string, field: string): Promise<string> {
  const result = await repo.run(['rev-parse', '--verify', '--quiet', `refs/heads/${name}`]);
  if (result.exitCode !== 0) {
    throw new ToolError(
      `${field}: there is no local branch ${JSON.stringify(name)} (see git_branch).`,
    );
  }
  return result.stdout.toString('utf8').trim();
}
