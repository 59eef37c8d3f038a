import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestServer } from '../../../test/support/http-server.js';
import type { McpServer } from '../../mcp/server.js';
import { htmlAnswer, redirectAnswer } from './answer.js';
import {
  createStreamableHttp,
  type HttpRoutes,
  type RouteRequest,
  type StreamableHttp,
} from './index.js';

const ORIGIN = 'http://127.0.0.1:8000';
const HOST = { host: '127.0.0.1:8000' };

let server: McpServer;
let mcp: StreamableHttp;
let seen: RouteRequest[];

const routes: HttpRoutes = {
  prefix: '/connect/',
  handle(request) {
    seen.push(request);
    if (request.path === '/connect/go')
      return Promise.resolve(redirectAnswer('https://example.com/a'));
    return Promise.resolve(htmlAnswer(200, `<p>${request.query.get('state') ?? ''}</p>`));
  },
};

beforeEach(() => {
  seen = [];
  server = createTestServer({ value: false });
  mcp = createStreamableHttp(server, {
    host: '127.0.0.1',
    port: 8000,
    authToken: 'the-mcp-token-0123456789',
    routes,
  });
});

afterEach(async () => {
  await mcp.close();
  await server.close();
});

describe('routes beside /mcp', () => {
  it('reaches a GET under the prefix without the MCP token, with its path and query', async () => {
    const response = await mcp.fetch(
      new Request(`${ORIGIN}/connect/github/callback?state=s1&code=c1`, { headers: HOST }),
    );
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('<p>s1</p>');
    expect(seen.map((request) => [request.path, request.query.get('code')])).toEqual([
      ['/connect/github/callback', 'c1'],
    ]);
  });

  it('sends pages and redirects with no caching, no referrer and a strict CSP', async () => {
    const page = await mcp.fetch(new Request(`${ORIGIN}/connect/x`, { headers: HOST }));
    const redirect = await mcp.fetch(new Request(`${ORIGIN}/connect/go`, { headers: HOST }));
    expect(redirect.status).toBe(303);
    expect(redirect.headers.get('location')).toBe('https://example.com/a');
    for (const response of [page, redirect]) {
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
      expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
      expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    }
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
  });

  it('still applies the Host guard, and takes GET only', async () => {
    const rebound = await mcp.fetch(
      new Request(`${ORIGIN}/connect/x`, { headers: { host: 'evil.example:8000' } }),
    );
    expect(rebound.status).toBe(403);
    const posted = await mcp.fetch(
      new Request(`${ORIGIN}/connect/x`, { method: 'POST', headers: HOST, body: '{}' }),
    );
    expect(posted.status).toBe(405);
    expect(posted.headers.get('allow')).toBe('GET');
    expect(seen).toEqual([]);
  });

  it('leaves /mcp behind its token and other paths unrouted', async () => {
    const mcpWithoutToken = await mcp.fetch(
      new Request(`${ORIGIN}/mcp`, { method: 'POST', headers: HOST, body: '{}' }),
    );
    expect(mcpWithoutToken.status).toBe(401);
    const other = await mcp.fetch(new Request(`${ORIGIN}/connected`, { headers: HOST }));
    expect(other.status).toBe(404);
    expect(seen).toEqual([]);
  });

  it('refuses a prefix that is not one plain segment or is the endpoint’s own', () => {
    for (const prefix of ['/mcp/', '/.well-known/', 'connect/', '/connect', '/a/b/'])
      expect(() =>
        createStreamableHttp(server, {
          host: '127.0.0.1',
          port: 8000,
          routes: { ...routes, prefix },
        }),
      ).toThrow(/prefix/i);
  });
});
