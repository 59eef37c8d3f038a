/**
 * @module
 * The review workflow a person follows in GitHub's web interface, in github-mcp-server's shapes:
 * `pull_request_review_write` creates a review (pending when no event is given), submits or
 * deletes the caller's pending review, and resolves or unresolves a review thread;
 * `add_comment_to_pending_review` adds a line, multi-line or file comment to the pending review.
 * Pending reviews and threads exist as such only in GraphQL; every thread is checked to belong to
 * the pull request named (and so to an allowed repository) before it is changed.
 */
import { structured, ToolError } from '@plugboard/protocol';
import { z } from 'zod';
import { call, defineTool, type GithubContext } from '../context.js';
import { checkNodeId, graphql } from '../graphql.js';
import type { RepoRef } from '../policy.js';
import { checkRef, checkRepoPath } from '../validate.js';
import { CREATE, owner, pullNumber, repo, UPDATE } from './common.js';

interface PendingReview {
  readonly id: string;
  readonly url: string;
}

const PENDING_REVIEW = `query PendingReview($owner: String!, $repo: String!, $number: Int!) {
  viewer { login }
  repository(owner: $owner, name: $repo) {
    pullRequest(number: $number) {
      reviews(last: 20, states: [PENDING]) { nodes { id url author { login } } }
    }
  }
}`;

/** The caller's pending review on the pull request; pending reviews are visible only to their author. */
async function pendingReview(
  ctx: GithubContext,
  target: RepoRef,
  number: number,
): Promise<PendingReview> {
  const data = await graphql<{
    viewer: { login: string };
    repository: {
      pullRequest: {
        reviews: { nodes: { id: string; url: string; author: { login: string } | null }[] };
      } | null;
    } | null;
  }>(ctx, PENDING_REVIEW, { owner: target.owner, repo: target.repo, number });
  const pull = data.repository?.pullRequest;
  if (pull === null || pull === undefined)
    throw new ToolError(
      `Not found: ${target.owner}/${target.repo} has no pull request #${number}, or the token cannot see it.`,
    );
  const mine = pull.reviews.nodes.find((review) => review.author?.login === data.viewer.login);
  if (mine === undefined)
    throw new ToolError(
      `You have no pending review on #${number}. Create one first: pull_request_review_write with method "create" and no event.`,
    );
  return mine;
}

const REVIEW_THREAD = `query ReviewThread($id: ID!) {
  node(id: $id) {
    ... on PullRequestReviewThread {
      id
      isResolved
      pullRequest { number repository { name owner { login } } }
    }
  }
}`;

/** Refuses a thread id that is not a review thread of this pull request. */
async function checkThread(
  ctx: GithubContext,
  target: RepoRef,
  number: number,
  threadId: string,
): Promise<void> {
  const data = await graphql<{
    node: {
      id?: string;
      pullRequest?: { number: number; repository: { name: string; owner: { login: string } } };
    } | null;
  }>(ctx, REVIEW_THREAD, { id: checkNodeId(threadId, 'threadId') });
  const pull = data.node?.pullRequest;
  const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
  if (
    pull === undefined ||
    pull.number !== number ||
    !same(pull.repository.owner.login, target.owner) ||
    !same(pull.repository.name, target.repo)
  )
    throw new ToolError(
      `threadId ${threadId} is not a review thread of ${target.owner}/${target.repo}#${number}. Take thread ids from get_pull_request_review_threads.`,
    );
}

const THREAD_MUTATIONS = {
  resolve_thread: `mutation ResolveReviewThread($id: ID!) {
    resolveReviewThread(input: {threadId: $id}) { thread { id isResolved } }
  }`,
  unresolve_thread: `mutation UnresolveReviewThread($id: ID!) {
    unresolveReviewThread(input: {threadId: $id}) { thread { id isResolved } }
  }`,
};

const SUBMIT_REVIEW = `mutation SubmitPullRequestReview($id: ID!, $event: PullRequestReviewEvent!, $body: String) {
  submitPullRequestReview(input: {pullRequestReviewId: $id, event: $event, body: $body}) {
    pullRequestReview { id state url }
  }
}`;

