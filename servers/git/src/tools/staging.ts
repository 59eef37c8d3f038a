/**
 * @module
 * Preparing and recording commits: `git_add` (only paths inside the work tree, taken literally),
 * `git_reset` (unstage; moving the branch only with --allow-destructive) and `git_commit` (hooks
 * never run, like the official server's).
 */
import { structured, ToolError } from '@plugboard/protocol';
import { z } from 'zod';
import { defineTool, openRepo, requireDestructive } from '../context.js';
import type { Repository } from '../repository.js';
import { safeLine, shortHash } from '../render.js';
import { checkMessage, resolveRevision, worktreePaths } from '../validate.js';
import { check, LOCAL_WRITE, repoPath, LOCAL } from './common.js';

const filesField = z
  .array(z.string().min(1))
  .min(1)
  .max(1000)
  .describe('Paths relative to the work tree ("." for everything); taken literally, no globs');

export const gitAdd = defineTool({
  name: 'git_add',
  title: 'Stage files',
  description:
    'Stages files for the next commit: new, modified and deleted paths, or "." for every change. Paths must be inside the ' +
    'work tree; globs and pathspec magic are not interpreted.',
  input: z.object({ repo_path: repoPath, files: filesField }),
  output: z.object({
    staged: z.array(z.string()).describe('The paths staged, relative to the work tree'),
  }),
  annotations: { ...LOCAL_WRITE, idempotentHint: true },
  auditTarget: ['repo_path', 'files'],
  async run({ repo_path, files }, ctx) {
    const repo = await openRepo(ctx, repo_path);
    const paths = await worktreePaths(repo, files, 'files');
    check(await repo.run(['add', '--', ...paths]), 'git add');
    return structured({ staged: paths }, `Staged: ${paths.map(safeLine).join(', ')}`);
  },
});

async function hasHead(repo: Repository): Promise<boolean> {
  return (await repo.run(['rev-parse', '--verify', '--quiet', 'HEAD'])).exitCode === 0;
}

export const gitReset = defineTool({
  name: 'git_reset',
  title: 'Unstage or reset',
  description:
    'Unstages all staged changes (or only the given files), keeping the work tree as it is. With target (and mode), moves ' +
    'the current branch to another commit instead; that rewrites history and needs a server started with --allow-destructive.',
  input: z.object({
    repo_path: repoPath,
    files: filesField.optional().describe('Unstage only these paths (default: everything)'),
    target: z
      .string()
      .optional()
      .describe('Commit to move the current branch to (needs --allow-destructive)'),
    mode: z
      .enum(['soft', 'mixed', 'hard'])
      .optional()
      .describe(
        'With target: soft keeps changes staged, mixed (default) keeps them unstaged, hard discards them',
      ),
  }),
  output: z.object({ unstaged: z.array(z.string()).optional(), head: z.string().optional() }),
  auditTarget: ['repo_path', 'files', 'target'],
  annotations: LOCAL.REPLACE,
  async run({ repo_path, files, target, mode }, ctx) {
    const repo = await openRepo(ctx, repo_path);
    if (target !== undefined || mode !== undefined) {
      if (files !== undefined)
        throw new ToolError(
          'Give either files (to unstage) or target/mode (to move the branch), not both.',
        );
      requireDestructive(ctx, 'git_reset with a target or mode');
      const oid = await resolveRevision(repo, target ?? 'HEAD', 'target');
      check(await repo.run(['reset', '-q', `--${mode ?? 'mixed'}`, oid]), 'git reset');
      return structured(
        { head: oid },
        `HEAD is now at ${shortHash(oid)} (${mode ?? 'mixed'} reset).`,
      );
    }
    const paths = files === undefined ? [] : await worktreePaths(repo, files, 'files');
    if (await hasHead(repo)) {
      check(await repo.run(['reset', '-q', 'HEAD', '--', ...paths]), 'git reset', [0, 1]);
    } else {
      // Before the first commit there is no HEAD to reset to: unstage by removing from the index.
      check(
        await repo.run([
          'rm',
          '-r',
          '-q',
          '--cached',
          '--ignore-unmatch',
          '--',
          ...(paths.length === 0 ? ['.'] : paths),
        ]),
        'git rm --cached',
      );
    }
    const what = paths.length === 0 ? 'all changes' : paths.map(safeLine).join(', ');
    return structured({ unstaged: paths.length === 0 ? ['.'] : paths }, `Unstaged ${what}.`);
  },
});

export const gitCommit = defineTool({
  name: 'git_commit',
  title: 'Commit staged changes',
  description:
    'Records the staged changes as a new commit on the current branch with the given message and returns its hash. ' +
    'Repository hooks are not run.',
  input: z.object({
    repo_path: repoPath,
    message: z
      .string()
      .min(1)
      .max(100_000)
      .describe('Commit message: a subject line, optionally a blank line and a body'),
  }),
  output: z.object({ hash: z.string(), branch: z.string().nullable(), subject: z.string() }),
  annotations: LOCAL_WRITE,
  auditTarget: ['repo_path'],
  async run({ repo_path, message }, ctx) {
    const repo = await openRepo(ctx, repo_path);
    checkMessage(message, 'message');
    check(
      await repo.run([
        'commit',
        '--no-verify',
        '--quiet',
        '--cleanup=strip',
        `--message=${message}`,
      ]),
      'git commit',
    );
    const head = check(await repo.run(['log', '-1', '--format=%H%x00%s']), 'git log')
      .stdout.toString('utf8')
      .trim();
    const [hash = '', subject = ''] = head.split('\0');
    const branchOut = await repo.run(['symbolic-ref', '--quiet', '--short', 'HEAD']);
    const branch = branchOut.exitCode === 0 ? branchOut.stdout.toString('utf8').trim() : null;
    return structured(
      { hash, branch, subject },
      `Committed ${shortHash(hash)}${branch === null ? '' : ` on ${safeLine(branch)}`}: ${safeLine(subject)}`,
    );
  },
});
