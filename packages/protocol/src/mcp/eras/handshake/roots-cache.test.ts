import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ListRootsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { InMemoryTransport } from '../../../transport/in-memory.js';
import { text } from '../../features/content.js';
import { createServer } from '../../server.js';
import { defineTool } from '../../features/tool.js';

const roots = defineTool({
  name: 'roots',
  description: 'Lists the client roots.',
  input: z.object({}),
  annotations: {
    readOnlyHint: true,
    destructiveHint: false,
    idempotentHint: true,
    openWorldHint: false,
  },
  run: async (_args, ctx) => text((await ctx.listRoots()).map((root) => root.uri).join(',')),
});

async function connect(listChanged: boolean) {
  const server = createServer({ name: 'roots-test', version: '1', tools: [roots] });
  const [serverSide, clientSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client(
    { name: 'c', version: '1' },
    { capabilities: { roots: { listChanged } } },
  );
  let current = ['file:///a'];
  let asked = 0;
  client.setRequestHandler(ListRootsRequestSchema, () => {
    asked++;
    return { roots: current.map((uri) => ({ uri })) };
  });
  // Our in-memory transport is shaped like the SDK's; only its message type is narrower.
  await client.connect(clientSide as unknown as Parameters<Client['connect']>[0]);
  const call = async () =>
    ((await client.callTool({ name: 'roots', arguments: {} })).content as { text: string }[])[0]!
      .text;
  return {
    client,
    call,
    asked: () => asked,
    change: async (next: string[]) => {
      current = next;
      await client.sendRootsListChanged();
    },
  };
}

describe('roots of a handshake-era client', () => {
  it('are asked for once while the client promises to announce changes, and again after it does', async () => {
    const peer = await connect(true);
    expect(await peer.call()).toBe('file:///a');
    expect(await peer.call()).toBe('file:///a');
    expect(peer.asked()).toBe(1);
    await peer.change(['file:///b']);
    await expect.poll(() => peer.call()).toBe('file:///b');
    expect(peer.asked()).toBe(2);
    await peer.client.close();
  });

  it('are asked for on every call when the client does not announce changes', async () => {
    const peer = await connect(false);
    await peer.call();
    await peer.call();
    expect(peer.asked()).toBe(2);
    await peer.client.close();
  });
});