const DELETE_REVIEW = `mutation DeletePullRequestReview($id: ID!) {
  deletePullRequestReview(input: {pullRequestReviewId: $id}) { pullRequestReview { id state } }
}`;

const event = z.enum(['APPROVE', 'REQUEST_CHANGES', 'COMMENT']);

export const pullRequestReviewWrite = defineTool({
  name: 'pull_request_review_write',
  title: 'Write pull request review',
  description:
    'Reviews step by step. method "create": a review, submitted when event is given, else left pending for add_comment_to_pending_review; "submit_pending" (with event) or "delete_pending": your pending review; "resolve_thread" / "unresolve_thread": a review thread by threadId.',
  input: z.object({
    method: z
      .enum(['create', 'submit_pending', 'delete_pending', 'resolve_thread', 'unresolve_thread'])
      .describe('The write operation to perform on pull request review'),
    owner,
    repo,
    pullNumber,
    body: z.string().optional().describe('Review comment text'),
    event: event.optional().describe('Review action; required for submit_pending'),
    commitID: z.string().optional().describe('SHA of commit to review (create)'),
    threadId: z
      .string()
      .optional()
      .describe('Node id of the review thread (PRRT_…), for resolve_thread and unresolve_thread'),
  }),
  output: z.object({
    method: z.string(),
    reviewId: z.string().optional().describe('Node id of the review'),
    state: z.string().optional(),
    threadId: z.string().optional(),
    resolved: z.boolean().optional(),
    url: z.string().optional(),
  }),
  toolset: 'pull_requests',
  annotations: UPDATE,
  auditTarget: ['owner', 'repo', 'pullNumber', 'threadId'],
  async run(args, ctx) {
    const target = await ctx.policy.target(ctx, args.owner, args.repo, 'write');
    const number = args.pullNumber;
    switch (args.method) {
      case 'create': {
        const { data } = await call(ctx, (octokit, req) =>
          octokit.rest.pulls.createReview({
            ...target,
            pull_number: number,
            ...(args.body === undefined ? {} : { body: args.body }),
            ...(args.event === undefined ? {} : { event: args.event }),
            ...(args.commitID === undefined
              ? {}
              : { commit_id: checkRef(args.commitID, 'commitID') }),
            ...req,
          }),
        );
        const next =
          data.state === 'PENDING' ? ' Add comments with add_comment_to_pending_review.' : '';
        return structured(
          { method: args.method, reviewId: data.node_id, state: data.state, url: data.html_url },
          `Review ${data.state} on #${number}: ${data.html_url}.${next}`,
        );
      }
      case 'submit_pending': {
        if (args.event === undefined)
          throw new ToolError(
            'event: required for submit_pending (APPROVE, REQUEST_CHANGES or COMMENT).',
          );
        const pending = await pendingReview(ctx, target, number);
        const data = await graphql<{
          submitPullRequestReview: {
            pullRequestReview: { id: string; state: string; url: string };
          };
        }>(ctx, SUBMIT_REVIEW, { id: pending.id, event: args.event, body: args.body ?? null });
        const review = data.submitPullRequestReview.pullRequestReview;
        return structured(
          { method: args.method, reviewId: review.id, state: review.state, url: review.url },
          `Submitted your pending review on #${number} (${review.state}): ${review.url}`,
        );
      }
      case 'delete_pending': {
        const pending = await pendingReview(ctx, target, number);
        await graphql(ctx, DELETE_REVIEW, { id: pending.id });
        return structured(
          { method: args.method, reviewId: pending.id, state: 'DELETED' },
          `Deleted your pending review on #${number} and its comments.`,
        );
      }
      case 'resolve_thread':
      case 'unresolve_thread': {
        if (args.threadId === undefined)
          throw new ToolError(`threadId: required for ${args.method}.`);
        await checkThread(ctx, target, number, args.threadId);
        const data = await graphql<Record<string, { thread: { id: string; isResolved: boolean } }>>(
          ctx,
          THREAD_MUTATIONS[args.method],
          { id: args.threadId },
        );
        const thread = Object.values(data)[0]!.thread;
        return structured(
          { method: args.method, threadId: thread.id, resolved: thread.isResolved },
          `Thread ${thread.id} on #${number} is now ${thread.isResolved ? 'resolved' : 'unresolved'}.`,
        );
      }
    }
  },
});

