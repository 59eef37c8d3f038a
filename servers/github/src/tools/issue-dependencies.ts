/**
 * @module
 * Issue dependencies: the issues that block an issue ("blocked by") and the ones it blocks
 * ("blocking"), read and changed. A dependency may cross repositories; both sides must be inside
 * the allowlist, and listed issues outside it are withheld.
 */
import { structured, ToolError } from '@plugboard/protocol';
import { z } from 'zod';
import { call, defineTool, type GithubContext } from '../context.js';
import {
  listingText,
  listOf,
  pageFields,
  pagedShape,
  pageField,
  perPageField,
  startAt,
} from '../paging.js';
import type { RepoRef } from '../policy.js';
import { LISTING_BODY_BYTES } from '../render.js';
import { issueNumber, listPage, owner, READ, repo, repoFromApiUrl, UPDATE } from './common.js';
import { issueLine, issueSummary, summarizeIssue, trustFor, type RawIssue } from './issues.js';

const ROUTE = {
  get_blocked_by: 'blocked_by',
  get_blocking: 'blocking',
} as const;

export const issueDependencyRead = defineTool({
  name: 'issue_dependency_read',
  title: 'Read issue dependencies',
  description:
    'The issues that block an issue (method get_blocked_by) or that it blocks (get_blocking), paged.',
  input: z.object({
    method: z
      .enum(['get_blocked_by', 'get_blocking'])
      .describe('Which side of the dependency to list'),
    owner,
    repo,
    issue_number: issueNumber,
    page: pageField,
    perPage: perPageField,
  }),
  output: z.object({
    issues: listOf(issueSummary),
    withheld: z.number().optional(),
    ...pagedShape,
  }),
  toolset: 'issues',
  annotations: READ,
  auditTarget: ['owner', 'repo', 'issue_number'],
  async run(args, ctx) {
    const target = await ctx.policy.target(ctx, args.owner, args.repo, 'read');
    const trusted = await trustFor(ctx, target);
    let withheld = 0;
    const paged = await listPage(
      ctx,
      startAt(args),
      async (octokit, req) => {
        const response = await octokit.request(
          'GET /repos/{owner}/{repo}/issues/{issue_number}/dependencies/{side}',
          { ...target, issue_number: args.issue_number, side: ROUTE[args.method], ...req },
        );
        const issues = (response.data as (RawIssue & { repository_url: string })[]).filter(
          (raw) => {
            const ref = repoFromApiUrl(raw.repository_url);
            const admitted = ref === undefined || ctx.policy.admit(ref.owner, ref.repo);
            if (!admitted) withheld += 1;
            return admitted;
          },
        );
        return { data: issues, headers: response.headers };
      },
      (raw) => summarizeIssue(raw, trusted, LISTING_BODY_BYTES),
    );
    const note = withheld > 0 ? `\n(${withheld} outside the allowed repositories withheld)` : '';
    return structured(
      { issues: paged.items, ...(withheld > 0 ? { withheld } : {}), ...pageFields(paged) },
      `${listingText(paged.items.map(issueLine), args.method === 'get_blocked_by' ? 'Nothing blocks it.' : 'It blocks nothing.', paged, 'issues')}${note}`,
    );
  },
});

async function issueId(ctx: GithubContext, ref: RepoRef, number: number): Promise<number> {
  const { data } = await call(ctx, (octokit, req) =>
    octokit.rest.issues.get({ ...ref, issue_number: number, ...req }),
  );
  return data.id;
}

export const issueDependencyWrite = defineTool({
  name: 'issue_dependency_write',
  title: 'Change issue dependency',
  description:
    'Add or remove a dependency: type blocked_by records that the issue is blocked by the related issue, blocking that it blocks it. The related issue is in the same repository unless related_owner/related_repo say otherwise.',
  input: z.object({
    method: z.enum(['add', 'remove']).describe('Create or delete the relationship'),
    owner,
    repo,
    issue_number: issueNumber.describe('The number of the subject issue'),
    type: z
      .enum(['blocked_by', 'blocking'])
      .describe('blocked_by: the subject is blocked by the related issue; blocking: it blocks it'),
    related_issue_number: issueNumber.describe('The number of the related issue'),
    related_owner: z.string().optional().describe("The related issue's owner (default: owner)"),
    related_repo: z.string().optional().describe("The related issue's repository (default: repo)"),
  }),
  output: z.object({
    method: z.string(),
    blocked: z.string().describe('owner/repo#number of the blocked issue'),
    blocking: z.string().describe('owner/repo#number of the blocking issue'),
  }),
  toolset: 'issues',
  annotations: UPDATE,
  auditTarget: ['owner', 'repo', 'issue_number', 'related_issue_number'],
  async run(args, ctx) {
    const subject = await ctx.policy.target(ctx, args.owner, args.repo, 'write');
    const related = await ctx.policy.target(
      ctx,
      args.related_owner ?? args.owner,
      args.related_repo ?? args.repo,
      'write',
    );
    const sides =
      args.type === 'blocked_by'
        ? {
            blocked: { ref: subject, number: args.issue_number },
            blocking: { ref: related, number: args.related_issue_number },
          }
        : {
            blocked: { ref: related, number: args.related_issue_number },
            blocking: { ref: subject, number: args.issue_number },
          };
    const name = (side: { ref: RepoRef; number: number }) =>
      `${side.ref.owner}/${side.ref.repo}#${side.number}`;
    if (name(sides.blocked).toLowerCase() === name(sides.blocking).toLowerCase())
      throw new ToolError('An issue cannot block itself.');
    const blockingId = await issueId(ctx, sides.blocking.ref, sides.blocking.number);
    const route = { ...sides.blocked.ref, issue_number: sides.blocked.number };
    await call(ctx, async (octokit, req) => {
      if (args.method === 'add')
        await octokit.request(
          'POST /repos/{owner}/{repo}/issues/{issue_number}/dependencies/blocked_by',
          { ...route, issue_id: blockingId, ...req },
        );
      else
        await octokit.request(
          'DELETE /repos/{owner}/{repo}/issues/{issue_number}/dependencies/blocked_by/{issue_id}',
          { ...route, issue_id: blockingId, ...req },
        );
    });
    const result = {
      method: args.method,
      blocked: name(sides.blocked),
      blocking: name(sides.blocking),
    };
    return structured(
      result,
      args.method === 'add'
        ? `${result.blocked} is now blocked by ${result.blocking}.`
        : `${result.blocked} is no longer blocked by ${result.blocking}.`,
    );
  },
});
