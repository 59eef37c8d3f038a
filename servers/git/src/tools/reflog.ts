/**
 * @module
 * `git_reflog`: where HEAD (or a branch) has pointed, newest first: the way back to commits a
 * reset, rebase, amend or branch deletion left unreachable.
 */
import { jsonSize, structured, ToolError } from '@plugboard/protocol';
import { z } from 'zod';
import { defineTool, openRepo } from '../context.js';
import { safeLine, shortHash, splitNul } from '../render.js';
import { checkRefName } from '../validate.js';
import { check, maxCountField, pageWithin, READ_ONLY, repoPath, skipField } from './common.js';

const entrySchema = z.object({
  selector: z.string().describe('How git names the entry, e.g. HEAD@{2}; usable as a revision'),
  hash: z.string(),
  action: z
    .string()
    .describe('What moved the ref, e.g. "commit: fix typo" or "reset: moving to HEAD~1"'),
  date: z.string().describe('When the ref moved, ISO 8601'),
  subject: z.string().describe("The commit's subject"),
});

type Entry = z.infer<typeof entrySchema>;

/** `--date=iso-strict` makes `%gd` carry the time (`HEAD@{2026-...}`); the index comes from the order. */
const REFLOG_FORMAT = '--format=%H%x00%gd%x00%gs%x00%s';

/** Parses `git log --walk-reflogs -z` output in {@link REFLOG_FORMAT}; `first` is the index of the first entry. */
export function parseReflog(output: string, ref: string, first: number): Entry[] {
  const fields = splitNul(output);
  const entries: Entry[] = [];
  for (let index = 0; index + 3 < fields.length; index += 4) {
    const selector = fields[index + 1]!;
    entries.push({
      selector: `${ref}@{${first + entries.length}}`,
      hash: fields[index]!,
      action: fields[index + 2]!,
      date: /@\{(.*)\}$/.exec(selector)?.[1] ?? '',
      subject: fields[index + 3]!,
    });
  }
  return entries;
}

export const gitReflog = defineTool({
  name: 'git_reflog',
  title: 'Reflog',
  description:
    'Lists where HEAD or a local branch pointed over time, newest first (commits, resets, rebases, checkouts), ' +
    'to find commits that are no longer on any branch. Page with skip.',
  input: z.object({
    repo_path: repoPath,
    ref: z.string().min(1).optional().describe('HEAD (default) or a local branch name'),
    max_count: maxCountField('entries', 20),
    skip: skipField('entries'),
  }),
  output: z.object({
    entries: z.array(entrySchema),
    truncated: z.boolean(),
    next_skip: z.number().optional().describe('Pass as skip to get the following entries'),
  }),
  annotations: READ_ONLY,
  auditTarget: ['repo_path', 'ref'],
  async run(args, ctx) {
    const repo = await openRepo(ctx, args.repo_path);
    const ref =
      args.ref === undefined || args.ref === 'HEAD' ? 'HEAD' : checkRefName(args.ref, 'ref');
    const maxCount = args.max_count ?? 20;
    const skip = args.skip ?? 0;
    if (ref !== 'HEAD') {
      const exists = await repo.run(['rev-parse', '--verify', '--quiet', `refs/heads/${ref}`]);
      if (exists.exitCode !== 0)
        throw new ToolError(
          `ref: there is no local branch ${JSON.stringify(ref)} (see git_branch).`,
        );
    }
    const output = await repo.run([
      'log',
      '--walk-reflogs',
      '-z',
      '--date=iso-strict',
      REFLOG_FORMAT,
      `--max-count=${maxCount + 1}`,
      `--skip=${skip}`,
      '--end-of-options',
      ref === 'HEAD' ? 'HEAD' : `refs/heads/${ref}`,
      '--',
    ]);
    if (output.exitCode !== 0 && /does not have any commits|unknown revision/.test(output.stderr)) {
      return structured({ entries: [], truncated: false }, 'No reflog entries yet.');
    }
    const all = parseReflog(
      check(output, 'git log --walk-reflogs').stdout.toString('utf8'),
      ref,
      skip,
    );
    const more = all.length > maxCount;
    const page = pageWithin(all.slice(0, maxCount), 0, ctx.config.outputBudget - 1024, jsonSize);
    const truncated = more || page.truncated;
    const data = {
      entries: page.items,
      truncated,
      ...(truncated ? { next_skip: skip + page.items.length } : {}),
    };
    const lines = page.items.map(
      (entry) =>
        `${entry.selector} ${shortHash(entry.hash)} ${entry.date} ${safeLine(entry.action)}`,
    );
    const tail = truncated
      ? `\n[truncated: more entries; call again with skip=${skip + page.items.length}]`
      : '';
    return structured(data, (lines.length === 0 ? 'No reflog entries.' : lines.join('\n')) + tail);
  },
});
