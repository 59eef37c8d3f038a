import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { describe, expect, it } from 'vitest';
import { InMemoryTransport } from '../../transport/in-memory.js';
import { definePrompt } from './prompt.js';
import { defineResource } from './resource.js';
import { createServer } from '../server.js';
import { ToolError } from './tool.js';

async function connect() {
  const server = createServer({
    name: 'errors',
    version: '1',
    resources: [
      defineResource({
        uri: 'test://locked',
        name: 'locked',
        read: () => {
          throw new ToolError('The vault is locked; unlock it with unlock_vault first');
        },
      }),
      defineResource({
        uri: 'test://broken',
        name: 'broken',
        read: () => {
          throw new Error('disk exploded at /secret/path');
        },
      }),
    ],
    prompts: [
      definePrompt({
        name: 'picky',
        description: 'Refuses politely.',
        get: () => {
          throw new ToolError('Pick a repository first');
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

describe('errors in resource and prompt handlers', () => {
  it('turn a ToolError into -32602 with its message', async () => {
    const client = await connect();
    await expect(client.readResource({ uri: 'test://locked' })).rejects.toMatchObject({
      code: -32602,
      message: expect.stringContaining('unlock it with unlock_vault first'),
    });
    await expect(client.getPrompt({ name: 'picky' })).rejects.toMatchObject({
      code: -32602,
      message: expect.stringContaining('Pick a repository first'),
    });
    await client.close();
  });

  it('turn anything else into -32603 without the message', async () => {
    const client = await connect();
    const failure = client.readResource({ uri: 'test://broken' });
    await expect(failure).rejects.toMatchObject({ code: -32603 });
    await expect(failure).rejects.not.toMatchObject({
      message: expect.stringContaining('/secret/path'),
    });
    await client.close();
  });
});
