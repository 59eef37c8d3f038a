import { PassThrough } from 'node:stream';
import { z } from 'zod';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_BATCH_MESSAGES } from '../jsonrpc/connection.js';
import { ErrorCode } from '../jsonrpc/error-code.js';
import { StdioServerTransport } from '../transport/stdio.js';
import { text } from './features/content.js';
import { createServer, type ServerConnection } from './server.js';
import { defineTool } from './features/tool.js';

const annotations = {
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: false,
};

const tools = [
  defineTool({
    name: 'slow_echo',
    description: 'Echoes after a pause.',
    input: z.object({ message: z.string(), ms: z.number() }),
    annotations,
    run: async ({ message, ms }) => {
      await new Promise((resolve) => setTimeout(resolve, ms));
      return text(message);
    },
  }),
  defineTool({
    name: 'wait_for_cancel',
    description: 'Runs until cancelled.',
    input: z.object({}),
    annotations,
    run: (_args, { signal }) =>
      new Promise((_resolve, reject) => {
        signal.addEventListener('abort', () => reject(new Error('cancelled')));
      }),
  }),
];

type Line = Record<string, unknown> | Record<string, unknown>[];

const ping = (id: string | number) => ({ jsonrpc: '2.0', id, method: 'ping' });
const call = (id: string, name: string, args: object) => ({
  jsonrpc: '2.0',
  id,
  method: 'tools/call',
  params: { name, arguments: args },
});

const open: ServerConnection[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((connection) => connection.close()));
});

/** A server on the real stdio transport, initialized at `version`; lines out are parsed. */
async function session(version: string) {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const lines: Line[] = [];
  let partial = '';
  stdout.on('data', (chunk: Buffer) => {
    const parts = (partial + chunk.toString('utf8')).split('\n');
    partial = parts.pop() ?? '';
    for (const part of parts) lines.push(JSON.parse(part) as Line);
  });
  const server = createServer({ name: 'batch', version: '1', tools });
  open.push(await server.connect(new StdioServerTransport({ stdin, stdout })));
  const write = (value: unknown): void => {
    stdin.write(`${typeof value === 'string' ? value : JSON.stringify(value)}\n`);
  };
  /** The next line out after `count` lines. */
  const line = async (count: number): Promise<Line> => {
    await expect.poll(() => lines.length).toBeGreaterThan(count);
    return lines[count]!;
  };
  write({
    jsonrpc: '2.0',
    id: 'init',
    method: 'initialize',
    params: { protocolVersion: version, capabilities: {}, clientInfo: { name: 't', version: '1' } },
  });
  await line(0);
  write({ jsonrpc: '2.0', method: 'notifications/initialized' });
  return { write, line, lines };
}

/** Answers of a batch, by id: the array's order is the order in which they finished. */
function byId(answers: Line): Record<string, unknown> {
  expect(Array.isArray(answers)).toBe(true);
  return Object.fromEntries(
    (answers as Record<string, unknown>[]).map((answer) => [String(answer.id), answer]),
  );
}

