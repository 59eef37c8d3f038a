/**
 * @module
 * What a pull request changes and whether CI likes it: changed files with patches, the full diff
 * by line range, and the head commit's statuses and check runs.
 */
import { structured, ToolError } from '@plugboard/protocol';
import { z } from 'zod';
import { call, defineTool } from '../context.js';
import {
  lineWindow,
  pageFields,
  pagedShape,
  startAt,
  listOf,
  listingText,
  pageInput,
} from '../paging.js';
import { defined, shortSha, untrusted } from '../render.js';
import { sanitizeLine } from '../sanitize.js';
import { itemBudget, listPage, owner, pullNumber, READ, repo } from './common.js';

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
    ...pageInput,
  }),
  output: z.object({ files: listOf(prFile), ...pagedShape }),
  toolset: ['pull_requests', 'default'],
  annotations: READ,
  auditTarget: ['owner', 'repo', 'pull_number'],
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
      listingText(blocks, 'No files.', paged, 'files'),
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
  toolset: 'pull_requests',
  annotations: READ,
  auditTarget: ['owner', 'repo', 'pull_number'],
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
  toolset: ['pull_requests', 'default'],
  annotations: READ,
  auditTarget: ['owner', 'repo', 'pull_number'],
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
