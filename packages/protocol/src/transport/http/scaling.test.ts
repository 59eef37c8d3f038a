import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/support/http-server.js';

/** An ordinary round-robin reverse proxy: no stickiness, no MCP knowledge. */
async function roundRobin(
  targets: readonly URL[],
): Promise<{ url: string; hits: number[]; close(): Promise<void> }> {
  const hits = targets.map(() => 0);
  let next = 0;
  const proxy: Server = createServer((incoming, outgoing) => {
    const index = next++ % targets.length;
    hits[index]!++;
    const target = targets[index]!;
    const upstream = request(
      {
        host: target.hostname,
        port: target.port,
        path: incoming.url,
        method: incoming.method,
        headers: { ...incoming.headers, host: target.host },
      },
      (response) => {
        outgoing.writeHead(response.statusCode ?? 502, response.headers);
        response.pipe(outgoing);
      },
    );
    incoming.pipe(upstream);
    outgoing.on('close', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const { port } = proxy.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    hits,
    close: () =>
      new Promise((resolve) => {
        proxy.close(() => resolve());
        proxy.closeAllConnections();
      }),
  };
}

describe('horizontal scaling of 2026-07-28 traffic', () => {
  let instances: TestServer[];
  beforeAll(async () => {
    instances = [
      await startTestServer({}, 'shared-state-key'),
      await startTestServer({}, 'shared-state-key'),
    ];
  });
  afterAll(async () => {
    await Promise.all(instances.map((instance) => instance.close()));
  });

  it('serves a client through two instances behind a round-robin proxy, input-required rounds included', async () => {
    const proxy = await roundRobin(instances.map((instance) => new URL(instance.listening.url)));
    try {
      const client = new Client(
        { name: 'behind-lb', version: '1' },
        { capabilities: { elicitation: {} }, versionNegotiation: { mode: { pin: '2026-07-28' } } },
      );
      client.setRequestHandler('elicitation/create', () => ({
        action: 'accept',
        content: { name: 'Lovelace' },
      }));
      await client.connect(new StreamableHTTPClientTransport(new URL(proxy.url)));
      for (let round = 0; round < 4; round++) {
        const greeting = await client.callTool({ name: 'greet', arguments: {} });
        expect(greeting.content).toEqual([{ type: 'text', text: 'Hello, Lovelace!' }]);
        expect(
          await client.callTool({ name: 'echo', arguments: { message: `r${round}` } }),
        ).toMatchObject({ structuredContent: { echoed: `r${round}` } });
      }
      await client.close();
      expect(proxy.hits[0]).toBeGreaterThan(2);
      expect(proxy.hits[1]).toBeGreaterThan(2);
    } finally {
      await proxy.close();
    }
  });

  it('cannot finish a round on an instance that does not share the state key', async () => {
    const stranger = await startTestServer({}, 'another-key');
    const proxy = await roundRobin([
      new URL(instances[0]!.listening.url),
      new URL(stranger.listening.url),
    ]);
    try {
      const client = new Client(
        { name: 'behind-lb', version: '1' },
        { capabilities: { elicitation: {} }, versionNegotiation: { mode: { pin: '2026-07-28' } } },
      );
      client.setRequestHandler('elicitation/create', () => ({
        action: 'accept',
        content: { name: 'Eve' },
      }));
      await client.connect(new StreamableHTTPClientTransport(new URL(proxy.url)));
      const outcomes = await Promise.allSettled(
        [0, 1, 2, 3].map(() => client.callTool({ name: 'greet', arguments: {} })),
      );
      expect(outcomes.some((outcome) => outcome.status === 'rejected')).toBe(true);
      await client.close();
    } finally {
      await proxy.close();
      await stranger.close();
    }
  });
});
