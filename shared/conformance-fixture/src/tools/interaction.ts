/**
 * @module
 * Tools that talk back while they run or ask the client for something: logging, progress,
 * sampling, elicitation (form and URL mode, with defaults and every enum shape), roots, and a tool
 * that waits to be cancelled. Each asks through the era-independent context API, so the same tool
 * is a server-to-client request in the handshake era and an input-required round in 2026-07-28.
 */
import { text, ToolError } from '@plugboard/protocol';
import type { CreateMessageResult } from '@plugboard/protocol';
import { z } from 'zod';
import { defineTool } from '../context.js';

const pure = {
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: false,
} as const;

/** Waits `ms`, or less if `signal` fires first. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) {
      resolve();
      return;
    }
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/** The text of a sampling reply, or its JSON when it is not text. */
export function replyText(reply: CreateMessageResult): string {
  const content = Array.isArray(reply.content) ? reply.content[0] : reply.content;
  return content?.type === 'text' && typeof content.text === 'string'
    ? content.text
    : JSON.stringify(content);
}

/** One line describing an elicitation answer. */
export function describeAnswer(answer: { action: string; content?: unknown }): string {
  return `action=${answer.action}, content=${JSON.stringify(answer.content ?? {})}`;
}

export const toolWithLogging = defineTool({
  name: 'test_tool_with_logging',
  title: 'Logging during a call',
  description: 'Sends three info log messages about 50 ms apart, then returns.',
  input: z.object({}),
  annotations: pure,
  async run(_args, ctx) {
    await ctx.log('info', 'Tool execution started');
    await pause(50, ctx.signal);
    await ctx.log('info', 'Tool processing data');
    await pause(50, ctx.signal);
    await ctx.log('info', 'Tool execution completed');
    return text('Logging test completed: sent 3 log messages');
  },
});

export const loggingTool = defineTool({
  name: 'test_logging_tool',
  title: 'Logging at every level',
  description:
    'Logs one message at each of debug, info and warning; clients see those at or above their level.',
  input: z.object({}),
  annotations: pure,
  async run(_args, ctx) {
    await ctx.log('debug', 'debug message from test_logging_tool', 'fixture');
    await ctx.log('info', 'info message from test_logging_tool', 'fixture');
    await ctx.log('warning', { note: 'structured warning', from: 'test_logging_tool' }, 'fixture');
    return text('Logged at debug, info and warning');
  },
});

export const toolWithProgress = defineTool({
  name: 'test_tool_with_progress',
  title: 'Progress during a call',
  description: 'Reports progress 0, 50 and 100 of 100 about 50 ms apart, then returns.',
  input: z.object({}),
  annotations: pure,
  async run(_args, ctx) {
    await ctx.progress(0, 100);
    await pause(50, ctx.signal);
    await ctx.progress(50, 100);
    await pause(50, ctx.signal);
    await ctx.progress(100, 100);
    return text('Progress test completed: reported 0, 50 and 100 of 100');
  },
});

export const sampling = defineTool({
  name: 'test_sampling',
  title: 'Sampling',
  description: "Asks the client's model to answer the prompt and returns its reply.",
  input: z.object({ prompt: z.string().describe('The prompt to send to the model') }),
  annotations: { ...pure, idempotentHint: false, openWorldHint: true },
  async run({ prompt }, ctx) {
    const reply = await ctx.sample({
      messages: [{ role: 'user', content: { type: 'text', text: prompt } }],
      maxTokens: 100,
    });
    return text(`LLM response: ${replyText(reply)}`);
  },
});

export const elicitation = defineTool({
  name: 'test_elicitation',
  title: 'Elicitation',
  description: 'Asks the user for a username and email through the client and returns the answer.',
  input: z.object({ message: z.string().describe('The message to show the user') }),
  annotations: { ...pure, idempotentHint: false },
  async run({ message }, ctx) {
    const answer = await ctx.elicit({
      message,
      requestedSchema: {
        type: 'object',
        properties: {
          username: { type: 'string', description: "User's response" },
          email: { type: 'string', description: "User's email address" },
        },
        required: ['username', 'email'],
      },
    });
    return text(`User response: ${describeAnswer(answer)}`);
  },
});

