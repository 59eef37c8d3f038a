/**
 * @module
 * A pull request's conversation on its diff and its history: review threads with the node ids
 * `pull_request_review_write` resolves, replies in a thread, and the commits of the pull request.
 * Comment text is untrusted and withheld under lockdown like everywhere else.
 */
import { structured, ToolError } from '@plugboard/protocol';
import { z } from 'zod';
import { call, defineTool } from '../context.js';
import { connectionFields, graphCursor, graphql, pageOf, type Connection } from '../graphql.js';
import {
  cursorField,
  listingText,
  listOf,
  pageFields,
  pagedShape,
  pageInput,
  perPageField,
  startAt,
} from '../paging.js';
import { authorShape, body, defined, untrusted } from '../render.js';
import { sanitizeLine } from '../sanitize.js';
import { CREATE, itemBudget, listPage, owner, pullNumber, READ, repo } from './common.js';
import { trustFor } from './issues.js';
import { reactionContent } from './reactions.js';
import { commitItem, commitLine, toCommitItem } from './repos.js';

interface RawThread {
  id: string;
  isResolved: boolean;
  isOutdated: boolean;
  path: string;
  line: number | null;
  startLine: number | null;
  resolvedBy: { login: string } | null;
  comments: {
    totalCount: number;
    nodes: {
      databaseId: number | null;
      body: string;
      url: string;
      createdAt: string;
      authorAssociation: string;
      author: { login: string } | null;
    }[];
  };
}

const THREAD_FIELDS =
  'id isResolved isOutdated path line startLine resolvedBy { login } comments(first: 1) { totalCount nodes { databaseId body url createdAt authorAssociation author { login } } }';

const REVIEW_THREADS = `query ReviewThreads($owner: String!, $repo: String!, $number: Int!, $first: Int!, $after: String) {
  repository(owner: $owner, name: $repo) {
    pullRequest(number: $number) {
      reviewThreads(first: $first, after: $after) { ${connectionFields(THREAD_FIELDS)} }
    }
  }
}`;

const thread = z.object({
  id: z.string().describe('Node id, for pull_request_review_write resolve_thread'),
  resolved: z.boolean(),
  outdated: z.boolean(),
  resolvedBy: z.string().optional(),
  path: z.string(),
  line: z.number().optional(),
  startLine: z.number().optional(),
  comments: z.number(),
  firstCommentId: z.number().optional().describe('For add_reply_to_pull_request_comment commentId'),
  ...authorShape,
  body: z.string(),
  url: z.string().optional(),
});

export const getPullRequestReviewThreads = defineTool({
  name: 'get_pull_request_review_threads',
  title: 'Get pull request review threads',
  description:
    'Review threads of a pull request with their node ids, resolved and outdated state, place in the diff, and first comment.',
  input: z.object({ owner, repo, pullNumber, perPage: perPageField, cursor: cursorField }),
  output: z.object({ threads: listOf(thread), totalCount: z.number(), ...pagedShape }),
  toolset: 'pull_requests',
  annotations: READ,
  auditTarget: ['owner', 'repo', 'pullNumber'],
  async run(args, ctx) {
    const target = await ctx.policy.target(ctx, args.owner, args.repo, 'read');
    const trusted = await trustFor(ctx, target);
    const data = await graphql<{
      repository: { pullRequest: { reviewThreads: Connection<RawThread> } | null } | null;
    }>(ctx, REVIEW_THREADS, {
      owner: target.owner,
      repo: target.repo,
      number: args.pullNumber,
      first: args.perPage ?? 30,
      after: graphCursor(args.cursor) ?? null,
    });
    const connection = data.repository?.pullRequest?.reviewThreads;
    if (connection === undefined)
      throw new ToolError(
        `Not found: ${target.owner}/${target.repo} has no pull request #${args.pullNumber}, or the token cannot see it.`,
      );
    const paged = pageOf(
      connection,
      (raw) => {
        const first = raw.comments.nodes[0];
        const author =
          first?.author === null || first === undefined
            ? undefined
            : sanitizeLine(first.author.login, 60);
        return defined({
          id: raw.id,
          resolved: raw.isResolved,
          outdated: raw.isOutdated,
          resolvedBy: raw.resolvedBy === null ? undefined : sanitizeLine(raw.resolvedBy.login, 60),
          path: sanitizeLine(raw.path, 1000),
          line: raw.line ?? undefined,
          startLine: raw.startLine ?? undefined,
          comments: raw.comments.totalCount,
          firstCommentId: first?.databaseId ?? undefined,
          author,
          authorAssociation: first?.authorAssociation,
          body: body(first?.body, { trusted: trusted(first?.authorAssociation), author }),
          url: first?.url,
        });
      },
      itemBudget(ctx),
    );
    const blocks = paged.items.map((item) => {
      const place = `${item.path}${item.line === undefined ? '' : `:${item.startLine === undefined ? '' : `${item.startLine}-`}${item.line}`}`;
      const state = `${item.resolved ? 'resolved' : 'unresolved'}${item.outdated ? ', outdated' : ''}`;
      const text = untrusted('review comment', item.body, item.author, item.authorAssociation);
      return `${item.id} [${state}] ${place}, ${item.comments} comments, first by @${item.author ?? '?'}${text === '' ? '' : `\n${text}`}`;
    });
    return structured(
      { threads: paged.items, totalCount: connection.totalCount, ...pageFields(paged) },
      listingText(blocks, 'No review threads.', paged, 'threads'),
    );
  },
});

