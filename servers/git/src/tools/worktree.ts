/**
 * @module
 * Linked work trees, so that parallel agents can each have one: `git_worktree` lists them,
 * `git_add_worktree` makes one (on a new or an existing branch) in a new directory inside the
 * allowed area, and `git_remove_worktree` removes one, refusing uncommitted changes unless forced
 * on a server started with --allow-destructive.
 */
import { resolve } from 'node:path';
import { structured, ToolError } from '@plugboard/protocol';
import { z } from 'zod';
import { canonical, newDirectoryInside } from '../boundary.js';
import { currentAreas, defineTool, openRepo, requireDestructive } from '../context.js';
import { gitFailure } from '../errors.js';
import type { Repository } from '../repository.js';
import { safeLine, shortHash } from '../render.js';
import { checkRefName, resolveRevision } from '../validate.js';
import { check, LOCAL_WRITE, READ_ONLY, repoPath } from './common.js';

const worktreeSchema = z.object({
  path: z.string(),
  head: z.string().nullable(),
  branch: z.string().nullable(),
  bare: z.boolean(),
  detached: z.boolean(),
  locked: z.boolean(),
  prunable: z.boolean(),
});

type Worktree = z.infer<typeof worktreeSchema>;

/** Parses `git worktree list --porcelain -z`: attribute records, an empty record ends each tree. */
export function parseWorktrees(output: string): Worktree[] {
  const trees: Worktree[] = [];
  let current: Worktree | undefined;
  for (const record of output.split('\0')) {
    if (record === '') {
      if (current !== undefined) trees.push(current);
      current = undefined;
      continue;
    }
    const space = record.indexOf(' ');
    const key = space === -1 ? record : record.slice(0, space);
    const value = space === -1 ? '' : record.slice(space + 1);
    if (key === 'worktree') {
      current = {
        path: value,
        head: null,
        branch: null,
        bare: false,
        detached: false,
        locked: false,
        prunable: false,
      };
      continue;
    }
    if (current === undefined) continue;
    if (key === 'HEAD') current.head = value;
    else if (key === 'branch') current.branch = value.replace(/^refs\/heads\//, '');
    else if (key === 'bare') current.bare = true;
    else if (key === 'detached') current.detached = true;
    else if (key === 'locked') current.locked = true;
    else if (key === 'prunable') current.prunable = true;
  }
  if (current !== undefined) trees.push(current);
  return trees;
}

async function listWorktrees(repo: Repository): Promise<Worktree[]> {
  const output = check(
    await repo.run(['worktree', 'list', '--porcelain', '-z']),
    'git worktree list',
  );
  return parseWorktrees(output.stdout.toString('utf8'));
}

export const gitWorktree = defineTool({
  name: 'git_worktree',
  title: 'List worktrees',
  description:
    'Lists the work trees linked to this repository (path, checked-out branch or detached commit, locked/prunable).',
  input: z.object({
    repo_path: repoPath,
    action: z.enum(['list']).optional().describe('list (the only action)'),
  }),
  output: z.object({ worktrees: z.array(worktreeSchema) }),
  annotations: READ_ONLY,
  auditTarget: ['repo_path'],
  async run({ repo_path }, ctx) {
    const worktrees = await listWorktrees(await openRepo(ctx, repo_path));
    const lines = worktrees.map((tree) => {
      const state = tree.bare
        ? '(bare)'
        : tree.branch !== null
          ? `[${safeLine(tree.branch)}]`
          : '(detached)';
      const flags = [tree.locked ? 'locked' : '', tree.prunable ? 'prunable' : '']
        .filter((flag) => flag !== '')
        .join(' ');
      return `${safeLine(tree.path)} ${tree.head === null ? '' : shortHash(tree.head)} ${state}${flags === '' ? '' : ` ${flags}`}`;
    });
    return structured({ worktrees }, lines.join('\n'));
  },
});

export const gitAddWorktree = defineTool({
  name: 'git_add_worktree',
  title: 'Add a worktree',
  description:
    'Checks out a branch in a new linked work tree at path (a new directory inside the allowed repositories, relative ' +
    'to this repository), so that work can go on there in parallel. Give new_branch (started at base, default HEAD) ' +
    'or an existing branch that is not checked out elsewhere.',
  input: z.object({
    repo_path: repoPath,
    path: z.string().min(1).describe('Where the new work tree goes, e.g. "../app-login"'),
    branch: z.string().min(1).optional().describe('An existing branch to check out there'),
    new_branch: z.string().min(1).optional().describe('A branch to create and check out there'),
    base: z
      .string()
      .min(1)
      .optional()
      .describe('new_branch: branch, tag or commit to start from (default HEAD)'),
  }),
  output: z.object({ path: z.string(), branch: z.string(), commit: z.string() }),
  annotations: LOCAL_WRITE,
  auditTarget: ['repo_path', 'branch', 'new_branch', 'path'],
  async run(args, ctx) {
    const repo = await openRepo(ctx, args.repo_path);
    if ((args.branch === undefined) === (args.new_branch === undefined)) {
      throw new ToolError('Give exactly one of branch (existing) or new_branch (to create).');
    }
    if (args.branch !== undefined && args.base !== undefined) {
      throw new ToolError('base applies only to new_branch; an existing branch keeps its commit.');
    }
    const areas = await currentAreas(ctx);
    const path = await newDirectoryInside(areas, args.path, repo.dir, 'path');
    const command = ['worktree', 'add', '--quiet'];
    let branch: string;
    if (args.new_branch !== undefined) {
      branch = checkRefName(args.new_branch, 'new_branch');
      const commit = await resolveRevision(repo, args.base ?? 'HEAD', 'base');
      // `-b` takes the name as its own argument; a checked ref name never starts with "-".
      command.push('-b', branch, '--end-of-options', path, commit);
    } else {
      branch = checkRefName(args.branch!, 'branch');
      const exists = await repo.run(['rev-parse', '--verify', '--quiet', `refs/heads/${branch}`]);
      if (exists.exitCode !== 0) {
        throw new ToolError(
          `There is no local branch ${JSON.stringify(branch)}; pass it as new_branch to create it.`,
        );
      }
      command.push('--end-of-options', path, branch);
    }
    check(await repo.run(command), 'git worktree add');
    const added = await openRepo(ctx, path);
    const head = check(await added.run(['rev-parse', '--verify', 'HEAD']), 'git rev-parse');
    const commit = head.stdout.toString('utf8').trim();
    return structured(
      { path, branch, commit },
      `Added work tree ${path} on branch ${safeLine(branch)} (${shortHash(commit)}).`,
    );
  },
});

export const gitRemoveWorktree = defineTool({
  name: 'git_remove_worktree',
  title: 'Remove a worktree',
  description:
    'Removes a linked work tree of this repository (its directory and its administrative files; the branch stays). ' +
    'Refuses when it has uncommitted changes or untracked files, unless force is set on a server started with ' +
    '--allow-destructive. The main work tree cannot be removed.',
  input: z.object({
    repo_path: repoPath,
    path: z.string().min(1).describe('The linked work tree to remove, as git_worktree lists it'),
    force: z
      .boolean()
      .optional()
      .describe('Remove even with uncommitted changes (needs --allow-destructive)'),
  }),
  output: z.object({ path: z.string(), branch: z.string().nullable() }),
  annotations: { ...LOCAL_WRITE, destructiveHint: true },
  auditTarget: ['repo_path', 'path'],
  async run({ repo_path, path, force }, ctx) {
    const repo = await openRepo(ctx, repo_path);
    if (force === true) requireDestructive(ctx, 'Removing a work tree with uncommitted changes');
    const worktrees = await listWorktrees(repo);
    const wanted = await canonical(resolve(repo.dir, path));
    const index = worktrees.findIndex((tree) => tree.path === wanted);
    if (wanted === undefined || index === -1) {
      throw new ToolError(
        `${JSON.stringify(path)} is not a work tree of this repository; see git_worktree for the list.`,
      );
    }
    // git lists the main work tree first; removing it would remove the repository.
    if (index === 0) throw new ToolError('The main work tree cannot be removed.');
    const tree = worktrees[index]!;
    const command = ['worktree', 'remove'];
    if (force === true) command.push('--force');
    command.push('--end-of-options', tree.path);
    const result = await repo.run(command);
    if (result.exitCode !== 0) {
      const failure = gitFailure(result, 'git worktree remove');
      if (/contains modified or untracked files|use --force/.test(result.stderr)) {
        throw new ToolError(
          `${failure.message}\nCommit or stash the changes there first; force=true discards them and needs a ` +
            'server started with --allow-destructive.',
        );
      }
      throw failure;
    }
    return structured(
      { path: tree.path, branch: tree.branch },
      `Removed work tree ${tree.path}${tree.branch === null ? '' : ` (branch ${safeLine(tree.branch)} is kept)`}.`,
    );
  },
});
