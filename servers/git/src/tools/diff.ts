/**
 * @module
 * The three official diff tools: unstaged changes, staged changes, and the work tree against a
 * commit (or, beyond the official tool, a range `A..B` / `A...B`). All share the paged output
 * of `collectDiff`.
 */
import { structured, ToolError } from '@plugboard/protocol';
import { z } from 'zod';
import { defineTool, openRepo, type GitContext } from '../context.js';
import { collectDiff, diffShape, renderDiff, type DiffData } from '../diff.js';
import type { Repository } from '../repository.js';
import { resolveRevision, worktreePaths } from '../validate.js';
import { check, READ_ONLY, repoPath } from './common.js';

export const contextLines = z
  .number()
  .int()
  .min(0)
  .max(100_000)
  .optional()
  .describe('Lines of context around each change (default 3)');

export const pathsFilter = z
  .array(z.string().min(1))
  .max(1000)
  .optional()
  .describe(
    'Only these files or directories (relative to the work tree); taken literally, no globs',
  );

const patchOffset = z
  .number()
  .int()
  .min(0)
  .max(1_000_000_000)
  .optional()
  .describe('Byte offset into the patch: the next_offset a truncated result returned (default 0)');

const output = z.object(diffShape);

interface DiffArgs {
  repo_path: string;
  context_lines?: number | undefined;
  paths?: string[] | undefined;
  offset?: number | undefined;
}

async function runDiff(
  ctx: GitContext,
  repo: Repository,
  args: DiffArgs,
  command: string[],
  empty: string,
): Promise<ReturnType<typeof structured<DiffData>>> {
  const paths = args.paths === undefined ? [] : await worktreePaths(repo, args.paths, 'paths');
  const data = await collectDiff(repo, {
    command,
    contextLines: args.context_lines ?? 3,
    paths,
    offset: args.offset ?? 0,
    budget: ctx.config.outputBudget,
  });
  return structured(data, renderDiff(data, empty));
}

export const gitDiffUnstaged = defineTool({
  name: 'git_diff_unstaged',
  title: 'Diff of unstaged changes',
  description:
    'Shows changes in the work tree that are not yet staged: per-file line counts and the unified patch. ' +
    'Large patches are returned in slices; pass next_offset as offset to continue.',
  input: z.object({
    repo_path: repoPath,
    context_lines: contextLines,
    paths: pathsFilter,
    offset: patchOffset,
  }),
  output,
  annotations: READ_ONLY,
  auditTarget: ['repo_path'],
  async run(args, ctx) {
    const repo = await openRepo(ctx, args.repo_path);
    return runDiff(ctx, repo, args, ['diff'], 'No unstaged changes.');
  },
});

export const gitDiffStaged = defineTool({
  name: 'git_diff_staged',
  title: 'Diff of staged changes',
  description:
    'Shows changes staged for the next commit: per-file line counts and the unified patch. ' +
    'Large patches are returned in slices; pass next_offset as offset to continue.',
  input: z.object({
    repo_path: repoPath,
    context_lines: contextLines,
    paths: pathsFilter,
    offset: patchOffset,
  }),
  output,
  annotations: READ_ONLY,
  auditTarget: ['repo_path'],
  async run(args, ctx) {
    const repo = await openRepo(ctx, args.repo_path);
    return runDiff(ctx, repo, args, ['diff', '--cached'], 'No staged changes.');
  },
});

/** The object ids a diff target names: one commit (against the work tree) or a range. */
async function targetSelectors(repo: Repository, target: string): Promise<string[]> {
  const threeDots = target.indexOf('...');
  const twoDots = target.indexOf('..');
  if (threeDots === -1 && twoDots === -1) return [await resolveRevision(repo, target, 'target')];
  const split = threeDots !== -1 ? threeDots : twoDots;
  const left = target.slice(0, split) || 'HEAD';
  const right = target.slice(split + (threeDots !== -1 ? 3 : 2)) || 'HEAD';
  const from = await resolveRevision(repo, left, 'target');
  const to = await resolveRevision(repo, right, 'target');
  if (threeDots === -1) return [from, to];
  const base = await repo.run(['merge-base', from, to]);
  const oid = check(base, 'git merge-base', [0, 1]).stdout.toString('utf8').trim();
  if (oid === '')
    throw new ToolError(
      `${left} and ${right} have no common ancestor; use "${left}..${right}" instead.`,
    );
  return [oid, to];
}

export const gitDiff = defineTool({
  name: 'git_diff',
  title: 'Diff against a commit',
  description:
    'Shows differences between the work tree and a target commit, branch or tag, or between two commits ' +
    'with "A..B" (or "A...B" from their merge base): per-file line counts and the unified patch, paged by offset.',
  input: z.object({
    repo_path: repoPath,
    target: z
      .string()
      .min(1)
      .describe('Commit, branch or tag to compare the work tree with, or a range "A..B" / "A...B"'),
    context_lines: contextLines,
    paths: pathsFilter,
    offset: patchOffset,
  }),
  output,
  annotations: READ_ONLY,
  auditTarget: ['repo_path', 'target'],
  async run(args, ctx) {
    const repo = await openRepo(ctx, args.repo_path);
    const selectors = await targetSelectors(repo, args.target);
    return runDiff(ctx, repo, args, ['diff', ...selectors], `No differences with ${args.target}.`);
  },
});
