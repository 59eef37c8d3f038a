import { createServer, defineTool, structured, ToolError } from '@plugboard/protocol';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { connectInProcess, textOf, toolCalls } from './tool-calls.js';

const READ_ONLY = { readOnlyHint: true, destructiveHint: false } as const;

/** What every tool of these tests shares: a name, a title, a description, read-only hints. */
function about(name: string): {
  name: string;
  title: string;
  description: string;
  annotations: Parameters<typeof defineTool>[0]['annotations'];
} {
  return {
    name,
    title: name,
    description: `The ${name} tool of the tests.`,
    annotations: { ...READ_ONLY, idempotentHint: true, openWorldHint: false },
  };
}

const echo = defineTool({
  ...about('echo'),
  input: z.object({ message: z.string().describe('What to return') }),
  output: z.object({ message: z.string() }),
  run: ({ message }) => structured({ message }, `said ${message}`),
});

const refuse = defineTool({
  ...about('refuse'),
  input: z.object({}),
  run: () => {
    throw new ToolError('not today');
  },
});

/** Answers only by failing once its call is cancelled. */
const wait = defineTool({
  ...about('wait'),
  input: z.object({}),
  run: (_args, { signal }) =>
    new Promise((_resolve, reject) => {
      signal.addEventListener('abort', () => {
        reject(new Error('cancelled'));
      });
    }),
});

async function connected(): Promise<Awaited<ReturnType<typeof connectInProcess>>> {
  const server = createServer({
    name: 'tool-calls-test',
    version: '0.0.0',
    tools: [echo, refuse, wait],
    context: {},
  });
  return connectInProcess(server, { clientInfo: { name: 'tool-calls-test', version: '0.0.0' } });
}

describe('toolCalls over connectInProcess', () => {
  it('returns the parsed result of a call, and the data and text of a success from ok', async () => {
    const client = await connected();
    const { call, ok } = toolCalls(client);
    const result = await call('echo', { message: 'hi' });
    expect(result.structuredContent).toEqual({ message: 'hi' });
    expect(textOf(result)).toBe('said hi');
    expect(await ok('echo', { message: 'again' })).toEqual({
      message: 'again',
      text: 'said again',
    });
    await client.close();
  });

  it('returns the message of a refusal from fail, and throws from ok and fail when they are wrong', async () => {
    const client = await connected();
    const { ok, fail } = toolCalls(client);
    expect(await fail('refuse')).toContain('not today');
    await expect(ok('refuse')).rejects.toThrow(/refuse failed: .*not today/);
    await expect(fail('echo', { message: 'x' })).rejects.toThrow(
      /echo succeeded but should have failed: said x/,
    );
    await client.close();
  });

  it('cancels a call through its signal', async () => {
    const client = await connected();
    const { call } = toolCalls(client);
    const controller = new AbortController();
    const pending = call('wait', {}, { signal: controller.signal });
    controller.abort(new Error('enough'));
    await expect(pending).rejects.toThrow(/enough/);
    await client.close();
  });
});
