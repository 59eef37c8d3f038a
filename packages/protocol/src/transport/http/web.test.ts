import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestServer } from '../../../test/support/http-server.js';
import type { McpServer } from '../../mcp/server.js';
import { createStreamableHttp, type StreamableHttp } from './index.js';

// The README's `export default { fetch: mcp.fetch }` module, served as Bun and Deno serve it:
// each request handed to `fetch` as a `Request` carrying its Host header. No socket, no port.

const ORIGIN = 'http://127.0.0.1:8000';

let server: McpServer;
let mcp: StreamableHttp;

beforeEach(() => {
  server = createTestServer({ value: false });
  mcp = createStreamableHttp(server, { host: '127.0.0.1', port: 8000 });
});

afterEach(async () => {
  await mcp.close();
  await server.close();
});

describe('the endpoint as export default { fetch }', () => {
  it('serves a whole session to the official SDK client: initialize, tools/list, tools/call, close', async () => {
    const module = { fetch: mcp.fetch };
    const runtime = (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
      const request = new Request(input, init);
      request.headers.set('host', new URL(request.url).host);
      return module.fetch(request);
    };
    const client = new Client({ name: 'fetch-module', version: '1.0.0' });
    const transport = new StreamableHTTPClientTransport(new URL(`${ORIGIN}/mcp`), {
      fetch: runtime,
    });
    await client.connect(transport);
    try {
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name)).toEqual(['echo', 'greet', 'slow']);
      const result = await client.callTool({
        name: 'echo',
        arguments: { message: 'through fetch' },
      });
      expect(result.content).toEqual([{ type: 'text', text: 'through fetch' }]);
      expect(result.structuredContent).toEqual({ echoed: 'through fetch' });
      expect(transport.sessionId).toMatch(/^[A-Za-z0-9_-]{43}$/);
    } finally {
      await transport.terminateSession();
      await client.close();
    }
  });

  it('answers /healthz as a plain Response', async () => {
    const response = await mcp.fetch(
      new Request(`${ORIGIN}/healthz`, { headers: { host: '127.0.0.1:8000' } }),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({ status: 'ok' });
  });
});
