import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { stderrLogger } from '../../log.js';
import { InMemoryTransport } from '../../transport/in-memory.js';
import { text } from './content.js';
import { createServer } from '../server.js';
import { defineTool } from './tool.js';

describe('the debug log of a tool call', () => {
  it('shows private arguments as their length only, and the others as sent', async () => {
    const lines: string[] = [];
    const post = defineTool({
      name: 'post',
      description: 'Posts a message.',
      input: z.object({ channel: z.string(), text: z.string(), tags: z.array(z.string()) }),
      annotations: {
        readOnlyHint: false,
        destructiveHint: false,
        idempotentHint: false,
        openWorldHint: true,
      },
      privateArguments: ['text', 'tags'],
      run: () => text('posted'),
    });
    const server = createServer({
      name: 'log',
      version: '1',
      tools: [post],
      logger: stderrLogger('debug', { write: (line) => lines.push(line) }),
    });
    const [serverSide, clientSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);
    const client = new Client({ name: 'c', version: '1' });
    await client.connect(clientSide as unknown as Parameters<Client['connect']>[0]);
    await client.callTool({
      name: 'post',
      arguments: { channel: 'C-GENERAL', text: 'secret plans', tags: ['payroll'] },
    });
    const logged = lines.filter((line) => line.includes('tool call')).join('\n');
    expect(logged).toContain('C-GENERAL');
    expect(logged).toContain('[12 characters]');
    expect(logged).toContain('[private]');
    expect(logged).not.toContain('secret plans');
    expect(logged).not.toContain('payroll');
    await client.close();
  });
});
