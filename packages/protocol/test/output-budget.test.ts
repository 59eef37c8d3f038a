import { PassThrough } from 'node:stream';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { stderrLogger } from '../src/log.js';
import { structured, text } from '../src/mcp/features/content.js';
import { defineTool } from '../src/mcp/features/tool.js';
import { createServer, type McpServer } from '../src/mcp/server.js';
import { utf8Length } from '../src/kit/budget.js';
import { serveHttp } from '../src/transport/http/index.js';
import { InMemoryTransport } from '../src/transport/in-memory.js';
import { StdioServerTransport } from '../src/transport/stdio.js';

const BUDGET = 4096;
const hints = {
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: false,
};

/** A server whose tools ignore their budget: 10x of it, in ASCII and in four-byte characters. */
function floodServer(lines: string[], budget: number | 'default' = BUDGET): McpServer {
  const flood = defineTool({
    name: 'flood',
    description: 'Returns ten times its budget.',
    input: z.object({ wide: z.boolean().optional().describe('Use four-byte characters') }),
    output: z.object({ count: z.number(), truncated: z.boolean().optional() }),
    annotations: hints,
    run: ({ wide }, ctx) => {
      const unit = wide === true ? '😀' : 'x';
      const body = unit.repeat((ctx.outputBudget * 10) / utf8Length(unit));
      return structured({ count: body.length }, body);
    },
  });
  const fits = defineTool({
    name: 'fits',
    description: 'Returns exactly its budget.',
    input: z.object({}),
    annotations: hints,
    run: (_args, ctx) => text('y'.repeat(ctx.outputBudget)),
  });
  return createServer({
    name: 'budget',
    version: '1',
    tools: [flood, fits],
    logger: stderrLogger('warn', { write: (line) => lines.push(line) }),
    ...(budget === 'default' ? {} : { outputBudget: budget }),
  });
}

interface ToolResult {
  content: { type: string; text: string }[];
  structuredContent?: Record<string, unknown>;
}

function expectCut(result: ToolResult, lines: string[], budget = BUDGET): void {
  const texts = result.content.map((block) => block.text);
  const total = texts.reduce((sum, item) => sum + utf8Length(item), 0);
  expect(total).toBeLessThanOrEqual(budget);
  expect(texts.at(-1)).toMatch(
    new RegExp(
      `^\\[Output cut: this result had ${budget * 10} bytes of text, over the ${budget}-byte output budget; .*cursor or offset`,
    ),
  );
  // Cut at a character boundary: no lone surrogate survives.
  expect(texts[0]).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  expect(result.structuredContent).toMatchObject({ truncated: true });
  expect(
    lines.filter((line) =>
      line.includes('WARN tool flood returned more text than its output budget'),
    ),
  ).toHaveLength(1);
  expect(lines[0]).toContain(`bytes=${budget * 10}`);
}

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** An official SDK client connected to `server` in memory, closed after the test. */
async function inMemoryClient(server: McpServer): Promise<Client> {
  const [serverSide, clientSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: 't', version: '1' });
  await client.connect(clientSide as unknown as Parameters<Client['connect']>[0]);
  closers.push(() => client.close());
  return client;
}

describe('the output budget, kept by the protocol', () => {
  it('in memory: a result of 10x the budget comes back cut, marked and logged', async () => {
    const lines: string[] = [];
    const server = floodServer(lines);
    const client = await inMemoryClient(server);
    for (const wide of [false, true]) {
      lines.length = 0;
      expectCut(
        (await client.callTool({ name: 'flood', arguments: { wide } })) as ToolResult,
        lines,
      );
    }
  });

  it('leaves a result at the budget alone, and logs nothing', async () => {
    const lines: string[] = [];
    const server = floodServer(lines);
    const client = await inMemoryClient(server);
    const result = (await client.callTool({ name: 'fits', arguments: {} })) as ToolResult;
    expect(result.content).toEqual([{ type: 'text', text: 'y'.repeat(BUDGET) }]);
    expect(lines).toEqual([]);
  });

  it('over stdio: the same cut, mark and log', async () => {
    const lines: string[] = [];
    const server = floodServer(lines, 64 * 1024);
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    let out = '';
    stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    const connection = await server.connect(new StdioServerTransport({ stdin, stdout }));
    closers.push(() => connection.close());
    stdin.write(
      `${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } } })}\n`,
    );
    stdin.write(
      `${JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'flood', arguments: {} } })}\n`,
    );
    while (!out.includes('"id":2')) await new Promise((resolve) => setTimeout(resolve, 10));
    const answer = out
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { id: number; result: ToolResult })
      .find((message) => message.id === 2)!;
    expectCut(answer.result, lines, 64 * 1024);
  });

  it('over Streamable HTTP: the same cut, mark and log (default budget of 64 KiB)', async () => {
    const lines: string[] = [];
    const server = floodServer(lines, 'default');
    const listening = await serveHttp(server, { host: '127.0.0.1', port: 0 });
    closers.push(() => listening.close());
    const client = new Client({ name: 't', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(listening.url)));
    closers.unshift(() => client.close());
    expectCut(
      (await client.callTool({ name: 'flood', arguments: {} })) as ToolResult,
      lines,
      64 * 1024,
    );
  });
});
