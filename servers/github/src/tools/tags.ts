/**
 * @module
 * One git tag: the commit it points to and, for an annotated tag, its tagger and message (text a
 * person wrote, so untrusted).
 */
import { structured } from '@plugboard/protocol';
import { z } from 'zod';
import { call, defineTool } from '../context.js';
import { body, day, defined, shortSha, untrusted } from '../render.js';
import { sanitizeLine } from '../sanitize.js';
import { checkRef } from '../validate.js';
import { owner, READ, repo } from './common.js';

export const getTag = defineTool({
  name: 'get_tag',
  title: 'Get tag',
  description:
    'One git tag: the commit it names and, when annotated, its tagger, date and message. list_tags lists them.',
  input: z.object({ owner, repo, tag: z.string().describe('Tag name') }),
  output: z.object({
    tag: z.string(),
    annotated: z.boolean(),
    commitSha: z.string().describe('The commit the tag points to (after peeling)'),
    tagSha: z.string().optional().describe('The annotated tag object'),
    tagger: z.string().optional(),
    date: z.string().optional(),
    message: z.string().optional(),
    verified: z.boolean().optional(),
  }),
  toolset: 'releases',
  annotations: READ,
  auditTarget: ['owner', 'repo', 'tag'],
  async run(args, ctx) {
    const target = await ctx.policy.target(ctx, args.owner, args.repo, 'read');
    const tag = checkRef(args.tag, 'tag');
    const { data: ref } = await call(ctx, (octokit, req) =>
      octokit.rest.git.getRef({ ...target, ref: `tags/${tag}`, ...req }),
    );
    if (ref.object.type !== 'tag') {
      const result = { tag, annotated: false, commitSha: ref.object.sha };
      return structured(result, `${tag}: lightweight tag of commit ${shortSha(result.commitSha)}`);
    }
    const { data } = await call(ctx, (octokit, req) =>
      octokit.rest.git.getTag({ ...target, tag_sha: ref.object.sha, ...req }),
    );
    const tagger = sanitizeLine(data.tagger.name, 100);
    const result = defined({
      tag,
      annotated: true,
      commitSha: data.object.sha,
      tagSha: data.sha,
      tagger,
      date: data.tagger.date,
      message: body(data.message, { trusted: true, author: tagger }),
      verified: data.verification?.verified,
    });
    const text = untrusted('tag message', result.message ?? '', tagger);
    return structured(
      result,
      `${tag}: annotated tag of commit ${shortSha(result.commitSha)} by ${tagger} on ${day(result.date)}${result.verified === true ? ' (verified)' : ''}${text === '' ? '' : `\n${text}`}`,
    );
  },
});
