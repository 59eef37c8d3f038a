import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { InMemoryTransport } from '../transport/in-memory.js';
import { text } from './features/content.js';
import { createServer } from './server.js';
import { toolFactory } from './features/tool.js';

interface Deps {
  greeting: string;
}

const defineTool = toolFactory<Deps>();

describe('the request context', () => {
  it('works destructured: dependencies and methods alike', async () => {
    const tool = defineTool({
      name: 'destructured',
      description: 'Uses its context destructured.',
      input: z.object({}),
      annotations: {
        readOnlyHint: true,
        destructiveHint: false,
        idempotentHint: true,
        openWorldHint: false,
      },
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
