/**
 * @module
 * GitHub Actions: workflows, runs, one run with its jobs, the tail of job logs (a single job, or
 * every failed job of a run), and re-running a run. Logs stream in and only their end is kept, so
 * a huge log costs bounded memory; they are untrusted text (a pull request controls what it
 * prints).
 */
import { structured, ToolError, utf8Length } from '@plugboard/protocol';
import { z } from 'zod';
import { call, defineTool, type GithubContext } from '../context.js';
import { pageFields, pagedShape, startAt, listOf, listingText, pageInput } from '../paging.js';
import type { RepoRef } from '../policy.js';
import { day, defined, login, shortSha, untrusted } from '../render.js';
import { sanitizeLine, sanitizeText } from '../sanitize.js';
import { checkRef } from '../validate.js';
import { CREATE, itemBudget, listPage, owner, READ, repo } from './common.js';

export const runId = z.number().int().positive().describe('Workflow run id');

/** Bytes of a log kept while streaming it; the tail shown comes from these. */
const MAX_LOG_TAIL_BYTES = 2 * 1024 * 1024;
const MAX_FAILED_JOBS = 5;

const workflow = z.object({
  id: z.number(),
  name: z.string(),
  path: z.string(),
  state: z.string(),
});

export const listWorkflows = defineTool({
  name: 'list_workflows',
  title: 'List workflows',
  description: 'The GitHub Actions workflows of a repository: id, name, file and state.',
  input: z.object({ owner, repo, ...pageInput }),
  output: z.object({ workflows: listOf(workflow), ...pagedShape }),
  toolset: 'actions',
  annotations: READ,
  auditTarget: ['owner', 'repo'],
  async run(args, ctx) {
    const target = await ctx.policy.target(ctx, args.owner, args.repo, 'read');
    const paged = await listPage(
      ctx,
      startAt(args),
      async (octokit, req) => {
        const response = await octokit.rest.actions.listRepoWorkflows({ ...target, ...req });
        return { data: response.data.workflows, headers: response.headers };
      },
      (item) => ({
        id: item.id,
        name: sanitizeLine(item.name),
        path: sanitizeLine(item.path, 500),
        state: item.state,
      }),
    );
    const lines = paged.items.map(
      (item) => `${item.id} ${item.name} (${item.path}, ${item.state})`,
    );
    return structured(
      { workflows: paged.items, ...pageFields(paged) },
      listingText(lines, 'No workflows.', paged, 'workflows'),
    );
  },
});

const run = z.object({
  id: z.number(),
  name: z.string(),
  title: z.string(),
  status: z.string(),
  conclusion: z.string().optional(),
  branch: z.string().optional(),
  event: z.string(),
  headSha: z.string(),
  runNumber: z.number(),
  actor: z.string().optional(),
  createdAt: z.string(),
  url: z.string(),
});

interface RawRun {
  id: number;
  name?: string | null;
  display_title: string;
  status: string | null;
  conclusion: string | null;
  head_branch: string | null;
  event: string;
  head_sha: string;
  run_number: number;
  actor?: { login: string } | null;
  created_at: string;
  html_url: string;
}

function toRun(raw: RawRun) {
  return defined({
    id: raw.id,
    name: sanitizeLine(raw.name ?? ''),
    title: sanitizeLine(raw.display_title),
    status: raw.status ?? 'unknown',
    conclusion: raw.conclusion ?? undefined,
    branch: raw.head_branch === null ? undefined : sanitizeLine(raw.head_branch, 200),
    event: raw.event,
    headSha: raw.head_sha,
    runNumber: raw.run_number,
    actor: login(raw.actor),
    createdAt: raw.created_at,
    url: raw.html_url,
  });
}

function runLine(item: z.infer<typeof run>): string {
  return `${item.id} ${item.name} #${item.runNumber} [${item.conclusion ?? item.status}] ${item.title} — ${item.event} on ${item.branch ?? '?'} ${shortSha(item.headSha)}, ${day(item.createdAt)}`;
}

