import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../jsonrpc/errors.js';
import { nullLogger } from '../../log.js';
import { InMemoryTransport } from '../../transport/in-memory.js';
import { createServer } from '../server.js';
import { text } from './content.js';
import { defineTool, ToolError, type ToolReturn } from './tool.js';

/** What each tool does with its `what` argument: answer, or fail in one of the ways a tool can. */
function behave(what: string): ToolReturn<unknown> {
  switch (what) {
    case 'answer':
      return text('the answer');
    case 'too-long':
      return text('x'.repeat(5000));
    case 'tool-error':
      throw new ToolError('Unlock the vault first');
    case 'protocol-error':
      throw ProtocolError.invalidParams('No such vault');
    default:
      throw new Error(`disk failed while reading ${what}`);
  }
}

const annotations = {
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: false,
} as const;
const input = z.object({ what: z.string() });

/** Two tools alike but for when they answer: one returns at once, one after a timer. */
async function connect(): Promise<Client> {
  const server = createServer({
    name: 'answers',
    version: '1',
    outputBudget: 1024,
    logger: nullLogger,
    tools: [
      defineTool({
        name: 'now',
        description: 'Answers synchronously.',
        input,
        annotations,
        run: ({ what }) => behave(what),
      }),
      defineTool({
        name: 'later',
        description: 'Answers after a timer.',
        input,
        annotations,
        run: async ({ what }) => {
          await new Promise((resolve) => setTimeout(resolve, 1));
          return behave(what);
        },
      }),
    ],
  });
  const [serverSide, clientSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: 'c', version: '1' });
  await client.connect(clientSide as unknown as Parameters<Client['connect']>[0]);
  return client;
}

/** The answer to a call as the client sees it, the tool's own name written as `<tool>`. */
async function answer(client: Client, name: string, what: string): Promise<unknown> {
  try {
    const result = await client.callTool({ name, arguments: { what } });
    return JSON.parse(JSON.stringify(result).replaceAll(name, '<tool>')) as unknown;
  } catch (error) {
    const { code, message } = error as { code: number; message: string };
    return { code, message: message.replaceAll(name, '<tool>') };
  }
}

const expected: Record<string, (answer: unknown) => void> = {
  answer: (a) => expect(a).toEqual({ content: [{ type: 'text', text: 'the answer' }] }),
  'too-long': (a) => {
    const { content } = a as { content: { text: string }[] };
    expect(content[0]?.text.length).toBeLessThan(1024);
    expect(content.at(-1)?.text).toContain('[Output cut:');
  },
  'tool-error': (a) =>
    expect(a).toEqual({
      content: [{ type: 'text', text: 'Unlock the vault first' }],
      isError: true,
    }),
  'protocol-error': (a) =>
    expect(a).toMatchObject({ code: -32602, message: expect.stringContaining('No such vault') }),
  bug: (a) =>
    expect(a).toEqual({
      content: [{ type: 'text', text: '<tool> failed: disk failed while reading bug' }],
      isError: true,
    }),
};

describe('a tool that answers synchronously', () => {
  it.each(Object.keys(expected))(
    'gets the same answer on the wire as one that answers later: %s',
    async (what) => {
      const client = await connect();
      const now = await answer(client, 'now', what);
      expect(now).toEqual(await answer(client, 'later', what));
      expected[what]?.(now);
      await client.close();
    },
  );

  it('still answers a bad argument with a tool error, and keeps serving', async () => {
    const client = await connect();
    const result = await client.callTool({ name: 'now', arguments: { what: 42 } });
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result.content)).toContain('Invalid arguments for now');
    expect(await answer(client, 'now', 'answer')).toEqual({
      content: [{ type: 'text', text: 'the answer' }],
    });
    await client.close();
  });
});