const side = z.enum(['LEFT', 'RIGHT']);

const ADD_THREAD = `mutation AddPullRequestReviewThread($input: AddPullRequestReviewThreadInput!) {
  addPullRequestReviewThread(input: $input) {
    thread { id isResolved path line startLine comments(first: 1) { nodes { databaseId url } } }
  }
}`;

export const addCommentToPendingReview = defineTool({
  name: 'add_comment_to_pending_review',
  title: 'Comment in pending review',
  description:
    'Add a comment to your pending review of a pull request: on a line, a range of lines (startLine to line) or the whole file. It stays invisible to others until the review is submitted (pull_request_review_write).',
  input: z.object({
    owner,
    repo,
    pullNumber,
    path: z.string().describe('The relative path to the file that necessitates a comment'),
    body: z.string().min(1).describe('The text of the review comment'),
    subjectType: z.enum(['FILE', 'LINE']).describe('The level at which the comment is targeted'),
    line: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('Line of the file in the diff; for a range, its last line'),
    side: side.optional().describe('LEFT: the old version, RIGHT: the new one'),
    startLine: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('For multi-line comments, the first line of the range'),
    startSide: side.optional().describe('For multi-line comments, the side of startLine'),
  }),
  output: z.object({
    threadId: z.string(),
    commentId: z.number().optional(),
    path: z.string(),
    line: z.number().optional(),
    startLine: z.number().optional(),
  }),
  toolset: 'pull_requests',
  annotations: CREATE,
  auditTarget: ['owner', 'repo', 'path', 'pullNumber'],
  async run(args, ctx) {
    if (args.subjectType === 'LINE' && args.line === undefined)
      throw new ToolError('line: required when subjectType is LINE.');
    if (args.startLine !== undefined && (args.line === undefined || args.startLine >= args.line))
      throw new ToolError('startLine: must come before line (a range is startLine to line).');
    const target = await ctx.policy.target(ctx, args.owner, args.repo, 'write');
    const pending = await pendingReview(ctx, target, args.pullNumber);
    const input = {
      pullRequestReviewId: pending.id,
      path: checkRepoPath(args.path),
      body: args.body,
      subjectType: args.subjectType,
      ...(args.line === undefined ? {} : { line: args.line }),
      ...(args.side === undefined ? {} : { side: args.side }),
      ...(args.startLine === undefined ? {} : { startLine: args.startLine }),
      ...(args.startSide === undefined ? {} : { startSide: args.startSide }),
    };
    const data = await graphql<{
      addPullRequestReviewThread: {
        thread: {
          id: string;
          path: string;
          line: number | null;
          startLine: number | null;
          comments: { nodes: { databaseId: number | null; url: string }[] };
        } | null;
      };
    }>(ctx, ADD_THREAD, { input });
    const thread = data.addPullRequestReviewThread.thread;
    if (thread === null)
      throw new ToolError(
        `GitHub did not add the comment: ${input.path} may not be part of the diff of #${args.pullNumber} at that line.`,
      );
    const comment = thread.comments.nodes[0];
    const result = {
      threadId: thread.id,
      ...(comment?.databaseId == null ? {} : { commentId: comment.databaseId }),
      path: input.path,
      ...(thread.line === null ? {} : { line: thread.line }),
      ...(thread.startLine === null ? {} : { startLine: thread.startLine }),
    };
    const where =
      result.line === undefined
        ? result.path
        : `${result.path}:${result.startLine === undefined ? '' : `${result.startLine}-`}${result.line}`;
    return structured(
      result,
      `Added to your pending review on #${args.pullNumber} (${where}, thread ${thread.id}). Submit it with pull_request_review_write method "submit_pending".`,
    );
  },
});
