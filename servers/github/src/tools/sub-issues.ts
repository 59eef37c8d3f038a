/**
 * @module
 * Sub-issues: list the children of an issue, attach an issue of the same repository as a child,
 * or detach one. Children are named by issue number; the server looks up the id GitHub needs.
 */
import { structured } from '@plugboard/protocol';
import { z } from 'zod';
import { call, defineTool, type GithubContext } from '../context.js';
import { pageFields, pagedShape, startAt, listOf, listingText, pageInput } from '../paging.js';
import type { RepoRef } from '../policy.js';
import { CREATE, issueNumber, listPage, owner, READ, repo, UPDATE } from './common.js';
import { issueLine, issueSummary, summarizeIssue, trustFor } from './issues.js';

const subIssueNumber = z
  .number()
  .int()
  .positive()
  .describe('Number of the child issue (same repository)');

async function issueId(ctx: GithubContext, target: RepoRef, number: number): Promise<number> {
  const { data } = await call(ctx, (octokit, req) =>
    octokit.rest.issues.get({ ...target, issue_number: number, ...req }),
  );
  return data.id;
}

export const listSubIssues = defineTool({
  name: 'list_sub_issues',
  title: 'List sub-issues',
  description: 'The sub-issues (children) of an issue, with state and labels.',
  input: z.object({
    owner,
    repo,
    issue_number: issueNumber,
    ...pageInput,
  }),
  output: z.object({ subIssues: listOf(issueSummary), ...pagedShape }),
  toolset: 'sub_issues',
  annotations: READ,
  auditTarget: ['owner', 'repo', 'issue_number'],
  async run(args, ctx) {
    const target = await ctx.policy.target(ctx, args.owner, args.repo, 'read');
    const trusted = await trustFor(ctx, target);
    const paged = await listPage(
      ctx,
      startAt(args),
      (octokit, req) =>
        octokit.rest.issues.listSubIssues({ ...target, issue_number: args.issue_number, ...req }),
      (raw) => summarizeIssue(raw, trusted, 0),
    );
    return structured(
      { subIssues: paged.items, ...pageFields(paged) },
      listingText(
        paged.items.map(issueLine),
        `#${args.issue_number} has no sub-issues.`,
        paged,
        'sub-issues',
      ),
    );
  },
});

const change = z.object({ parent: z.number(), subIssue: z.number() });

export const addSubIssue = defineTool({
  name: 'add_sub_issue',
  title: 'Add sub-issue',
  description: 'Make an issue a sub-issue (child) of another issue in the same repository.',
  input: z.object({
    owner,
    repo,
    issue_number: issueNumber.describe('Number of the parent issue'),
    subIssueNumber,
    replaceParent: z
      .boolean()
      .optional()
      .describe('Move the child even if it already has another parent (default false)'),
  }),
  output: change,
  toolset: 'sub_issues',
  annotations: CREATE,
  auditTarget: ['owner', 'repo', 'issue_number', 'subIssueNumber'],
  async run(args, ctx) {
    const target = await ctx.policy.target(ctx, args.owner, args.repo, 'write');
    const id = await issueId(ctx, target, args.subIssueNumber);
    await call(ctx, (octokit, req) =>
      octokit.rest.issues.addSubIssue({
        ...target,
        issue_number: args.issue_number,
        sub_issue_id: id,
        ...(args.replaceParent === undefined ? {} : { replace_parent: args.replaceParent }),
        ...req,
      }),
    );
    return structured(
      { parent: args.issue_number, subIssue: args.subIssueNumber },
      `#${args.subIssueNumber} is now a sub-issue of #${args.issue_number}.`,
    );
  },
});

export const removeSubIssue = defineTool({
  name: 'remove_sub_issue',
  title: 'Remove sub-issue',
  description: 'Detach a sub-issue from its parent issue (the issue itself stays).',
  input: z.object({
    owner,
    repo,
    issue_number: issueNumber.describe('Number of the parent issue'),
    subIssueNumber,
  }),
  output: change,
  toolset: 'sub_issues',
  annotations: UPDATE,
  auditTarget: ['owner', 'repo', 'issue_number', 'subIssueNumber'],
  async run(args, ctx) {
    const target = await ctx.policy.target(ctx, args.owner, args.repo, 'write');
    const id = await issueId(ctx, target, args.subIssueNumber);
    await call(ctx, (octokit, req) =>
      octokit.rest.issues.removeSubIssue({
        ...target,
        issue_number: args.issue_number,
        sub_issue_id: id,
        ...req,
      }),
    );
    return structured(
      { parent: args.issue_number, subIssue: args.subIssueNumber },
      `#${args.subIssueNumber} is no longer a sub-issue of #${args.issue_number}.`,
    );
  },
});