export const elicitationDefaults = defineTool({
  name: 'test_elicitation_sep1034_defaults',
  title: 'Elicitation with defaults',
  description:
    'Asks the user for a form whose fields of every primitive type carry defaults (SEP-1034).',
  input: z.object({}),
  annotations: { ...pure, idempotentHint: false },
  async run(_args, ctx) {
    const answer = await ctx.elicit({
      message: 'Please review and update the form fields with defaults',
      requestedSchema: {
        type: 'object',
        properties: {
          name: { type: 'string', description: 'User name', default: 'John Doe' },
          age: { type: 'integer', description: 'User age', default: 30 },
          score: { type: 'number', description: 'User score', default: 95.5 },
          status: {
            type: 'string',
            description: 'User status',
            enum: ['active', 'inactive', 'pending'],
            default: 'active',
          },
          verified: { type: 'boolean', description: 'Verification status', default: true },
        },
      },
    });
    return text(`Elicitation completed: ${describeAnswer(answer)}`);
  },
});

export const elicitationEnums = defineTool({
  name: 'test_elicitation_sep1330_enums',
  title: 'Elicitation with enums',
  description: 'Asks the user for a form using all five enum shapes of SEP-1330.',
  input: z.object({}),
  annotations: { ...pure, idempotentHint: false },
  async run(_args, ctx) {
    const answer = await ctx.elicit({
      message: 'Please select options from the enum fields',
      requestedSchema: {
        type: 'object',
        properties: {
          untitledSingle: {
            type: 'string',
            description: 'Select one option',
            enum: ['option1', 'option2', 'option3'],
          },
          titledSingle: {
            type: 'string',
            description: 'Select one option with titles',
            oneOf: [
              { const: 'value1', title: 'First Option' },
              { const: 'value2', title: 'Second Option' },
              { const: 'value3', title: 'Third Option' },
            ],
          },
          legacyEnum: {
            type: 'string',
            description: 'Select one option (legacy)',
            enum: ['opt1', 'opt2', 'opt3'],
            enumNames: ['Option One', 'Option Two', 'Option Three'],
          },
          untitledMulti: {
            type: 'array',
            description: 'Select multiple options',
            minItems: 1,
            maxItems: 3,
            items: { type: 'string', enum: ['option1', 'option2', 'option3'] },
          },
          titledMulti: {
            type: 'array',
            description: 'Select multiple options with titles',
            minItems: 1,
            maxItems: 3,
            items: {
              anyOf: [
                { const: 'value1', title: 'First Choice' },
                { const: 'value2', title: 'Second Choice' },
                { const: 'value3', title: 'Third Choice' },
              ],
            },
          },
        },
        required: [],
      },
    });
    return text(`Elicitation completed: ${describeAnswer(answer)}`);
  },
});

export const urlElicitation = defineTool({
  name: 'test_url_elicitation',
  title: 'URL-mode elicitation',
  description: 'Asks the user to visit a URL (URL-mode elicitation) and returns their answer.',
  input: z.object({
    url: z.url().default('https://example.com/consent').describe('The URL the user should open'),
  }),
  annotations: { ...pure, idempotentHint: false },
  async run({ url }, ctx) {
    const answer = await ctx.elicit({
      mode: 'url',
      message: 'Please open the link to continue',
      url,
      elicitationId: 'fixture-url-elicitation',
    });
    return text(`URL elicitation: ${describeAnswer(answer)}`);
  },
});

export const listRoots = defineTool({
  name: 'test_list_roots',
  title: 'List roots',
  description: "Returns the client's roots, one URI per line.",
  input: z.object({}),
  annotations: pure,
  async run(_args, ctx) {
    const roots = await ctx.listRoots();
    return text(roots.length === 0 ? 'No roots' : roots.map((root) => root.uri).join('\n'));
  },
});