/** A workflow is named by its numeric id or its file name ("ci.yml"). */
export function workflowId(value: string): string | number {
  if (/^\d+$/.test(value)) return Number(value);
  if (/^[\w.-]+\.ya?ml$/.test(value) && !value.startsWith('.')) return value;
  throw new ToolError(
    `workflowId: "${sanitizeLine(value, 80)}" is neither a workflow id nor a workflow file name such as "ci.yml".`,
  );
}

export const listWorkflowRuns = defineTool({
  name: 'list_workflow_runs',
  title: 'List workflow runs',
  description:
    'Recent GitHub Actions runs of a repository or one workflow, filtered by branch, status or event. Newest first.',
  input: z.object({
    owner,
    repo,
    workflowId: z
      .string()
      .optional()
      .describe('Only runs of this workflow: its id or file name, e.g. "ci.yml"'),
    branch: z.string().optional().describe('Only runs for this branch'),
    status: z
      .enum([
        'queued',
        'in_progress',
        'completed',
        'success',
        'failure',
        'cancelled',
        'skipped',
        'timed_out',
        'action_required',
      ])
      .optional()
      .describe('Only runs with this status or conclusion'),
    event: z
      .string()
      .optional()
      .describe('Only runs triggered by this event, e.g. "push" or "pull_request"'),
    ...pageInput,
  }),
  output: z.object({ runs: listOf(run), ...pagedShape }),
  toolset: 'actions',
  annotations: READ,
  auditTarget: ['owner', 'repo', 'branch', 'workflowId'],
  async run(args, ctx) {
    const target = await ctx.policy.target(ctx, args.owner, args.repo, 'read');
    const filters = defined({
      branch: args.branch === undefined ? undefined : checkRef(args.branch, 'branch'),
      status: args.status,
      event: args.event === undefined ? undefined : sanitizeLine(args.event, 50),
    });
    const workflow = args.workflowId === undefined ? undefined : workflowId(args.workflowId);
    const paged = await listPage(
      ctx,
      startAt(args),
      async (octokit, req) => {
        const response =
          workflow === undefined
            ? await octokit.rest.actions.listWorkflowRunsForRepo({ ...target, ...filters, ...req })
            : await octokit.rest.actions.listWorkflowRuns({
                ...target,
                workflow_id: workflow,
                ...filters,
                ...req,
              });
        return { data: response.data.workflow_runs, headers: response.headers };
      },
      toRun,
    );
    return structured(
      { runs: paged.items, ...pageFields(paged) },
      listingText(paged.items.map(runLine), 'No runs.', paged, 'runs'),
    );
  },
});

export const job = z.object({
  id: z.number(),
  name: z.string(),
  status: z.string(),
  conclusion: z.string().optional(),
  failedSteps: z.array(z.string()),
  url: z.string().optional(),
});

interface RawJob {
  id: number;
  name: string;
  status: string;
  conclusion: string | null;
  html_url: string | null;
  steps?: { name: string; conclusion: string | null }[];
}

/** A job as listed: its outcome and the names of the steps that failed. */
export function toJob(raw: RawJob): z.infer<typeof job> {
  return defined({
    id: raw.id,
    name: sanitizeLine(raw.name),
    status: raw.status,
    conclusion: raw.conclusion ?? undefined,
    failedSteps: (raw.steps ?? [])
      .filter((step) => step.conclusion === 'failure')
      .map((step) => sanitizeLine(step.name)),
    url: raw.html_url ?? undefined,
  });
}

export function jobLine(item: z.infer<typeof job>): string {
  return `job ${item.id} ${item.name}: ${item.conclusion ?? item.status}${item.failedSteps.length === 0 ? '' : ` (failed: ${item.failedSteps.join(', ')})`}`;
}

async function jobsOf(
  ctx: GithubContext,
  target: RepoRef,
  id: number,
): Promise<{ jobs: RawJob[]; total: number }> {
  const { data } = await call(ctx, (octokit, req) =>
    octokit.rest.actions.listJobsForWorkflowRun({
      ...target,
      run_id: id,
      filter: 'latest',
      per_page: 100,
      ...req,
    }),
  );
  return { jobs: data.jobs, total: data.total_count };
}

