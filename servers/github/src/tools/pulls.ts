/**
 * @module
 * Pull requests themselves: read one, list them, open one, merge one, update its branch.
 * Titles and descriptions are untrusted text.
 */
import { structured } from '@plugboard/protocol';
import { z } from 'zod';
import { call, defineTool } from '../context.js';
import {
  cursorField,
  pageFields,
  pagedShape,
  pageField,
  perPageField,
  startAt,
  listOf,
  listingText,
} from '../paging.js';
import {
  authorShape,
  bodyExcerpt,
  day,
  defined,
  FULL_BODY_BYTES,
  LISTING_BODY_BYTES,
  login,
  shortSha,
  title,
  untrusted,
} from '../render.js';
import { sanitizeLine } from '../sanitize.js';
import { checkOwner, checkRef } from '../validate.js';
import { CREATE, listPage, owner, pullNumber, READ, repo, UPDATE } from './common.js';
import { labelNames, trustFor } from './issues.js';

interface RawPull {
  number: number;
  title: string;
  state: string;
  draft?: boolean;
  body: string | null;
  user: { login: string } | null;
  author_association: string;
  labels: { name?: string }[];
  head: { ref: string; sha: string; label: string };
  base: { ref: string; sha: string };
  created_at: string;
  updated_at: string;
  merged_at: string | null;
  html_url: string;
}

const pullSummary = z.object({
  number: z.number(),
  title: z.string(),
  state: z.string(),
  draft: z.boolean(),
  merged: z.boolean(),
  ...authorShape,
  head: z.string(),
  base: z.string(),
  labels: z.array(z.string()),
  updatedAt: z.string(),
  url: z.string(),
  body: z.string().optional(),
});

type PullSummary = z.infer<typeof pullSummary>;

function summarizePull(
  raw: RawPull,
  trusted: (association: string | undefined) => boolean,
  bodyBytes: number,
): PullSummary {
  const ok = trusted(raw.author_association);
  const author = login(raw.user);
  return defined({
    number: raw.number,
    title: title(raw.title, ok),
    state: raw.state,
    draft: raw.draft === true,
    merged: raw.merged_at !== null,
    author,
    authorAssociation: raw.author_association,
    head: sanitizeLine(raw.head.label, 200),
    base: sanitizeLine(raw.base.ref, 200),
    labels: labelNames(raw.labels),
    updatedAt: raw.updated_at,
    url: raw.html_url,
    body: bodyExcerpt(
      raw.body,
      bodyBytes,
      { trusted: ok, author },
      'get_pull_request has the whole description',
    ),
  });
}

function pullLine(pr: PullSummary): string {
  const state = pr.merged ? 'merged' : pr.draft ? `draft ${pr.state}` : pr.state;
  return `#${pr.number} [${state}] ${pr.title} — @${pr.author ?? '?'}, ${pr.head} → ${pr.base}, updated ${day(pr.updatedAt)}`;
}

function pullBlock(pr: PullSummary): string {
  const text = untrusted('pull request body', pr.body ?? '', pr.author, pr.authorAssociation);
  return text === '' ? pullLine(pr) : `${pullLine(pr)}\n${text}`;
}

export const getPullRequest = defineTool({
  name: 'get_pull_request',
  title: 'Get pull request',
  description: 'One pull request: description, branches, mergeability, size, reviewers.',
  input: z.object({ owner, repo, pull_number: pullNumber }),
  output: pullSummary.extend({
    headSha: z.string(),
    mergeable: z.boolean().optional(),
    mergeableState: z.string().optional(),
    additions: z.number(),
    deletions: z.number(),
    changedFiles: z.number(),
    commits: z.number(),
    requestedReviewers: z.array(z.string()),
  }),
  toolset: ['pull_requests', 'default'],
  annotations: READ,
  auditTarget: ['owner', 'repo', 'pull_number'],
  async run(args, ctx) {
    const target = await ctx.policy.target(ctx, args.owner, args.repo, 'read');
    const [{ data }, trusted] = await Promise.all([
      call(ctx, (octokit, req) =>
        octokit.rest.pulls.get({ ...target, pull_number: args.pull_number, ...req }),
      ),
      trustFor(ctx, target),
    ]);
    const pr = {
      ...summarizePull(data, trusted, FULL_BODY_BYTES),
      ...defined({
        headSha: data.head.sha,
        mergeable: data.mergeable ?? undefined,
        mergeableState: data.mergeable_state,
        additions: data.additions,
        deletions: data.deletions,
        changedFiles: data.changed_files,
        commits: data.commits,
        requestedReviewers: (data.requested_reviewers ?? []).map((user) =>
          sanitizeLine(user.login, 60),
        ),
      }),
    };
    const facts = `${pr.commits} commits, ${pr.changedFiles} files, +${pr.additions} -${pr.deletions}, head ${shortSha(pr.headSha)}, mergeable: ${pr.mergeableState ?? 'unknown'}`;
    return structured(pr, `${target.owner}/${target.repo}${pullBlock(pr)}\n${facts}\n${pr.url}`);
  },
});