export const missingCapability = defineTool({
  name: 'test_missing_capability',
  title: 'Needs sampling',
  description:
    'Needs the sampling capability; a client without it gets -32021 (2026-07-28) or an error result.',
  input: z.object({}),
  annotations: { ...pure, idempotentHint: false, openWorldHint: true },
  async run(_args, ctx) {
    const reply = await ctx.sample(
      {
        messages: [{ role: 'user', content: { type: 'text', text: 'Say hello' } }],
        maxTokens: 20,
      },
      'missing_capability',
    );
    return text(`Sampling answered with role ${reply.role}`);
  },
});

export const streamingElicitation = defineTool({
  name: 'test_streaming_elicitation',
  title: 'Elicitation mid-stream',
  description:
    'Logs, then asks the user a question; in 2026-07-28 the question comes back as an input-required result.',
  input: z.object({}),
  annotations: { ...pure, idempotentHint: false },
  async run(_args, ctx) {
    await ctx.progress(0, 2, 'about to ask');
    const answer = await ctx.elicit(
      {
        message: 'Continue?',
        requestedSchema: {
          type: 'object',
          properties: { proceed: { type: 'boolean' } },
          required: ['proceed'],
        },
      },
      'proceed',
    );
    await ctx.progress(2, 2, 'answered');
    return text(`Streaming elicitation: ${describeAnswer(answer)}`);
  },
});

export const reconnection = defineTool({
  name: 'test_reconnection',
  title: 'Reconnection',
  description:
    'Takes a moment before answering, so an HTTP client can reconnect to its stream meanwhile.',
  input: z.object({}),
  annotations: pure,
  async run(_args, ctx) {
    await pause(100, ctx.signal);
    return text('Reconnection test completed');
  },
});

export const waitForCancellation = defineTool({
  name: 'test_wait_for_cancellation',
  title: 'Wait for cancellation',
  description:
    'Reports progress once, then waits until the call is cancelled (at most 30 s) and records the tag if it was.',
  input: z.object({ tag: z.string().max(100).describe('Recorded when this call is cancelled') }),
  annotations: pure,
  async run({ tag }, ctx) {
    await ctx.progress(1, undefined, 'waiting for cancellation');
    await pause(30_000, ctx.signal);
    if (!ctx.signal.aborted) throw new ToolError('Not cancelled within 30 s');
    ctx.cancelled.push(tag);
    return text(`cancelled: ${tag}`);
  },
});

export const cancellations = defineTool({
  name: 'test_cancellations',
  title: 'Cancelled calls',
  description:
    'Lists the tags of test_wait_for_cancellation calls whose handler saw the cancellation.',
  input: z.object({}),
  output: z.object({ tags: z.array(z.string()) }),
  annotations: { ...pure, idempotentHint: false },
  run: (_args, ctx) => ({
    content: [{ type: 'text', text: ctx.cancelled.join('\n') || 'none' }],
    structuredContent: { tags: [...ctx.cancelled] },
  }),
});

export const stdoutNoise = defineTool({
  name: 'test_stdout_noise',
  title: 'Writes to stdout',
  description:
    'Writes junk to process.stdout and console.log, as a careless dependency would, then returns.',
  input: z.object({}),
  annotations: pure,
  run() {
    process.stdout.write('stray process.stdout.write from a dependency\n');
    // eslint-disable-next-line no-console -- the point: a dependency that logs to stdout
    console.log('stray console.log from a dependency');
    return text('wrote to stdout');
  },
});

export const interactionTools = [
  toolWithLogging,
  loggingTool,
  toolWithProgress,
  sampling,
  elicitation,
  elicitationDefaults,
  elicitationEnums,
  urlElicitation,
  listRoots,
  missingCapability,
  streamingElicitation,
  reconnection,
  waitForCancellation,
  cancellations,
  stdoutNoise,
] as const;
