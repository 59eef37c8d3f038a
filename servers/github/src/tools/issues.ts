/**
 * @module
 * Issues and their comments: the official six tools plus `get_issue_comments`. Titles and bodies
 * are untrusted text: sanitised, attributed, and withheld under lockdown mode when their author
 * has no write access to a public repository.
 */
import { structured } from '@plugboard/protocol';
import { z } from 'zod';
import { call, defineTool, type GithubContext } from '../context.js';
import {
  cursorField,
  pageFields,
  pagedShape,
  pageField,
  perPageField,
  startAt,
  listOf,
  listingText,
  pageInput,
} from '../paging.js';
import type { RepoRef } from '../policy.js';
import {
  authorShape,
  body,
  bodyExcerpt,
  day,
  defined,
  FULL_BODY_BYTES,
  LISTING_BODY_BYTES,
  login,
  title,
  untrusted,
} from '../render.js';
import { sanitizeLine } from '../sanitize.js';
import { CREATE, issueNumber, listPage, owner, READ, repo, UPDATE } from './common.js';

/** The fields of GitHub's issue payload this server reads. */
export interface RawIssue {
  number: number;
  title: string;
  state: string;
  state_reason?: string | null;
  body?: string | null;
  user: { login: string } | null;
  author_association?: string;
  labels: (string | { name?: string })[];
  assignees?: { login: string }[] | null;
  milestone?: { title: string; number: number } | null;
  comments: number;
  pull_request?: unknown;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
  html_url: string;
}

export const issueSummary = z.object({
  number: z.number(),
  title: z.string(),
  state: z.string(),
  isPullRequest: z.boolean(),
  ...authorShape,
  labels: z.array(z.string()),
  comments: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
  url: z.string(),
  body: z.string().optional(),
});

export type IssueSummary = z.infer<typeof issueSummary>;

export function labelNames(labels: RawIssue['labels']): string[] {
  return labels.map((label) =>
    sanitizeLine(typeof label === 'string' ? label : (label.name ?? ''), 100),
  );
}

/** An issue as listings show it; `bodyBytes` keeps an excerpt of the body (0 leaves it out). */
export function summarizeIssue(
  raw: RawIssue,
  trusted: (association: string | undefined) => boolean,
  bodyBytes: number,
): IssueSummary {
  const ok = trusted(raw.author_association);
  const author = login(raw.user);
  return defined({
    number: raw.number,
    title: title(raw.title, ok),
    state: raw.state,
    isPullRequest: raw.pull_request !== undefined && raw.pull_request !== null,
    author,
    authorAssociation: raw.author_association,
    labels: labelNames(raw.labels),
    comments: raw.comments,
    createdAt: raw.created_at,
    updatedAt: raw.updated_at,
    url: raw.html_url,
    body: bodyExcerpt(raw.body, bodyBytes, { trusted: ok, author }, 'get_issue has the whole body'),
  });
}

export function issueLine(issue: IssueSummary): string {
  return (
    `#${issue.number} [${issue.isPullRequest ? 'PR ' : ''}${issue.state}] ${issue.title} — @${issue.author ?? '?'}` +
    `${issue.labels.length === 0 ? '' : ` {${issue.labels.join(', ')}}`}, ${issue.comments} comments, updated ${day(issue.updatedAt)}`
  );
}

function issueBlock(issue: IssueSummary): string {
  const text = untrusted('issue body', issue.body ?? '', issue.author, issue.authorAssociation);
  return text === '' ? issueLine(issue) : `${issueLine(issue)}\n${text}`;
}

/** Lockdown decisions for one repository, looked up once per call. */
export async function trustFor(
  ctx: GithubContext,
  ref: RepoRef,
): Promise<(association: string | undefined) => boolean> {
  return ctx.policy.trust(ctx, ref);
}

