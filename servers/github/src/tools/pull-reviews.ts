/**
 * @module
 * Reviewing pull requests: submit a review with line comments, read the reviews and the review
 * comments on diff lines. Review text is untrusted.
 */
import { structured } from '@plugboard/protocol';
import { z } from 'zod';
import { call, defineTool } from '../context.js';
import { pageFields, pagedShape, startAt, listOf, listingText, pageInput } from '../paging.js';
import { authorShape, body, day, defined, login, untrusted } from '../render.js';
import { sanitizeLine } from '../sanitize.js';
import { checkRef } from '../validate.js';
import { CREATE, listPage, owner, pullNumber, READ, repo } from './common.js';
import { commentItem, toComment, trustFor } from './issues.js';

const reviewComment = z.union([
  z.object({
    path: z.string().describe('File path'),
    position: z.number().int().positive().describe('Position in the diff'),
    body: z.string().describe('Comment text'),
  }),
  z.object({
    path: z.string().describe('File path'),
    line: z.number().int().positive().describe('Line in the file'),
    body: z.string().describe('Comment text'),
  }),
]);

export const createPullRequestReview = defineTool({
  name: 'create_pull_request_review',
  title: 'Review pull request',
  description: 'Submit a review (APPROVE, REQUEST_CHANGES or COMMENT) with optional line comments.',
  input: z.object({
    owner,
    repo,
    pull_number: pullNumber,
    commit_id: z.string().optional().describe('Commit SHA to review (default: latest)'),
    body: z.string().describe('Review summary'),
    event: z.enum(['APPROVE', 'REQUEST_CHANGES', 'COMMENT']).describe('Review verdict'),
    comments: z
      .array(reviewComment)
      .max(100)
      .optional()
      .describe('Line comments (position or line, not both)'),
  }),
  output: z.object({ id: z.number(), state: z.string(), url: z.string() }),
  toolset: ['pull_requests', 'default'],
  annotations: CREATE,
  auditTarget: ['owner', 'repo', 'pull_number'],
  async run(args, ctx) {
    const target = await ctx.policy.target(ctx, args.owner, args.repo, 'write');
    const { data } = await call(ctx, (octokit, req) =>
      octokit.rest.pulls.createReview({
        ...target,
        pull_number: args.pull_number,
        body: args.body,
        event: args.event,
        ...(args.commit_id === undefined
          ? {}
          : { commit_id: checkRef(args.commit_id, 'commit_id') }),
        ...(args.comments === undefined ? {} : { comments: args.comments }),
        ...req,
      }),
    );
    return structured(
      { id: data.id, state: data.state, url: data.html_url },
      `Review ${data.state} on #${args.pull_number}: ${data.html_url}`,
    );
  },
});

const prComment = commentItem.extend({
  path: z.string(),
  line: z.number().optional(),
  inReplyTo: z.number().optional(),
});

export const getPullRequestComments = defineTool({
  name: 'get_pull_request_comments',
  title: 'Get pull request review comments',
  description: 'Review comments on the diff lines of a pull request, oldest first.',
  input: z.object({
    owner,
    repo,
    pull_number: pullNumber,
    ...pageInput,
  }),
  output: z.object({ comments: listOf(prComment), ...pagedShape }),
  toolset: ['pull_requests', 'default'],
  annotations: READ,
  auditTarget: ['owner', 'repo', 'pull_number'],
  async run(args, ctx) {
    const target = await ctx.policy.target(ctx, args.owner, args.repo, 'read');
    const trusted = await trustFor(ctx, target);
    const paged = await listPage(
      ctx,
      startAt(args),
      (octokit, req) =>
        octokit.rest.pulls.listReviewComments({ ...target, pull_number: args.pull_number, ...req }),
      (raw) =>
        defined({
          ...toComment(raw, trusted),
          path: sanitizeLine(raw.path, 1000),
          line: raw.line ?? raw.original_line ?? undefined,
          inReplyTo: raw.in_reply_to_id,
        }),
    );
    const blocks = paged.items.map(
      (item) =>
        `${item.path}${item.line === undefined ? '' : `:${item.line}`} @${item.author ?? '?'} (${item.url}):\n${untrusted('review comment', item.body, item.author, item.authorAssociation)}`,
    );
    return structured(
      { comments: paged.items, ...pageFields(paged) },
      listingText(blocks, 'No review comments.', paged, 'comments'),
    );
  },
});

const review = z.object({
  id: z.number(),
  ...authorShape,
  state: z.string(),
  body: z.string(),
  submittedAt: z.string().optional(),
  commitId: z.string().optional(),
});

export const getPullRequestReviews = defineTool({
  name: 'get_pull_request_reviews',
  title: 'Get pull request reviews',
  description: 'Reviews of a pull request: verdicts and summaries.',
  input: z.object({
    owner,
    repo,
    pull_number: pullNumber,
    ...pageInput,
  }),
  output: z.object({ reviews: listOf(review), ...pagedShape }),
  toolset: ['pull_requests', 'default'],
  annotations: READ,
  auditTarget: ['owner', 'repo', 'pull_number'],
  async run(args, ctx) {
    const target = await ctx.policy.target(ctx, args.owner, args.repo, 'read');
    const trusted = await trustFor(ctx, target);
    const paged = await listPage(
      ctx,
      startAt(args),
      (octokit, req) =>
        octokit.rest.pulls.listReviews({ ...target, pull_number: args.pull_number, ...req }),
      (raw) => {
        const author = login(raw.user);
        return defined({
          id: raw.id,
          author,
          authorAssociation: raw.author_association,
          state: raw.state,
          body: body(raw.body, { trusted: trusted(raw.author_association), author }),
          submittedAt: raw.submitted_at,
          commitId: raw.commit_id ?? undefined,
        });
      },
    );
    const blocks = paged.items.map((item) => {
      const text = untrusted('review', item.body, item.author, item.authorAssociation);
      return `@${item.author ?? '?'} ${item.state} on ${day(item.submittedAt)}${text === '' ? '' : `\n${text}`}`;
    });
    return structured(
      { reviews: paged.items, ...pageFields(paged) },
      listingText(blocks, 'No reviews.', paged, 'reviews'),
    );
  },
});
