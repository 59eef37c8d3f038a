/**
 * @module
 * `git_tag`: list tags (newest first, optionally matching a pattern), create a lightweight or
 * annotated tag, or delete one (with --allow-destructive, since published tags are history).
 * `git_verify_tag`: check a tag's signature against the keys the operator configured.
 */
import { jsonSize, structured, ToolError } from '@plugboard/protocol';
import { z } from 'zod';
import { defineTool, openRepo, requireDestructive } from '../context.js';
import { safeLine, shortHash } from '../render.js';
import { checkMessage, checkRefName, rejectOption, resolveRevision } from '../validate.js';
import { cleanStderr } from '../errors.js';
import {
  check,
  continuation,
  offsetField,
  pageWithin,
  READ_ONLY,
  repoPath,
  LOCAL,
} from './common.js';

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
  auditTarget: ['repo_path', 'name', 'target'],
  annotations: LOCAL.UPDATE,
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

/** Where to configure verification keys, for results that could not check a signature. */
const KEY_ADVICE =
  "Signatures are checked with the operator's keys: a GnuPG keyring, or gpg.format=ssh with " +
  "gpg.ssh.allowedSignersFile in the operator's global Git configuration.";

export const gitVerifyTag = defineTool({
  name: 'git_verify_tag',
  title: 'Verify a tag signature',
  description:
    'Checks the signature of an annotated tag with the keys the operator configured (GnuPG or SSH allowed signers). ' +
    "Returns verified true with git's report of the signer, or verified false with the reason (unsigned, unknown key, bad signature).",
  input: z.object({
    repo_path: repoPath,
    name: z.string().min(1).describe('The tag to verify, e.g. "v1.2.0"'),
  }),
  output: z.object({
    tag: z.string(),
    verified: z.boolean(),
    signed: z.boolean().describe('False when the tag carries no signature at all'),
    report: z.string().describe("git's (GnuPG's or ssh-keygen's) words about the signature"),
  }),
  annotations: READ_ONLY,
  auditTarget: ['repo_path', 'name'],
  async run({ repo_path, name }, ctx) {
    const repo = await openRepo(ctx, repo_path);
    const tag = checkRefName(name, 'name');
    const type = await repo.run(['cat-file', '-t', `refs/tags/${tag}`]);
    const kind = type.stdout.toString('utf8').trim();
    if (type.exitCode !== 0)
      throw new ToolError(`There is no tag ${JSON.stringify(tag)} (see git_tag).`);
    if (kind !== 'tag') {
      return structured(
        { tag, verified: false, signed: false, report: 'lightweight tag' },
        `Tag ${safeLine(tag)} is a lightweight tag: it has no signature to verify.`,
      );
    }
    const result = await repo.run(['verify-tag', '--end-of-options', `refs/tags/${tag}`]);
    const report = cleanStderr(result.stderr);
    const verified = result.exitCode === 0;
    const signed = !/no signature found/i.test(report);
    const text = verified
      ? `Tag ${safeLine(tag)} has a good signature.\n${report}`
      : signed
        ? `Tag ${safeLine(tag)} could not be verified.\n${report}\n${KEY_ADVICE}`
        : `Tag ${safeLine(tag)} is not signed.`;
    return structured({ tag, verified, signed, report }, text);
  },
});