export const listPullRequests = defineTool({
  name: 'list_pull_requests',
  title: 'List pull requests',
  description:
    'List pull requests of a repository by state and branches, with description excerpts.',
  input: z.object({
    owner,
    repo,
    state: z.enum(['open', 'closed', 'all']).optional().describe('State (default open)'),
    head: z.string().optional().describe('Head as "user:branch"'),
    base: z.string().optional().describe('Base branch'),
    sort: z
      .enum(['created', 'updated', 'popularity', 'long-running'])
      .optional()
      .describe('Sort field (default created)'),
    direction: z.enum(['asc', 'desc']).optional().describe('Sort direction'),
    per_page: perPageField,
    page: pageField,
    cursor: cursorField,
  }),
  output: z.object({ pullRequests: listOf(pullSummary), ...pagedShape }),
  toolset: ['pull_requests', 'default'],
  annotations: READ,
  auditTarget: ['owner', 'repo', 'head', 'base'],
  async run(args, ctx) {
    const target = await ctx.policy.target(ctx, args.owner, args.repo, 'read');
    const trusted = await trustFor(ctx, target);
    const filters = defined({
      state: args.state,
      head: args.head === undefined ? undefined : checkHead(args.head),
      base: args.base === undefined ? undefined : checkRef(args.base, 'base'),
      sort: args.sort,
      direction: args.direction,
    });
    const paged = await listPage(
      ctx,
      startAt({ page: args.page, perPage: args.per_page, cursor: args.cursor }),
      (octokit, req) => octokit.rest.pulls.list({ ...target, ...filters, ...req }),
      (raw) => summarizePull(raw, trusted, LISTING_BODY_BYTES),
    );
    return structured(
      { pullRequests: paged.items, ...pageFields(paged) },
      listingText(paged.items.map(pullBlock), 'No pull requests.', paged, 'pull requests'),
    );
  },
});

/** A head is "branch" or "owner:branch" (a fork's branch). */
function checkHead(head: string): string {
  const colon = head.indexOf(':');
  if (colon === -1) return checkRef(head, 'head');
  checkOwner(head.slice(0, colon), 'head');
  checkRef(head.slice(colon + 1), 'head');
  return head;
}

const created = z.object({ number: z.number(), url: z.string(), state: z.string() });

export const createPullRequest = defineTool({
  name: 'create_pull_request',
  title: 'Create pull request',
  description: 'Open a pull request from a head branch into a base branch.',
  input: z.object({
    owner,
    repo,
    title: z.string().min(1).describe('Pull request title'),
    body: z.string().optional().describe('Description (Markdown)'),
    head: z.string().describe('Branch with the changes ("user:branch" for forks)'),
    base: z.string().describe('Branch to merge into'),
    draft: z.boolean().optional().describe('Open as a draft'),
    maintainer_can_modify: z
      .boolean()
      .optional()
      .describe('Let maintainers push to the head branch'),
  }),
  output: created,
  toolset: ['pull_requests', 'default'],
  annotations: CREATE,
  auditTarget: ['owner', 'repo', 'head', 'base'],
  async run(args, ctx) {
    const target = await ctx.policy.target(ctx, args.owner, args.repo, 'write');
    const { data } = await call(ctx, (octokit, req) =>
      octokit.rest.pulls.create({
        ...target,
        title: args.title,
        head: checkHead(args.head),
        base: checkRef(args.base, 'base'),
        ...defined({
          body: args.body,
          draft: args.draft,
          maintainer_can_modify: args.maintainer_can_modify,
        }),
        ...req,
      }),
    );
    return structured(
      { number: data.number, url: data.html_url, state: data.state },
      `Opened pull request #${data.number}: ${data.html_url}`,
    );
  },
});

