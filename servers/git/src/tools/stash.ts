/**
 * @module
 * `git_stash`: set work-tree changes aside (push), bring them back (pop or apply), list what is
 * stashed, or throw entries away (drop one, clear all: with --allow-destructive, since a dropped
 * stash is lost). Stash entries are addressed by index only, never by a free-form string.
 */
import { structured, ToolError } from '@plugboard/protocol';
import { z } from 'zod';
import { defineTool, openRepo, requireDestructive } from '../context.js';
import { safeLine, shortHash, splitNul } from '../render.js';
import { checkMessage } from '../validate.js';
import { check, LOCAL_WRITE, repoPath } from './common.js';

const entrySchema = z.object({
  index: z.number().describe('Use as index to pop or apply this entry'),
  hash: z.string(),
  message: z.string(),
  date: z.string().describe('When it was stashed, ISO 8601'),
});

type Entry = z.infer<typeof entrySchema>;

/** Parses `git stash list -z --format=%gd%x00%H%x00%gs%x00%cI`. */
export function parseStashList(output: string): Entry[] {
  const fields = splitNul(output);
  const entries: Entry[] = [];
  for (let index = 0; index + 3 < fields.length; index += 4) {
    const selector = /stash@\{(\d+)\}/.exec(fields[index]!);
    entries.push({
      index: selector === null ? entries.length : Number(selector[1]),
      hash: fields[index + 1]!,
      message: fields[index + 2]!,
      date: fields[index + 3]!,
    });
  }
  return entries;
}

export const gitStash = defineTool({
  name: 'git_stash',
  title: 'Stash changes',
  description:
    'push saves uncommitted changes and cleans the work tree; pop re-applies a stash and drops it (kept on conflicts); ' +
    'apply re-applies without dropping; list shows the stash entries; drop deletes one entry and clear deletes all ' +
    '(both need a server started with --allow-destructive).',
  input: z.object({
    repo_path: repoPath,
    action: z.enum(['push', 'pop', 'apply', 'list', 'drop', 'clear']).describe('What to do'),
    message: z.string().max(10_000).optional().describe('push: a description for the stash entry'),
    include_untracked: z.boolean().optional().describe('push: also stash untracked files'),
    index: z
      .number()
      .int()
      .min(0)
      .max(100_000)
      .optional()
      .describe('pop/apply/drop: which entry (default 0, the newest)'),
  }),
  output: z.object({
    action: z.string(),
    done: z.boolean().describe('False when there was nothing to stash, or the entry conflicted'),
    entries: z.array(entrySchema).optional(),
    conflicts: z.array(z.string()).optional(),
  }),
  annotations: { ...LOCAL_WRITE, destructiveHint: true },
  auditTarget: ['repo_path'],
  async run({ repo_path, action, message, include_untracked, index }, ctx) {
    const repo = await openRepo(ctx, repo_path);
    if (action === 'clear') {
      requireDestructive(ctx, 'Clearing the stash');
      check(await repo.run(['stash', 'clear']), 'git stash clear');
      return structured({ action, done: true }, 'Cleared every stash entry.');
    }
    if (action === 'list') {
      const output = check(
        await repo.run(['stash', 'list', '-z', '--format=%gd%x00%H%x00%gs%x00%cI']),
        'git stash list',
      );
      const entries = parseStashList(output.stdout.toString('utf8'));
      const lines = entries.map(
        (entry) => `stash@{${entry.index}} ${entry.date.slice(0, 10)} ${safeLine(entry.message)}`,
      );
      return structured(
        { action, done: true, entries },
        lines.length === 0 ? 'No stash entries.' : lines.join('\n'),
      );
    }
    if (action === 'push') {
      const command = ['stash', 'push', '--quiet'];
      if (include_untracked === true) command.push('--include-untracked');
      if (message !== undefined) command.push(`--message=${checkMessage(message, 'message')}`);
      const before = await repo.run(['rev-parse', '--verify', '--quiet', 'refs/stash']);
      check(await repo.run(command), 'git stash push');
      const after = await repo.run(['rev-parse', '--verify', '--quiet', 'refs/stash']);
      const done =
        after.exitCode === 0 && after.stdout.toString('utf8') !== before.stdout.toString('utf8');
      return structured(
        { action, done },
        done ? 'Stashed the changes as stash@{0}.' : 'No local changes to stash.',
      );
    }
    if (action === 'drop') requireDestructive(ctx, 'Dropping a stash entry');
    const selector = `stash@{${index ?? 0}}`;
    const exists = await repo.run(['rev-parse', '--verify', '--quiet', selector]);
    if (exists.exitCode !== 0)
      throw new ToolError(`There is no ${selector}; see git_stash with action "list".`);
    if (action === 'drop') {
      const hash = exists.stdout.toString('utf8').trim();
      check(await repo.run(['stash', 'drop', '--quiet', selector]), 'git stash drop');
      return structured({ action, done: true }, `Dropped ${selector} (${shortHash(hash)}).`);
    }
    const result = await repo.run(['stash', action, '--quiet', selector]);
    const conflicts = splitNul(
      (await repo.run(['diff', '--name-only', '--diff-filter=U', '-z'])).stdout.toString('utf8'),
    );
    if (conflicts.length > 0) {
      return structured(
        { action, done: false, conflicts },
        `Applied ${selector} with conflicts in:\n${conflicts.map((file) => `  ${safeLine(file)}`).join('\n')}\n` +
          'The stash entry was kept. Resolve the files and stage them with git_add.',
      );
    }
    check(result, `git stash ${action}`);
    return structured(
      { action, done: true },
      action === 'pop' ? `Applied and dropped ${selector}.` : `Applied ${selector} (kept).`,
    );
  },
});
