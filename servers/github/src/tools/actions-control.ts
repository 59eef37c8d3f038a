/**
 * @module
 * Starting and stopping GitHub Actions: dispatch a workflow (its `workflow_dispatch` trigger)
 * with inputs, and cancel a run. Both run or stop code with the repository's secrets, so they are
 * writes: hidden by --read-only and inside the allowlist and the private-to-public guard.
 */
import { structured, ToolError } from '@plugboard/protocol';
import { z } from 'zod';
import { call, defineTool } from '../context.js';
import { checkRef } from '../validate.js';
import { runId, workflowId } from './actions.js';
import { CREATE, owner, repo, UPDATE } from './common.js';

/** GitHub accepts at most 25 inputs for one dispatch. */
const MAX_INPUTS = 25;

export const runWorkflow = defineTool({
  name: 'run_workflow',
  title: 'Run workflow',
  description:
    'Start a GitHub Actions workflow that has a workflow_dispatch trigger, on a branch or tag, with its inputs. Find the new run with list_workflow_runs.',
  input: z.object({
    owner,
    repo,
    workflowId: z.string().describe('The workflow: its id or file name, e.g. "deploy.yml"'),
    ref: z.string().describe('Branch or tag to run it on'),
    inputs: z
      .record(z.string(), z.union([z.string(), z.number(), z.boolean()]))
      .optional()
      .describe("Values for the workflow's inputs, by input name"),
  }),
  output: z.object({ workflowId: z.union([z.string(), z.number()]), ref: z.string() }),
  toolset: 'actions',
  annotations: CREATE,
  auditTarget: ['owner', 'repo', 'workflowId'],
  async run(args, ctx) {
    const target = await ctx.policy.target(ctx, args.owner, args.repo, 'write');
    const workflow = workflowId(args.workflowId);
    const ref = checkRef(args.ref, 'ref');
    const inputs = Object.entries(args.inputs ?? {});
    if (inputs.length > MAX_INPUTS)
      throw new ToolError(`inputs: GitHub takes at most ${MAX_INPUTS} inputs per dispatch.`);
    await call(ctx, (octokit, req) =>
      octokit.rest.actions.createWorkflowDispatch({
        ...target,
        workflow_id: workflow,
        ref,
        // The dispatch API takes every input as a string; "true" and "3" are what a person types.
        ...(inputs.length === 0
          ? {}
          : { inputs: Object.fromEntries(inputs.map(([key, value]) => [key, String(value)])) }),
        ...req,
      }),
    );
    return structured(
      { workflowId: workflow, ref },
      `Dispatched workflow ${workflow} on ${ref}. The run appears in list_workflow_runs within seconds.`,
    );
  },
});

export const cancelWorkflowRun = defineTool({
  name: 'cancel_workflow_run',
  title: 'Cancel workflow run',
  description: 'Cancel a queued or running GitHub Actions run.',
  input: z.object({ owner, repo, runId }),
  output: z.object({ runId: z.number() }),
  toolset: 'actions',
  annotations: { ...UPDATE, idempotentHint: true },
  auditTarget: ['owner', 'repo', 'runId'],
  async run(args, ctx) {
    const target = await ctx.policy.target(ctx, args.owner, args.repo, 'write');
    await call(ctx, (octokit, req) =>
      octokit.rest.actions.cancelWorkflowRun({ ...target, run_id: args.runId, ...req }),
    );
    return structured(
      { runId: args.runId },
      `Cancelling run ${args.runId}; its jobs stop within moments.`,
    );
  },
});
