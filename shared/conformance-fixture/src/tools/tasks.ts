/**
 * @module
 * The tools of the tasks-extension conformance scenarios (`io.modelcontextprotocol/tasks`,
 * SEP-2663), under the names the suite calls: a sync-only `greet`, task-capable tools that take
 * time, fail as a tool or as a protocol, ask one or two questions inside the task, and
 * `test_tool_with_task`, which asks first (an input-required round of the call) and only then
 * continues as a task.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { ErrorCode, ProtocolError, text, ToolError } from '@plugboard/protocol';
import type { ElicitResult } from '@plugboard/protocol';
import { z } from 'zod';
import { defineTool } from '../context.js';

const computing = {
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: false,
} as const;

const asking = { ...computing, idempotentHint: false } as const;

const confirmSchema = {
  type: 'object',
  properties: { confirm: { type: 'boolean', description: 'Go ahead' } },
  required: ['confirm'],
};

function accepted(answer: ElicitResult): boolean {
  return answer.action === 'accept' && answer.content?.['confirm'] !== false;
}

function answerName(answer: ElicitResult): string {
  const name = answer.content?.['name'];
  return typeof name === 'string' ? name : 'stranger';
}

export const greet = defineTool({
  name: 'greet',
  title: 'Greet',
  description: 'Returns "Hello, {name}!" at once. Never runs as a task.',
  input: z.object({ name: z.string().max(200).describe('Who to greet') }),
  annotations: computing,
  run: ({ name }) => text(`Hello, ${name}!`),
});

export const slowCompute = defineTool({
  name: 'slow_compute',
  title: 'Slow compute',
  description:
    'Waits `seconds` and then reports that `label` is done. Runs as a task for clients that support tasks; cancellable.',
  input: z.object({
    seconds: z.number().min(0).max(600).describe('How long the computation takes, in seconds'),
    label: z.string().max(200).describe('A name for this computation, echoed in the result'),
  }),
  annotations: computing,
  taskSupport: 'optional',
  async run({ seconds, label }, { signal }) {
    if (seconds > 0) await sleep(seconds * 1000, undefined, { signal });
    return text(`Computed ${label} in ${seconds} s`);
  },
});

export const failingJob = defineTool({
  name: 'failing_job',
  title: 'Failing job',
  description: 'Runs only as a task and always fails with a tool error after about a second.',
  input: z.object({}),
  annotations: computing,
  taskSupport: 'required',
  async run(_args, { signal }) {
    await sleep(1000, undefined, { signal });
    throw new ToolError('The job failed, as it always does');
  },
});

export const protocolErrorJob = defineTool({
  name: 'protocol_error_job',
  title: 'Protocol error job',
  description: 'Fails with a JSON-RPC error (not a tool error), so its task ends as failed.',
  input: z.object({}),
  annotations: computing,
  taskSupport: 'optional',
  async run(_args, { signal }) {
    await sleep(100, undefined, { signal });
    throw new ProtocolError(ErrorCode.InternalError, 'The job broke down at the protocol level');
  },
});

export const confirmDelete = defineTool({
  name: 'confirm_delete',
  title: 'Confirm delete',
  description:
    'Asks the user to confirm deleting `filename` and reports the answer. Deletes nothing: it is a fixture.',
  input: z.object({ filename: z.string().max(500).describe('The file the user is asked about') }),
  annotations: asking,
  taskSupport: 'optional',
  async run({ filename }, { elicit }) {
    const answer = await elicit({
      message: `Delete ${filename}?`,
      requestedSchema: confirmSchema,
    });
    return text(accepted(answer) ? `Deleted ${filename}` : `Kept ${filename}`);
  },
});

export const multiInput = defineTool({
  name: 'multi_input',
  title: 'Multiple inputs',
  description: 'Asks two questions at the same time and reports both answers.',
  input: z.object({}),
  annotations: asking,
  taskSupport: 'optional',
  async run(_args, { elicit }) {
    const question = (message: string) => ({
      message,
      requestedSchema: {
        type: 'object',
        properties: { name: { type: 'string' }, confirm: { type: 'boolean' } },
      },
    });
    const [first, second] = await Promise.all([
      elicit(question('First name?')),
      elicit(question('Second name?')),
    ]);
    return text(`Got ${answerName(first)} and ${answerName(second)}`);
  },
});

export const toolWithTask = defineTool({
  name: 'test_tool_with_task',
  title: 'Ask, then run as a task',
  description:
    "Asks the user's name (input key user_name) within the call, then continues as a task whose result greets them.",
  input: z.object({}),
  annotations: asking,
  taskSupport: 'required',
  deferTask: true,
  async run(_args, ctx) {
    const answer = await ctx.elicit(
      {
        message: 'What is your name?',
        requestedSchema: {
          type: 'object',
          properties: { name: { type: 'string' } },
          required: ['name'],
        },
      },
      'user_name',
    );
    await ctx.continueAsTask();
    await sleep(200, undefined, { signal: ctx.signal });
    return text(`Hello, ${answerName(answer)}! (from a task)`);
  },
});

export const taskTools = [
  greet,
  slowCompute,
  failingJob,
  protocolErrorJob,
  confirmDelete,
  multiInput,
  toolWithTask,
];