export const getIssue = defineTool({
  name: 'get_issue',
  title: 'Get issue',
  description: 'One issue or pull request with body, labels, assignees and milestone.',
  input: z.object({ owner, repo, issue_number: issueNumber }),
  output: issueSummary.extend({
    stateReason: z.string().optional(),
    assignees: z.array(z.string()),
    milestone: z.string().optional(),
    closedAt: z.string().optional(),
  }),
  toolset: ['issues', 'default'],
  annotations: READ,
  auditTarget: ['owner', 'repo', 'issue_number'],
  async run(args, ctx) {
    const target = await ctx.policy.target(ctx, args.owner, args.repo, 'read');
    const [{ data }, trusted] = await Promise.all([
      call(ctx, (octokit, req) =>
        octokit.rest.issues.get({ ...target, issue_number: args.issue_number, ...req }),
      ),
      trustFor(ctx, target),
    ]);
    const issue = {
      ...summarizeIssue(data, trusted, FULL_BODY_BYTES),
      ...defined({
        stateReason: data.state_reason ?? undefined,
        assignees: (data.assignees ?? []).map((user) => sanitizeLine(user.login, 60)),
        milestone: data.milestone === null ? undefined : sanitizeLine(data.milestone.title, 200),
        closedAt: data.closed_at ?? undefined,
      }),
    };
    const extra = [
      issue.assignees.length === 0 ? '' : `assignees: ${issue.assignees.join(', ')}`,
      issue.milestone === undefined ? '' : `milestone: ${issue.milestone}`,
    ].filter(Boolean);
    return structured(
      issue,
      `${target.owner}/${target.repo}${issueBlock(issue)}${extra.length === 0 ? '' : `\n${extra.join('; ')}`}\n${issue.url}`,
    );
  },
});

export const listIssues = defineTool({
  name: 'list_issues',
  title: 'List issues',
  description:
    'List issues (and pull requests, marked) of a repository by state, labels and date, with body excerpts.',
  input: z.object({
    owner,
    repo,
    direction: z.enum(['asc', 'desc']).optional().describe('Sort direction (default desc)'),
    labels: z.array(z.string()).optional().describe('Only with all these labels'),
    page: pageField,
    per_page: perPageField,
    since: z.string().optional().describe('Updated after (ISO 8601)'),
    sort: z
      .enum(['created', 'updated', 'comments'])
      .optional()
      .describe('Sort field (default created)'),
    state: z.enum(['open', 'closed', 'all']).optional().describe('Issue state (default open)'),
    cursor: cursorField,
  }),
  output: z.object({ issues: listOf(issueSummary), ...pagedShape }),
  toolset: ['issues', 'default'],
  annotations: READ,
  auditTarget: ['owner', 'repo'],
  async run(args, ctx) {
    const target = await ctx.policy.target(ctx, args.owner, args.repo, 'read');
    const trusted = await trustFor(ctx, target);
    const filters = defined({
      direction: args.direction,
      labels: args.labels === undefined ? undefined : args.labels.join(','),
      since: args.since,
      sort: args.sort,
      state: args.state,
    });
    const paged = await listPage(
      ctx,
      startAt({ page: args.page, perPage: args.per_page, cursor: args.cursor }),
      (octokit, req) => octokit.rest.issues.listForRepo({ ...target, ...filters, ...req }),
      (raw) => summarizeIssue(raw, trusted, LISTING_BODY_BYTES),
    );
    return structured(
      { issues: paged.items, ...pageFields(paged) },
      listingText(paged.items.map(issueBlock), 'No issues.', paged, 'issues'),
    );
  },
});

const written = z.object({
  number: z.number(),
  title: z.string(),
  state: z.string(),
  url: z.string(),
});

/** An issue as create_issue and update_issue report it. */
function toWritten(raw: Pick<RawIssue, 'number' | 'title' | 'state' | 'html_url'>) {
  return {
    number: raw.number,
    title: sanitizeLine(raw.title),
    state: raw.state,
    url: raw.html_url,
  };
}

export const createIssue = defineTool({
  name: 'create_issue',
  title: 'Create issue',
  description: 'Open an issue, optionally with labels, assignees and milestone.',
  input: z.object({
    owner,
    repo,
    title: z.string().min(1).describe('Issue title'),
    body: z.string().optional().describe('Issue body (Markdown)'),
    assignees: z.array(z.string()).optional().describe('Logins to assign'),
    milestone: z.number().int().positive().optional().describe('Milestone number'),
    labels: z.array(z.string()).optional().describe('Label names'),
  }),
  output: written,
  toolset: ['issues', 'default'],
  annotations: CREATE,
  auditTarget: ['owner', 'repo'],
  async run(args, ctx) {
    const target = await ctx.policy.target(ctx, args.owner, args.repo, 'write');
    const { owner: _owner, repo: _repo, ...fields } = args;
    const { data } = await call(ctx, (octokit, req) =>
      octokit.rest.issues.create({ ...target, ...defined(fields), ...req }),
    );
    const result = toWritten(data);
    return structured(result, `Created issue #${result.number}: ${result.url}`);
  },
});

