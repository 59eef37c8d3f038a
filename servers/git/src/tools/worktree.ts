/**
 * @module
 * `git_worktree`: the linked work trees of a repository, with their branch and state.
 */
import { structured } from '@plugboard/protocol';
import { z } from 'zod';
import { defineTool, openRepo } from '../context.js';
import { safeLine, shortHash } from '../render.js';
import { check, READ_ONLY, repoPath } from './common.js';

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
  async run({ repo_path }, ctx) {
    const repo = await openRepo(ctx, repo_path);
    const output = check(
      await repo.run(['worktree', 'list', '--porcelain', '-z']),
      'git worktree list',
    );
    const worktrees = parseWorktrees(output.stdout.toString('utf8'));
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
