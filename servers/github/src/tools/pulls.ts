/**
 * @module
 * Pull requests: the official ten tools (status now covers check runs too) plus the raw diff by
 * line range. Descriptions, review bodies and review comments are untrusted text.
 */
import { structured, ToolError } from '@plugboard/protocol';
import { z } from 'zod';
import { call, defineTool } from '../context.js';
import {
  continuation,
  cursorField,
  lineWindow,
  pageFields,
  pagedShape,
  pageField,
  perPageField,
  startAt,
  listOf,
} from '../paging.js';
import {
  authorShape,
  body,
  day,
  defined,
  LISTING_BODY_CHARS,
  login,
  shortSha,
  title,
  untrusted,
} from '../render.js';
import { sanitizeLine } from '../sanitize.js';
import { checkOwner, checkRef } from '../validate.js';
import { CREATE, itemBudget, listPage, owner, pullNumber, READ, repo, UPDATE } from './common.js';
import { commentItem, labelNames, trustFor } from './issues.js';

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
  bodyChars: number,
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
    body: bodyChars === 0 ? undefined : body(raw.body, { trusted: ok, author, max: bodyChars }),
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
  annotations: READ,
  async run(args, ctx) {
    const target = await ctx.policy.target(ctx, args.owner, args.repo, 'read');
    const [{ data }, trusted] = await Promise.all([
      call(ctx, (octokit, req) =>
        octokit.rest.pulls.get({ ...target, pull_number: args.pull_number, ...req }),
      ),
      trustFor(ctx, target),
    ]);
    const pr = {
      ...summarizePull(data, trusted, Number.POSITIVE_INFINITY),
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
  annotations: READ,
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
      (raw) => summarizePull(raw, trusted, LISTING_BODY_CHARS / 4),
    );
    return structured(
      { pullRequests: paged.items, ...pageFields(paged) },
      `${paged.items.length === 0 ? 'No pull requests.' : paged.items.map(pullBlock).join('\n')}${continuation(paged, 'pull requests')}`,
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
  annotations: CREATE,
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
  annotations: CREATE,
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
  annotations: UPDATE,
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

const prFile = z.object({
  filename: z.string(),
  status: z.string(),
  additions: z.number(),
  deletions: z.number(),
  previousFilename: z.string().optional(),
  patch: z.string().optional(),
});

const PATCH_CHARS = 4000;

export const getPullRequestFiles = defineTool({
  name: 'get_pull_request_files',
  title: 'Get pull request files',
  description: 'Files a pull request changes, with line counts and patches (long ones cut).',
  input: z.object({
    owner,
    repo,
    pull_number: pullNumber,
    page: pageField,
    perPage: perPageField,
    cursor: cursorField,
  }),
  output: z.object({ files: listOf(prFile), ...pagedShape }),
  annotations: READ,
  async run(args, ctx) {
    const target = await ctx.policy.target(ctx, args.owner, args.repo, 'read');
    const paged = await listPage(
      ctx,
      startAt(args),
      (octokit, req) =>
        octokit.rest.pulls.listFiles({ ...target, pull_number: args.pull_number, ...req }),
      (file) =>
        defined({
          filename: sanitizeLine(file.filename, 1000),
          status: file.status,
          additions: file.additions,
          deletions: file.deletions,
          previousFilename:
            file.previous_filename === undefined
              ? undefined
              : sanitizeLine(file.previous_filename, 1000),
          patch:
            file.patch === undefined
              ? undefined
              : file.patch.length > PATCH_CHARS
                ? `${file.patch.slice(0, PATCH_CHARS)}\n[… patch cut at ${PATCH_CHARS} characters; see get_pull_request_diff]`
                : file.patch,
        }),
    );
    const blocks = paged.items.map(
      (file) =>
        `${file.status} ${file.filename} +${file.additions} -${file.deletions}${file.patch === undefined ? '' : `\n${untrusted('patch', file.patch)}`}`,
    );
    return structured(
      { files: paged.items, ...pageFields(paged) },
      `${blocks.length === 0 ? 'No files.' : blocks.join('\n')}${continuation(paged, 'files')}`,
    );
  },
});

export const getPullRequestDiff = defineTool({
  name: 'get_pull_request_diff',
  title: 'Get pull request diff',
  description: 'The unified diff of a pull request, by line range when it is long.',
  input: z.object({
    owner,
    repo,
    pull_number: pullNumber,
    startLine: z.number().int().min(1).optional().describe('First diff line to return, from 1'),
  }),
  output: z.object({
    diff: z.string(),
    startLine: z.number(),
    endLine: z.number(),
    totalLines: z.number(),
    nextStartLine: z.number().optional(),
    truncated: z.boolean(),
  }),
  annotations: READ,
  async run(args, ctx) {
    const target = await ctx.policy.target(ctx, args.owner, args.repo, 'read');
    const { data } = await call(ctx, (octokit, req) =>
      octokit.rest.pulls.get({
        ...target,
        pull_number: args.pull_number,
        mediaType: { format: 'diff' },
        ...req,
      }),
    );
    // With the diff media type GitHub answers plain text, whatever Octokit's types say.
    const raw: unknown = data;
    const text = typeof raw === 'string' ? raw : '';
    const lines = text.split('\n');
    if (lines.at(-1) === '') lines.pop();
    const first = args.startLine ?? 1;
    if (first > Math.max(lines.length, 1))
      throw new ToolError(`startLine: the diff has only ${lines.length} lines.`);
    const window = lineWindow(lines, first, lines.length, itemBudget(ctx));
    const next = window.cut && window.end < lines.length ? window.end + 1 : undefined;
    return structured(
      defined({
        diff: window.content,
        startLine: first,
        endLine: window.end,
        totalLines: lines.length,
        nextStartLine: next,
        truncated: window.cut,
      }),
      `Diff of #${args.pull_number}, lines ${first}-${window.end} of ${lines.length}\n${untrusted('diff', window.content)}` +
        (next === undefined ? '' : `\n(more: call again with startLine ${next})`),
    );
  },
});

const statusItem = z.object({
  context: z.string(),
  state: z.string(),
  description: z.string().optional(),
  url: z.string().optional(),
});
const checkRun = z.object({
  name: z.string(),
  status: z.string(),
  conclusion: z.string().optional(),
  url: z.string().optional(),
});

export const getPullRequestStatus = defineTool({
  name: 'get_pull_request_status',
  title: 'Get pull request status',
  description: "CI of a pull request's head commit: combined status and check runs.",
  input: z.object({ owner, repo, pull_number: pullNumber }),
  output: z.object({
    sha: z.string(),
    state: z.string(),
    statuses: listOf(statusItem),
    checkRuns: listOf(checkRun),
    totalCheckRuns: z.number(),
    truncated: z.boolean(),
  }),
  annotations: READ,
  async run(args, ctx) {
    const target = await ctx.policy.target(ctx, args.owner, args.repo, 'read');
    const { data: pr } = await call(ctx, (octokit, req) =>
      octokit.rest.pulls.get({ ...target, pull_number: args.pull_number, ...req }),
    );
    const ref = pr.head.sha;
    const [status, checks] = await Promise.all([
      call(ctx, (octokit, req) =>
        octokit.rest.repos.getCombinedStatusForRef({ ...target, ref, per_page: 100, ...req }),
      ),
      call(ctx, (octokit, req) =>
        octokit.rest.checks.listForRef({ ...target, ref, per_page: 100, ...req }),
      ),
    ]);
    const statuses = status.data.statuses.map((item) =>
      defined({
        context: sanitizeLine(item.context, 200),
        state: item.state,
        description: item.description === null ? undefined : sanitizeLine(item.description, 300),
        url: item.target_url ?? undefined,
      }),
    );
    const checkRuns = checks.data.check_runs.map((run) =>
      defined({
        name: sanitizeLine(run.name, 200),
        status: run.status,
        conclusion: run.conclusion ?? undefined,
        url: run.html_url ?? undefined,
      }),
    );
    const total = checks.data.total_count;
    const lines = [
      `Head ${shortSha(ref)}: combined status ${status.data.state}`,
      ...statuses.map(
        (item) =>
          `  status ${item.context}: ${item.state}${item.description === undefined ? '' : ` — ${item.description}`}`,
      ),
      ...checkRuns.map((run) => `  check ${run.name}: ${run.conclusion ?? run.status}`),
    ];
    if (total > checkRuns.length)
      lines.push(`(${total - checkRuns.length} more check runs not shown)`);
    return structured(
      {
        sha: ref,
        state: status.data.state,
        statuses,
        checkRuns,
        totalCheckRuns: total,
        truncated: total > checkRuns.length,
      },
      lines.join('\n'),
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
  annotations: UPDATE,
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
    page: pageField,
    perPage: perPageField,
    cursor: cursorField,
  }),
  output: z.object({ comments: listOf(prComment), ...pagedShape }),
  annotations: READ,
  async run(args, ctx) {
    const target = await ctx.policy.target(ctx, args.owner, args.repo, 'read');
    const trusted = await trustFor(ctx, target);
    const paged = await listPage(
      ctx,
      startAt(args),
      (octokit, req) =>
        octokit.rest.pulls.listReviewComments({ ...target, pull_number: args.pull_number, ...req }),
      (raw) => {
        const author = login(raw.user);
        return defined({
          id: raw.id,
          author,
          authorAssociation: raw.author_association,
          body: body(raw.body, { trusted: trusted(raw.author_association), author }),
          createdAt: raw.created_at,
          url: raw.html_url,
          path: sanitizeLine(raw.path, 1000),
          line: raw.line ?? raw.original_line ?? undefined,
          inReplyTo: raw.in_reply_to_id,
        });
      },
    );
    const blocks = paged.items.map(
      (item) =>
        `${item.path}${item.line === undefined ? '' : `:${item.line}`} @${item.author ?? '?'} (${item.url}):\n${untrusted('review comment', item.body, item.author, item.authorAssociation)}`,
    );
    return structured(
      { comments: paged.items, ...pageFields(paged) },
      `${blocks.length === 0 ? 'No review comments.' : blocks.join('\n')}${continuation(paged, 'comments')}`,
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
    page: pageField,
    perPage: perPageField,
    cursor: cursorField,
  }),
  output: z.object({ reviews: listOf(review), ...pagedShape }),
  annotations: READ,
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
      `${blocks.length === 0 ? 'No reviews.' : blocks.join('\n')}${continuation(paged, 'reviews')}`,
    );
  },
});
