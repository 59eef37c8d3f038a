/**
 * @module
 * `git_tag`: list tags (newest first, optionally matching a pattern), create a lightweight or
 * annotated tag, or delete one (with --allow-destructive, since published tags are history).
 */
import { jsonSize, structured, ToolError } from '@plugboard/protocol';
import { z } from 'zod';
import { defineTool, openRepo, requireDestructive } from '../context.js';
import { safeLine, shortHash } from '../render.js';
import { checkMessage, checkRefName, rejectOption, resolveRevision } from '../validate.js';
import { check, continuation, offsetField, pageWithin, repoPath } from './common.js';

const tagSchema = z.object({
  name: z.string(),
  commit: z.string().describe('The commit the tag points to (peeled)'),
  annotated: z.boolean(),
  date: z.string().describe('Tagger date for annotated tags, commit date otherwise'),
  subject: z.string(),
});

type Tag = z.infer<typeof tagSchema>;

const TAG_FORMAT =
  '--format=%(refname:strip=2)%00%(objecttype)%00%(objectname)%00%(*objectname)%00%(creatordate:iso-strict)%00%(contents:subject)';

export function parseTags(output: string): Tag[] {
  const tags: Tag[] = [];
  for (const line of output.split('\n')) {
    if (line === '') continue;
    const [name = '', type = '', oid = '', peeled = '', date = '', subject = ''] = line.split('\0');
    tags.push({
      name,
      commit: peeled === '' ? oid : peeled,
      annotated: type === 'tag',
      date,
      subject,
    });
  }
  return tags;
}

export const gitTag = defineTool({
  name: 'git_tag',
  title: 'List, create or delete tags',
  description:
    'list shows tags newest first (optionally matching a glob pattern such as "v1.*"); create makes a tag at a commit ' +
    '(annotated when a message is given); delete removes a local tag and needs --allow-destructive.',
  input: z.object({
    repo_path: repoPath,
    action: z
      .enum(['list', 'create', 'delete'])
      .optional()
      .describe('list (default), create or delete'),
    name: z.string().optional().describe('Tag name for create and delete, e.g. "v1.2.0"'),
    target: z.string().optional().describe('create: commit, branch or tag to tag (default HEAD)'),
    message: z
      .string()
      .max(100_000)
      .optional()
      .describe('create: makes an annotated tag with this message'),
    pattern: z
      .string()
      .max(200)
      .optional()
      .describe('list: only tags matching this glob, e.g. "v1.*"'),
    offset: offsetField,
  }),
  output: z.object({
    tags: z.array(tagSchema).optional(),
    tag: z.string().optional(),
    commit: z.string().optional(),
    truncated: z.boolean(),
    next_offset: z.number().optional(),
  }),
  annotations: {
    readOnlyHint: false,
    destructiveHint: true,
    idempotentHint: false,
    openWorldHint: false,
  },
  async run({ repo_path, action = 'list', name, target, message, pattern, offset }, ctx) {
    const repo = await openRepo(ctx, repo_path);
    if (action === 'list') {
      const command = ['for-each-ref', '--sort=-creatordate', TAG_FORMAT];
      command.push(
        pattern === undefined ? 'refs/tags/' : `refs/tags/${rejectOption(pattern, 'pattern')}`,
      );
      const tags = parseTags(
        check(await repo.run(command), 'git for-each-ref').stdout.toString('utf8'),
      );
      const page = pageWithin(tags, offset ?? 0, ctx.config.outputBudget - 1024, jsonSize);
      const lines = page.items.map(
        (tag) =>
          `${safeLine(tag.name)} ${shortHash(tag.commit)} ${tag.date.slice(0, 10)} ${safeLine(tag.subject)}`,
      );
      const data = {
        tags: page.items,
        truncated: page.truncated,
        ...(page.next_offset === undefined ? {} : { next_offset: page.next_offset }),
      };
      return structured(
        data,
        (lines.length === 0 ? 'No tags.' : lines.join('\n')) + continuation(page, 'more tags'),
      );
    }
    if (name === undefined) throw new ToolError(`name is required to ${action} a tag.`);
    const tag = checkRefName(name, 'name');
    if (action === 'delete') {
      requireDestructive(ctx, 'Deleting a tag');
      check(await repo.run(['tag', '--delete', '--end-of-options', tag]), 'git tag --delete');
      return structured({ tag, truncated: false }, `Deleted tag ${safeLine(tag)}.`);
    }
    const commit = await resolveRevision(repo, target ?? 'HEAD', 'target');
    const command = ['tag'];
    if (message !== undefined)
      command.push('--annotate', `--message=${checkMessage(message, 'message')}`);
    command.push('--end-of-options', tag, commit);
    check(await repo.run(command), 'git tag');
    return structured(
      { tag, commit, truncated: false },
      `Created ${message === undefined ? '' : 'annotated '}tag ${safeLine(tag)} at ${shortHash(commit)}.`,
    );
  },
});