export const getWorkflowRun = defineTool({
  name: 'get_workflow_run',
  title: 'Get workflow run',
  description:
    'One GitHub Actions run with its jobs and the steps that failed. Read failed logs with get_job_logs.',
  input: z.object({ owner, repo, runId }),
  output: run.extend({ jobs: listOf(job), truncated: z.boolean() }),
  toolset: 'actions',
  annotations: READ,
  auditTarget: ['owner', 'repo', 'runId'],
  async run(args, ctx) {
    const target = await ctx.policy.target(ctx, args.owner, args.repo, 'read');
    const [{ data }, { jobs, total }] = await Promise.all([
      call(ctx, (octokit, req) =>
        octokit.rest.actions.getWorkflowRun({ ...target, run_id: args.runId, ...req }),
      ),
      jobsOf(ctx, target, args.runId),
    ]);
    const items = jobs.map(toJob);
    const lines = items.map((item) => `  ${jobLine(item)}`);
    const summary = toRun(data);
    return structured(
      { ...summary, jobs: items, truncated: total > items.length },
      `${runLine(summary)}\n${summary.url}\n${lines.join('\n')}${total > items.length ? `\n(${total - items.length} more jobs not shown)` : ''}`,
    );
  },
});

/** Reads a response body, keeping only its last {@link MAX_LOG_TAIL_BYTES} bytes. */
async function tailOf(stream: ReadableStream<Uint8Array>): Promise<string> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let kept = 0;
  let dropped = false;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    kept += value.length;
    while (chunks.length > 1 && kept - chunks[0]!.length >= MAX_LOG_TAIL_BYTES) {
      kept -= chunks.shift()!.length;
      dropped = true;
    }
  }
  const text = Buffer.concat(chunks).toString('utf8');
  // A cut start is mid-line (and perhaps mid-character): begin at the next full line.
  return dropped ? text.slice(text.indexOf('\n') + 1) : text;
}

/** Log lines without ANSI colour codes and hidden characters; the timestamps GitHub prefixes stay. */
function cleanLog(text: string): string[] {
  // eslint-disable-next-line no-control-regex -- ANSI escape sequences
  const lines = sanitizeText(text.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '')).split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

async function jobLog(ctx: GithubContext, target: RepoRef, jobId: number): Promise<string[]> {
  const response = await call(ctx, (octokit, req) =>
    octokit.rest.actions.downloadJobLogsForWorkflowRun({
      ...target,
      job_id: jobId,
      request: { ...req.request, parseSuccessResponseBody: false },
    }),
  );
  const stream: unknown = response.data;
  if (stream instanceof ReadableStream) return cleanLog(await tailOf(stream));
  return cleanLog(typeof stream === 'string' ? stream : '');
}

/** The last `lines` lines of `log` that fit `budget` bytes. */
function tail(
  log: readonly string[],
  lines: number,
  budget: number,
): { text: string; shown: number } {
  const picked: string[] = [];
  let used = 0;
  for (let index = log.length - 1; index >= 0 && picked.length < lines; index--) {
    used += utf8Length(log[index]!) + 1;
    if (used > budget && picked.length > 0) break;
    picked.unshift(log[index]!);
  }
  return { text: picked.join('\n'), shown: picked.length };
}

const logPart = z.object({
  jobId: z.number(),
  jobName: z.string().optional(),
  lines: z.number(),
  totalLines: z.number(),
  log: z.string(),
});

