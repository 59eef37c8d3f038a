import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { InMemoryTransport } from '../transport/in-memory.js';
import { text } from './features/content.js';
import { createServer } from './server.js';
import { toolFactory } from './features/tool.js';
import type { Transport } from '../jsonrpc/transport.js';

interface Deps {
  greeting: string;
}

const defineTool = toolFactory<Deps>();

const READ_ONLY = {
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: false,
};

describe('the request context', () => {
  it('works destructured: dependencies and methods alike', async () => {
    const tool = defineTool({
      name: 'destructured',
      description: 'Uses its context destructured.',
      input: z.object({}),
      annotations: READ_ONLY,
      run: async (_args, { greeting, progress, log, signal }) => {
        await progress(1, 3, 'a third');
        await progress(2, 3, 'two thirds');
        await log('info', 'logged');
        return text(`${greeting} ${String(signal.aborted)}`);
      },
    });
    const server = createServer({
      name: 'ctx',
      version: '1',
      tools: [tool],
      context: { greeting: 'hello' },
    });
    const [serverSide, clientSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);
    const client = new Client({ name: 'c', version: '1' });
    const seen: string[] = [];
    client.fallbackNotificationHandler = (notification) => {
      seen.push(notification.method);
      return Promise.resolve();
    };
    await client.connect(clientSide as unknown as Parameters<Client['connect']>[0]);
    await client.setLoggingLevel('debug');
    const progressed: number[] = [];
    const result = await client.callTool({ name: 'destructured', arguments: {} }, undefined, {
      onprogress: (update) => progressed.push(update.progress),
    });
    expect(result.content).toEqual([{ type: 'text', text: 'hello false' }]);
    // The SDK client hands progress to onprogress (it may drop the last one), logs to the fallback.
    expect(progressed).toContain(1);
    await expect.poll(() => seen).toContain('notifications/message');
    await client.close();
  });
});

describe('ctx.auth', () => {
  it("is undefined over a transport of another library that passes its own second argument (the SDK's InMemoryTransport)", async () => {
    const { InMemoryTransport: SdkInMemory } =
      await import('@modelcontextprotocol/sdk/inMemory.js');
    const seen: unknown[] = [];
    const tool = defineTool({
      name: 'who',
      description: 'Reports ctx.auth.',
      input: z.object({}),
      annotations: READ_ONLY,
      run: (_args, ctx) => {
        seen.push(ctx.auth);
        ctx.logger.info('logged');
        return text('ok');
      },
    });
    const server = createServer({
      name: 'ctx',
      version: '1',
      tools: [tool],
      context: { greeting: '' },
    });
    const [serverSide, clientSide] = SdkInMemory.createLinkedPair();
    // The SDK's transport types differ from ours on paper (its message unions); on the wire they agree.
    await server.connect(serverSide as unknown as Transport);
    const client = new Client({ name: 'c', version: '1' });
    await client.connect(clientSide);
    const result = await client.callTool({ name: 'who', arguments: {} });
    expect(result.isError).toBeFalsy();
    expect(seen).toEqual([undefined]);
    await client.close();
  });
});