export const mergePullRequest = defineTool({
  name: 'merge_pull_request',
  title: 'Merge pull request',
  description:
    'Merge a pull request (merge, squash or rebase); sha makes it fail if the head moved.',
  input: z.object({
    owner,
    repo,
    pull_number: pullNumber,
    commit_title: z.string().optional().describe('Title of the merge commit'),
    commit_message: z.string().optional().describe('Extra merge commit message'),
    merge_method: z
      .enum(['merge', 'squash', 'rebase'])
      .optional()
      .describe('Merge method (default merge)'),
    sha: z.string().optional().describe('Expected head SHA'),
  }),
  output: z.object({ merged: z.boolean(), sha: z.string(), message: z.string() }),
  toolset: ['pull_requests', 'default'],
  annotations: UPDATE,
  auditTarget: ['owner', 'repo', 'pull_number'],
  approval: {
    class: 'merge',
    // What the person approves is read from GitHub, not taken from the model's arguments.
    async summary(args, ctx) {
      const target = await ctx.policy.target(ctx, args.owner, args.repo, 'write');
      const { data } = await call(ctx, (octokit, req) =>
        octokit.rest.pulls.get({ ...target, pull_number: args.pull_number, ...req }),
      );
      return [
        `Merge pull request #${data.number} of ${target.owner}/${target.repo} (${args.merge_method ?? 'merge'}): ${sanitizeLine(data.title, 200)}`,
        `${sanitizeLine(data.head.label, 200)} into ${sanitizeLine(data.base.ref, 200)}: ${data.commits} commits, ${data.changed_files} files, +${data.additions} -${data.deletions}, head ${shortSha(data.head.sha)}`,
        args.sha === undefined
          ? 'Whatever the head is when it merges.'
          : `Only if the head is still ${shortSha(args.sha)}.`,
        data.html_url,
      ].join('\n');
    },
  },
  async run(args, ctx) {
    const target = await ctx.policy.target(ctx, args.owner, args.repo, 'write');
    const { data } = await call(ctx, (octokit, req) =>
      octokit.rest.pulls.merge({
        ...target,
        pull_number: args.pull_number,
        ...defined({
          commit_title: args.commit_title,
          commit_message: args.commit_message,
          merge_method: args.merge_method,
          sha: args.sha === undefined ? undefined : checkRef(args.sha, 'sha'),
        }),
        ...req,
      }),
    );
    const result = { merged: data.merged, sha: data.sha, message: sanitizeLine(data.message) };
    return structured(
      result,
      result.merged
        ? `Merged #${args.pull_number} as ${shortSha(result.sha)}.`
        : `Not merged: ${result.message}`,
    );
  },
});

export const updatePullRequestBranch = defineTool({
  name: 'update_pull_request_branch',
  title: 'Update pull request branch',
  description: "Merge the base branch into a pull request's head branch.",
  input: z.object({
    owner,
    repo,
    pull_number: pullNumber,
    expected_head_sha: z.string().optional().describe('Expected head SHA'),
  }),
  output: z.object({ message: z.string() }),
  toolset: ['pull_requests', 'default'],
  annotations: UPDATE,
  auditTarget: ['owner', 'repo', 'pull_number'],
  async run(args, ctx) {
    const target = await ctx.policy.target(ctx, args.owner, args.repo, 'write');
    const { data } = await call(ctx, (octokit, req) =>
      octokit.rest.pulls.updateBranch({
        ...target,
        pull_number: args.pull_number,
        ...(args.expected_head_sha === undefined
          ? {}
          : { expected_head_sha: checkRef(args.expected_head_sha, 'expected_head_sha') }),
        ...req,
      }),
    );
    const message = sanitizeLine(data.message ?? 'Updating pull request branch.');
    return structured({ message }, message);
  },
});
