/**
 * @module
 * Emoji reactions on issues, pull requests and their comments: the quiet way to acknowledge.
 */
import { structured } from '@plugboard/protocol';
import { z } from 'zod';
import { call, defineTool } from '../context.js';
import { CREATE, issueNumber, owner, repo } from './common.js';

/** The reactions GitHub knows. */
export const reactionContent = z
  .enum(['+1', '-1', 'laugh', 'confused', 'heart', 'hooray', 'rocket', 'eyes'])
  .describe('The emoji reaction type');

const reacted = z.object({ id: z.number(), content: z.string() });

/** Reacting twice with the same emoji is a no-op at GitHub (200 instead of 201). */
const REACT = { ...CREATE, idempotentHint: true } as const;

export const addIssueReaction = defineTool({
  name: 'add_issue_reaction',
  title: 'React to issue',
  description: 'Add an emoji reaction to an issue or pull request.',
  input: z.object({ owner, repo, issue_number: issueNumber, content: reactionContent }),
  output: reacted,
  toolset: 'issues',
  annotations: REACT,
  auditTarget: ['owner', 'repo', 'issue_number'],
  async run(args, ctx) {
    const target = await ctx.policy.target(ctx, args.owner, args.repo, 'write');
    const { data } = await call(ctx, (octokit, req) =>
      octokit.rest.reactions.createForIssue({
        ...target,
        issue_number: args.issue_number,
        content: args.content,
        ...req,
      }),
    );
    return structured(
      { id: data.id, content: data.content },
      `Reacted ${data.content} to #${args.issue_number}.`,
    );
  },
});

export const addIssueCommentReaction = defineTool({
  name: 'add_issue_comment_reaction',
  title: 'React to issue comment',
  description: 'Add an emoji reaction to a comment on an issue or pull request conversation.',
  input: z.object({
    owner,
    repo,
    comment_id: z.number().int().positive().describe('The issue or pull request comment id'),
    content: reactionContent,
  }),
  output: reacted,
  toolset: 'issues',
  annotations: REACT,
  auditTarget: ['owner', 'repo', 'comment_id'],
  async run(args, ctx) {
    const target = await ctx.policy.target(ctx, args.owner, args.repo, 'write');
    const { data } = await call(ctx, (octokit, req) =>
      octokit.rest.reactions.createForIssueComment({
        ...target,
        comment_id: args.comment_id,
        content: args.content,
        ...req,
      }),
    );
    return structured(
      { id: data.id, content: data.content },
      `Reacted ${data.content} to comment ${args.comment_id}.`,
    );
  },
});