export const getJobLogs = defineTool({
  name: 'get_job_logs',
  title: 'Get job logs',
  description:
    'The end of a GitHub Actions job log (jobId), or of every failed job in a run (runId with failedOnly). ' +
    'tailLines sets how many final lines to return (default 100).',
  input: z.object({
    owner,
    repo,
    jobId: z.number().int().positive().optional().describe('Job id (from get_workflow_run)'),
    runId: runId.optional(),
    failedOnly: z
      .boolean()
      .optional()
      .describe('With runId: the logs of every failed job of the run (default true)'),
    tailLines: z
      .number()
      .int()
      .min(1)
      .max(5000)
      .optional()
      .describe('Final lines per job to return (default 100)'),
  }),
  output: z.object({ logs: listOf(logPart), truncated: z.boolean() }),
  toolset: 'actions',
  taskSupport: 'optional',
  annotations: READ,
  auditTarget: ['owner', 'repo', 'runId', 'jobId'],
  async run(args, ctx) {
    const target = await ctx.policy.target(ctx, args.owner, args.repo, 'read');
    const lines = args.tailLines ?? 100;
    let jobs: { id: number; name?: string }[];
    let truncated = false;
    if (args.jobId !== undefined) jobs = [{ id: args.jobId }];
    else if (args.runId !== undefined) {
      const all = (await jobsOf(ctx, target, args.runId)).jobs;
      const wanted =
        args.failedOnly === false
          ? all
          : all.filter((item) => item.conclusion === 'failure' || item.conclusion === 'timed_out');
      if (wanted.length === 0)
        return structured(
          { logs: [], truncated: false },
          `Run ${args.runId} has no ${args.failedOnly === false ? '' : 'failed '}jobs.`,
        );
      truncated = wanted.length > MAX_FAILED_JOBS;
      jobs = wanted
        .slice(0, MAX_FAILED_JOBS)
        .map((item) => ({ id: item.id, name: sanitizeLine(item.name) }));
    } else
      throw new ToolError(
        'Give jobId for one job, or runId (with failedOnly) for the failed jobs of a run.',
      );
    const budget = Math.floor(itemBudget(ctx) / jobs.length);
    const logs = [];
    for (const item of jobs) {
      const log = await jobLog(ctx, target, item.id);
      const shown = tail(log, lines, budget);
      if (shown.shown < Math.min(lines, log.length)) truncated = true;
      logs.push(
        defined({
          jobId: item.id,
          jobName: item.name,
          lines: shown.shown,
          totalLines: log.length,
          log: shown.text,
        }),
      );
    }
    const text = logs.map(
      (part) =>
        `Job ${part.jobId}${part.jobName === undefined ? '' : ` (${part.jobName})`}: last ${part.lines} of ${part.totalLines} lines\n${untrusted('job log', part.log)}`,
    );
    return structured(
      { logs, truncated },
      `${text.join('\n')}${truncated ? `\n(not everything fit: ask for fewer tailLines, or one job at a time with jobId${jobs.length < MAX_FAILED_JOBS ? '' : `; only the first ${MAX_FAILED_JOBS} failed jobs are shown`})` : ''}`,
    );
  },
});

export const rerunWorkflowRun = defineTool({
  name: 'rerun_workflow_run',
  title: 'Re-run workflow run',
  description:
    'Run a GitHub Actions run again: all its jobs, or only the failed ones (failedOnly).',
  input: z.object({
    owner,
    repo,
    runId,
    failedOnly: z.boolean().optional().describe('Re-run only the failed jobs (default false)'),
  }),
  output: z.object({ runId: z.number(), failedOnly: z.boolean() }),
  toolset: 'actions',
  annotations: CREATE,
  auditTarget: ['owner', 'repo', 'runId'],
  async run(args, ctx) {
    const target = await ctx.policy.target(ctx, args.owner, args.repo, 'write');
    const failedOnly = args.failedOnly === true;
    await call(ctx, (octokit, req) =>
      failedOnly
        ? octokit.rest.actions.reRunWorkflowFailedJobs({ ...target, run_id: args.runId, ...req })
        : octokit.rest.actions.reRunWorkflow({ ...target, run_id: args.runId, ...req }),
    );
    return structured(
      { runId: args.runId, failedOnly },
      `Re-running ${failedOnly ? 'the failed jobs of ' : ''}run ${args.runId}.`,
    );
  },
});