export const getPullRequestCommits = defineTool({
  name: 'get_pull_request_commits',
  title: 'Get pull request commits',
  description: 'The commits of a pull request, oldest first (GitHub lists at most 250).',
  input: z.object({ owner, repo, pullNumber, ...pageInput }),
  output: z.object({ commits: listOf(commitItem), ...pagedShape }),
  toolset: 'pull_requests',
  annotations: READ,
  auditTarget: ['owner', 'repo', 'pullNumber'],
  async run(args, ctx) {
    const target = await ctx.policy.target(ctx, args.owner, args.repo, 'read');
    const paged = await listPage(
      ctx,
      startAt(args),
      (octokit, req) =>
        octokit.rest.pulls.listCommits({ ...target, pull_number: args.pullNumber, ...req }),
      toCommitItem,
    );
    return structured(
      { commits: paged.items, ...pageFields(paged) },
      listingText(paged.items.map(commitLine), 'No commits.', paged, 'commits'),
    );
  },
});

export const addReplyToPullRequestComment = defineTool({
  name: 'add_reply_to_pull_request_comment',
  title: 'Reply to pull request comment',
  description:
    'Reply in the thread of a review comment (commentId: the number of a #discussion_r… anchor, or firstCommentId of get_pull_request_review_threads), and/or react to it.',
  input: z.object({
    owner,
    repo,
    pullNumber: pullNumber.optional().describe('Pull request number; required with body'),
    commentId: z.number().int().positive().describe('Id of the review comment to reply to'),
    body: z.string().min(1).optional().describe('The reply; required unless reaction is given'),
    reaction: reactionContent.optional().describe('Emoji reaction to add to the comment'),
  }),
  output: z.object({
    replyId: z.number().optional(),
    url: z.string().optional(),
    reaction: z.string().optional(),
  }),
  toolset: 'pull_requests',
  annotations: CREATE,
  auditTarget: ['owner', 'repo', 'pullNumber', 'commentId'],
  async run(args, ctx) {
    if (args.body === undefined && args.reaction === undefined)
      throw new ToolError('Give body (a reply), reaction, or both.');
    if (args.body !== undefined && args.pullNumber === undefined)
      throw new ToolError('pullNumber: required when replying with body.');
    const target = await ctx.policy.target(ctx, args.owner, args.repo, 'write');
    const lines: string[] = [];
    let result: { replyId?: number; url?: string; reaction?: string } = {};
    if (args.body !== undefined) {
      const { data } = await call(ctx, (octokit, req) =>
        octokit.rest.pulls.createReplyForReviewComment({
          ...target,
          pull_number: args.pullNumber!,
          comment_id: args.commentId,
          body: args.body!,
          ...req,
        }),
      );
      result = { replyId: data.id, url: data.html_url };
      lines.push(`Replied: ${data.html_url}`);
    }
    if (args.reaction !== undefined) {
      const reaction = args.reaction;
      await call(ctx, (octokit, req) =>
        octokit.rest.reactions.createForPullRequestReviewComment({
          ...target,
          comment_id: args.commentId,
          content: reaction,
          ...req,
        }),
      );
      result = { ...result, reaction };
      lines.push(`Reacted ${reaction} to comment ${args.commentId}.`);
    }
    return structured(result, lines.join('\n'));
  },
});