export const updateIssue = defineTool({
  name: 'update_issue',
  title: 'Update issue',
  description:
    "Change an issue's title, body, state, labels, assignees or milestone (lists replace the current ones).",
  input: z.object({
    owner,
    repo,
    issue_number: issueNumber,
    title: z.string().min(1).optional().describe('New title'),
    body: z.string().optional().describe('New body (Markdown)'),
    assignees: z.array(z.string()).optional().describe('Logins to assign'),
    milestone: z
      .number()
      .int()
      .positive()
      .nullable()
      .optional()
      .describe('Milestone number, null to remove'),
    labels: z.array(z.string()).optional().describe('Label names'),
    state: z.enum(['open', 'closed']).optional().describe('New state'),
    stateReason: z
      .enum(['completed', 'not_planned', 'reopened'])
      .optional()
      .describe('Why the state changes'),
  }),
  output: written,
  toolset: ['issues', 'default'],
  annotations: UPDATE,
  auditTarget: ['owner', 'repo', 'issue_number'],
  async run(args, ctx) {
    const target = await ctx.policy.target(ctx, args.owner, args.repo, 'write');
    const { owner: _owner, repo: _repo, issue_number, stateReason, ...fields } = args;
    const { data } = await call(ctx, (octokit, req) =>
      octokit.rest.issues.update({
        ...target,
        issue_number,
        ...defined(fields),
        ...(stateReason === undefined ? {} : { state_reason: stateReason }),
        ...req,
      }),
    );
    const result = toWritten(data);
    return structured(result, `Updated issue #${result.number} (${result.state}): ${result.url}`);
  },
});

export const addIssueComment = defineTool({
  name: 'add_issue_comment',
  title: 'Comment on issue',
  description: 'Comment on an issue or pull request.',
  input: z.object({
    owner,
    repo,
    issue_number: issueNumber,
    body: z.string().min(1).describe('Comment text (Markdown)'),
  }),
  output: z.object({ id: z.number(), url: z.string() }),
  toolset: ['issues', 'default'],
  annotations: CREATE,
  auditTarget: ['owner', 'repo', 'issue_number'],
  async run(args, ctx) {
    const target = await ctx.policy.target(ctx, args.owner, args.repo, 'write');
    const { data } = await call(ctx, (octokit, req) =>
      octokit.rest.issues.createComment({
        ...target,
        issue_number: args.issue_number,
        body: args.body,
        ...req,
      }),
    );
    return structured(
      { id: data.id, url: data.html_url },
      `Commented on #${args.issue_number}: ${data.html_url}`,
    );
  },
});

export const commentItem = z.object({
  id: z.number(),
  ...authorShape,
  body: z.string(),
  createdAt: z.string(),
  url: z.string(),
});

/** The fields of GitHub's comment payloads (issue and review comments) this server reads. */
interface RawComment {
  id: number;
  user: { login: string } | null;
  author_association: string;
  body?: string;
  created_at: string;
  html_url: string;
}

/** A comment as returned: attributed, its body sanitised or withheld under lockdown. */
export function toComment(
  raw: RawComment,
  trusted: (association: string | undefined) => boolean,
): z.infer<typeof commentItem> {
  const author = login(raw.user);
  return defined({
    id: raw.id,
    author,
    authorAssociation: raw.author_association,
    body: body(raw.body, { trusted: trusted(raw.author_association), author }),
    createdAt: raw.created_at,
    url: raw.html_url,
  });
}

export const getIssueComments = defineTool({
  name: 'get_issue_comments',
  title: 'Get issue comments',
  description:
    'The comments of an issue or pull request conversation, oldest first. Paged: pass nextCursor to continue.',
  input: z.object({
    owner,
    repo,
    issue_number: issueNumber,
    since: z.string().optional().describe('Updated after (ISO 8601)'),
    ...pageInput,
  }),
  output: z.object({ comments: listOf(commentItem), ...pagedShape }),
  toolset: 'issues',
  annotations: READ,
  auditTarget: ['owner', 'repo', 'issue_number'],
  async run(args, ctx) {
    const target = await ctx.policy.target(ctx, args.owner, args.repo, 'read');
    const trusted = await trustFor(ctx, target);
    const paged = await listPage(
      ctx,
      startAt(args),
      (octokit, req) =>
        octokit.rest.issues.listComments({
          ...target,
          issue_number: args.issue_number,
          ...(args.since === undefined ? {} : { since: args.since }),
          ...req,
        }),
      (raw) => toComment(raw, trusted),
    );
    const blocks = paged.items.map(
      (item) =>
        `@${item.author ?? '?'} on ${day(item.createdAt)} (${item.url}):\n${untrusted('comment', item.body, item.author, item.authorAssociation)}`,
    );
    return structured(
      { comments: paged.items, ...pageFields(paged) },
      listingText(blocks, 'No comments.', paged, 'comments'),
    );
  },
});