describe('JSON-RPC batches in a 2025-03-26 session', () => {
  it('answers every request of a batch in one array, after the slowest, and runs its notifications', async () => {
    const { write, line } = await session('2025-03-26');
    write([
      call('slow', 'slow_echo', { message: 'late', ms: 50 }),
      { jsonrpc: '2.0', method: 'notifications/roots/list_changed' },
      ping('p'),
      call('fast', 'slow_echo', { message: 'early', ms: 0 }),
    ]);
    const answers = byId(await line(1));
    expect(Object.keys(answers).sort()).toEqual(['fast', 'p', 'slow']);
    expect(answers.p).toEqual({ jsonrpc: '2.0', id: 'p', result: {} });
    expect(answers.slow).toMatchObject({ result: { content: [{ type: 'text', text: 'late' }] } });
    expect(answers.fast).toMatchObject({ result: { content: [{ type: 'text', text: 'early' }] } });
  });

  it('answers each invalid element with its own error inside the array', async () => {
    const { write, line } = await session('2025-03-26');
    write([ping(1), 7, [ping(2)], { jsonrpc: '2.0', id: 'm', method: 5 }, call('x', 'nope', {})]);
    const answers = await line(1);
    expect(Array.isArray(answers)).toBe(true);
    const list = answers as { id: unknown; error?: { code: number } }[];
    expect(list).toHaveLength(5);
    expect(byId(answers)['1']).toEqual({ jsonrpc: '2.0', id: 1, result: {} });
    expect(list.filter((answer) => answer.id === null)).toHaveLength(2);
    expect(list.find((answer) => answer.id === 'm')?.error?.code).toBe(ErrorCode.InvalidRequest);
    expect(list.find((answer) => answer.id === 'x')?.error?.code).toBe(ErrorCode.InvalidParams);
  });

  it('sends nothing back for a batch of notifications', async () => {
    const { write, line, lines } = await session('2025-03-26');
    write([{ jsonrpc: '2.0', method: 'notifications/roots/list_changed' }]);
    write(ping('after'));
    expect(await line(1)).toEqual({ jsonrpc: '2.0', id: 'after', result: {} });
    expect(lines).toHaveLength(2);
  });

  it('leaves a cancelled request out of the array without holding the others back', async () => {
    const { write, line } = await session('2025-03-26');
    write([call('w', 'wait_for_cancel', {}), ping('p')]);
    write({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 'w' } });
    expect(await line(1)).toEqual([{ jsonrpc: '2.0', id: 'p', result: {} }]);
  });

  it('refuses an empty batch and an oversized one with a single -32600, running nothing', async () => {
    const { write, line } = await session('2025-03-26');
    write('[]');
    expect(await line(1)).toMatchObject({
      id: null,
      error: { code: ErrorCode.InvalidRequest, message: 'A batch must not be empty' },
    });
    write(Array.from({ length: MAX_BATCH_MESSAGES + 1 }, (_, i) => ping(i)));
    expect(await line(2)).toMatchObject({
      id: null,
      error: { code: ErrorCode.InvalidRequest, message: expect.stringMatching(/at most 100/) },
    });
    write(Array.from({ length: MAX_BATCH_MESSAGES }, (_, i) => ping(i)));
    expect(await line(3)).toHaveLength(MAX_BATCH_MESSAGES);
  });

  it('refuses initialize inside a batch, since the session is already initialized', async () => {
    const { write, line } = await session('2025-03-26');
    write([
      {
        jsonrpc: '2.0',
        id: 'again',
        method: 'initialize',
        params: { protocolVersion: '2025-03-26', capabilities: {} },
      },
    ]);
    expect(await line(1)).toEqual([
      {
        jsonrpc: '2.0',
        id: 'again',
        error: { code: ErrorCode.InvalidRequest, message: expect.stringMatching(/only once/) },
      },
    ]);
  });
});

describe('JSON-RPC batches in other sessions', () => {
  it.each(['2024-11-05', '2025-06-18', '2025-11-25'])(
    'refuses a batch in a %s session with one -32600 and runs nothing',
    async (version) => {
      const { write, line, lines } = await session(version);
      write([call('s', 'slow_echo', { message: 'never', ms: 0 }), ping('p')]);
      expect(await line(1)).toMatchObject({
        id: null,
        error: { code: ErrorCode.InvalidRequest, message: expect.stringMatching(/2025-03-26/) },
      });
      write(ping('after'));
      expect(await line(2)).toEqual({ jsonrpc: '2.0', id: 'after', result: {} });
      expect(lines).toHaveLength(3);
    },
  );

  it('refuses a batch before initialize', async () => {
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    const out: string[] = [];
    stdout.on('data', (chunk: Buffer) => out.push(chunk.toString('utf8')));
    const server = createServer({ name: 'batch', version: '1', tools });
    open.push(await server.connect(new StdioServerTransport({ stdin, stdout })));
    stdin.write(`${JSON.stringify([ping(1)])}\n`);
    await expect.poll(() => out.join('')).toMatch(/-32600/);
    expect(JSON.parse(out.join(''))).toMatchObject({ id: null, error: { code: -32600 } });
  });
});
