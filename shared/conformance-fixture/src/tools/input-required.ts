/**
 * @module
 * The `test_input_required_result_*` tools of the 2026-07-28 conformance scenarios (SEP-2322).
 * Each asks with the exact input keys the suite expects; the protocol turns the question into an
 * input-required result with sealed `requestState` for 2026-07-28 requests, and into ordinary
 * server-to-client requests for handshake-era sessions, so the tools also work there.
 */
import { text } from '@plugboard/protocol';
import type { InputRequest } from '@plugboard/protocol';
import { z } from 'zod';
import { defineTool } from '../context.js';
import { describeAnswer, replyText } from './interaction.js';

const asking = {
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: false,
  openWorldHint: false,
} as const;

const askName = {
  message: 'What is your name?',
  requestedSchema: {
    type: 'object',
    properties: { name: { type: 'string' } },
    required: ['name'],
  },
};

function nameOf(answer: { content?: Record<string, unknown> }): string {
  const name = answer.content?.['name'];
  return typeof name === 'string' ? name : 'stranger';
}

export const inputElicitation = defineTool({
  name: 'test_input_required_result_elicitation',
  title: 'Input required: elicitation',
  description: "Asks the user's name (input key user_name) and greets them.",
  input: z.object({}),
  annotations: asking,
  async run(_args, ctx) {
    const answer = await ctx.elicit(askName, 'user_name');
    return text(`Hello, ${nameOf(answer)}!`);
  },
});

export const inputSampling = defineTool({
  name: 'test_input_required_result_sampling',
  title: 'Input required: sampling',
  description: "Asks the client's model for the capital of France (input key capital_question).",
  input: z.object({}),
  annotations: { ...asking, openWorldHint: true },
  async run(_args, ctx) {
    const reply = await ctx.sample(
      {
        messages: [
          { role: 'user', content: { type: 'text', text: 'What is the capital of France?' } },
        ],
        maxTokens: 100,
      },
      'capital_question',
    );
    return text(`Sampling answered: ${replyText(reply)}`);
  },
});

export const inputListRoots = defineTool({
  name: 'test_input_required_result_list_roots',
  title: 'Input required: roots',
  description: "Asks for the client's roots (input key client_roots) and lists them.",
  input: z.object({}),
  annotations: asking,
  async run(_args, ctx) {
    const roots = await ctx.listRoots('client_roots');
    return text(`Client roots (${roots.length}): ${roots.map((root) => root.uri).join(', ')}`);
  },
});

export const inputRequestState = defineTool({
  name: 'test_input_required_result_request_state',
  title: 'Input required: request state',
  description:
    'Asks for a confirmation (input key confirm); completes with "state-ok" once the sealed state checks out.',
  input: z.object({}),
  annotations: asking,
  async run(_args, ctx) {
    const answer = await ctx.elicit(
      {
        message: 'Please confirm',
        requestedSchema: {
          type: 'object',
          properties: { ok: { type: 'boolean' } },
          required: ['ok'],
        },
      },
      'confirm',
    );
    return text(`state-ok: ${describeAnswer(answer)}`);
  },
});

export const inputMultiple = defineTool({
  name: 'test_input_required_result_multiple_inputs',
  title: 'Input required: several at once',
  description: 'Asks for a name, a generated greeting and the roots in one round.',
  input: z.object({}),
  annotations: { ...asking, openWorldHint: true },
  async run(_args, ctx) {
    const answers = await ctx.ask({
      user_name: { method: 'elicitation/create', params: askName },
      greeting: {
        method: 'sampling/createMessage',
        params: {
          messages: [{ role: 'user', content: { type: 'text', text: 'Generate a greeting' } }],
          maxTokens: 50,
        },
      },
      client_roots: { method: 'roots/list', params: {} },
    });
    const roots = Array.isArray(answers.client_roots['roots']) ? answers.client_roots['roots'] : [];
    return text(
      `Received all inputs: user_name ${JSON.stringify(answers.user_name['content'] ?? {})}, greeting from ${String(answers.greeting['model'])}, ${roots.length} root(s)`,
    );
  },
});

export const inputMultiRound = defineTool({
  name: 'test_input_required_result_multi_round',
  title: 'Input required: two rounds',
  description: 'Asks for a name (step1), then a favourite colour (step2), one round each.',
  input: z.object({}),
  annotations: asking,
  async run(_args, ctx) {
    const first = await ctx.elicit(
      {
        message: 'Step 1: What is your name?',
        requestedSchema: {
          type: 'object',
          properties: { name: { type: 'string' } },
          required: ['name'],
        },
      },
      'step1',
    );
    const second = await ctx.elicit(
      {
        message: 'Step 2: What is your favorite color?',
        requestedSchema: {
          type: 'object',
          properties: { color: { type: 'string' } },
          required: ['color'],
        },
      },
      'step2',
    );
    const color = second.content?.['color'];
    return text(
      `Completed after 2 rounds: name=${nameOf(first)}, color=${typeof color === 'string' ? color : '?'}`,
    );
  },
});

export const inputTamperedState = defineTool({
  name: 'test_input_required_result_tampered_state',
  title: 'Input required: tamper check',
  description: 'Asks for a name; a retry whose requestState was altered is refused with -32602.',
  input: z.object({}),
  annotations: asking,
  async run(_args, ctx) {
    const answer = await ctx.elicit(askName, 'user_name');
    return text(`Hello, ${nameOf(answer)}! The request state was intact.`);
  },
});

export const inputCapabilities = defineTool({
  name: 'test_input_required_result_capabilities',
  title: 'Input required: only declared kinds',
  description:
    'Asks only for the kinds of input the client declared (elicitation, sampling, roots).',
  input: z.object({}),
  annotations: { ...asking, openWorldHint: true },
  async run(_args, ctx) {
    const { capabilities } = ctx.client;
    const requests: Record<string, InputRequest> = {};
    if (capabilities.elicitation !== undefined) {
      requests['user_name'] = { method: 'elicitation/create', params: askName };
    }
    if (capabilities.sampling !== undefined) {
      requests['greeting'] = {
        method: 'sampling/createMessage',
        params: {
          messages: [{ role: 'user', content: { type: 'text', text: 'Generate a greeting' } }],
          maxTokens: 50,
        },
      };
    }
    if (capabilities.roots !== undefined) {
      requests['client_roots'] = { method: 'roots/list', params: {} };
    }
    const keys = Object.keys(requests);
    if (keys.length === 0) return text('The client declared no input capabilities; nothing asked');
    await ctx.ask(requests);
    return text(`Asked only for: ${keys.join(', ')}`);
  },
});

export const inputRequiredTools = [
  inputElicitation,
  inputSampling,
  inputListRoots,
  inputRequestState,
  inputMultiple,
  inputMultiRound,
  inputTamperedState,
  inputCapabilities,
] as const;
