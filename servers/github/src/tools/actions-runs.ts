/**
 * @module
 * What one GitHub Actions run is made of, page by page: its jobs (latest attempt or all) and the
 * artifacts it uploaded. Names come from workflow files and are sanitised.
 */
import { structured } from '@plugboard/protocol';
import { z } from 'zod';
import { defineTool } from '../context.js';
import { listingText, listOf, pageFields, pagedShape, pageInput, startAt } from '../paging.js';
import { day, defined } from '../render.js';
import { sanitizeLine } from '../sanitize.js';
import { job, jobLine, runId, toJob } from './actions.js';
import { listPage, owner, READ, repo } from './common.js';

export const listWorkflowJobs = defineTool({
  name: 'list_workflow_jobs',
  title: 'List workflow jobs',
  description:
    "The jobs of a GitHub Actions run with their outcome and failed steps, paged; the latest attempt's unless filter is all. Read a job's log with get_job_logs.",
  input: z.object({
    owner,
    repo,
    runId,
    filter: z
      .enum(['latest', 'all'])
      .optional()
      .describe('latest (default): the latest attempt; all: every attempt'),
    ...pageInput,
  }),
  output: z.object({ jobs: listOf(job), ...pagedShape }),
  toolset: 'actions',
  annotations: READ,
  auditTarget: ['owner', 'repo', 'runId'],
  async run(args, ctx) {
    const target = await ctx.policy.target(ctx, args.owner, args.repo, 'read');
    const paged = await listPage(
      ctx,
      startAt(args),
      async (octokit, req) => {
        const response = await octokit.rest.actions.listJobsForWorkflowRun({
          ...target,
          run_id: args.runId,
          filter: args.filter ?? 'latest',
          ...req,
        });
        return { data: response.data.jobs, headers: response.headers };
      },
      toJob,
    );
    return structured(
      { jobs: paged.items, ...pageFields(paged) },
      listingText(paged.items.map(jobLine), 'No jobs.', paged, 'jobs'),
    );
  },
});

const artifact = z.object({
  id: z.number(),
  name: z.string(),
  sizeInBytes: z.number(),
  expired: z.boolean(),
  createdAt: z.string().optional(),
  expiresAt: z.string().optional(),
  digest: z.string().optional(),
});

export const listWorkflowRunArtifacts = defineTool({
  name: 'list_workflow_run_artifacts',
  title: 'List workflow run artifacts',
  description: 'The artifacts a GitHub Actions run uploaded: name, size, expiry.',
  input: z.object({ owner, repo, runId, ...pageInput }),
  output: z.object({ artifacts: listOf(artifact), ...pagedShape }),
  toolset: 'actions',
  annotations: READ,
  auditTarget: ['owner', 'repo', 'runId'],
  async run(args, ctx) {
    const target = await ctx.policy.target(ctx, args.owner, args.repo, 'read');
    const paged = await listPage(
      ctx,
      startAt(args),
      async (octokit, req) => {
        const response = await octokit.rest.actions.listWorkflowRunArtifacts({
          ...target,
          run_id: args.runId,
          ...req,
        });
        return { data: response.data.artifacts, headers: response.headers };
      },
      (raw) =>
        defined({
          id: raw.id,
          name: sanitizeLine(raw.name, 200),
          sizeInBytes: raw.size_in_bytes,
          expired: raw.expired,
          createdAt: raw.created_at ?? undefined,
          expiresAt: raw.expires_at ?? undefined,
          digest: raw.digest ?? undefined,
        }),
    );
    const lines = paged.items.map(
      (item) =>
        `${item.id} ${item.name} (${item.sizeInBytes} bytes${item.expired ? ', expired' : `, expires ${day(item.expiresAt)}`})`,
    );
    return structured(
      { artifacts: paged.items, ...pageFields(paged) },
      listingText(lines, 'No artifacts.', paged, 'artifacts'),
    );
  },
});
