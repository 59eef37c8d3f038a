import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JSON_HEADERS, MODERN_META, modern, raw } from '../../../test/support/http-raw.js';
import { startTestServer, type TestServer } from '../../../test/support/http-server.js';

let subject: TestServer;
beforeAll(async () => {
  subject = await startTestServer();
});
afterAll(() => subject.close());

function modernClient(name = 'sdk-v2'): Client {
  const client = new Client(
    { name, version: '1' },
    { capabilities: { elicitation: {} }, versionNegotiation: { mode: { pin: '2026-07-28' } } },
  );
  client.setRequestHandler('elicitation/create', () => ({
    action: 'accept',
    content: { name: 'Grace' },
  }));
  return client;
}

describe('2026-07-28 with the official 2.x client', () => {
  it('discovers, lists, calls, reads and gets prompts without a session', async () => {
    const client = modernClient();
    const transport = new StreamableHTTPClientTransport(new URL(subject.listening.url));
    await client.connect(transport);
    expect(transport.sessionId).toBeUndefined();
    expect((await client.listTools()).tools.map((tool) => tool.name)).toEqual([
      'echo',
      'greet',
      'slow',
    ]);
    expect(await client.callTool({ name: 'echo', arguments: { message: 'modern' } })).toMatchObject(
      { structuredContent: { echoed: 'modern' } },
    );
    expect(await client.readResource({ uri: 'test://hello' })).toMatchObject({
      contents: [{ uri: 'test://hello', text: 'hello' }],
    });
    expect(await client.getPrompt({ name: 'hi' })).toMatchObject({ messages: [{ role: 'user' }] });
    await client.close();
  });

  it('completes an input-required round trip: the same tool code asks and gets its answer', async () => {
    const client = modernClient();
    await client.connect(new StreamableHTTPClientTransport(new URL(subject.listening.url)));
    const result = await client.callTool({ name: 'greet', arguments: {} });
    expect(result.content).toEqual([{ type: 'text', text: 'Hello, Grace!' }]);
    await client.close();
  });
});

describe('2026-07-28 request validation over HTTP', () => {
  it('answers server/discover with both generations, capabilities, caching hints and serverInfo', async () => {
    const response = await modern(subject.listening.url, 1, 'server/discover');
    expect(response.status).toBe(200);
    const body = response.json() as { result: Record<string, unknown> };
    expect(body.result).toMatchObject({
      resultType: 'complete',
      supportedVersions: ['2026-07-28', '2025-11-25', '2025-06-18', '2025-03-26', '2024-11-05'],
      ttlMs: expect.any(Number),
      cacheScope: expect.stringMatching(/^(public|private)$/),
      _meta: { 'io.modelcontextprotocol/serverInfo': { name: 'http-test', version: '1.0.0' } },
    });
    expect(body.result.capabilities).toHaveProperty('tools');
  });

  it('rejects a header that disagrees with the body with 400 and -32020', async () => {
    const wrongMethod = await modern(
      subject.listening.url,
      1,
      'tools/list',
      {},
      { 'mcp-method': 'prompts/list' },
    );
    expect(wrongMethod.status).toBe(400);
    expect(wrongMethod.json()).toMatchObject({ id: 1, error: { code: -32020 } });
    const wrongName = await modern(
      subject.listening.url,
      2,
      'tools/call',
      { name: 'echo', arguments: { message: 'x' } },
      { 'mcp-name': 'greet' },
    );
    expect(wrongName.json()).toMatchObject({ error: { code: -32020 } });
    const wrongVersion = await modern(
      subject.listening.url,
      3,
      'tools/list',
      {},
      { 'mcp-protocol-version': '2025-11-25' },
    );
    expect(wrongVersion.json()).toMatchObject({ error: { code: -32020 } });
  });

  it('decodes base64-wrapped header values and tolerates surrounding whitespace', async () => {
    const wrapped = `=?base64?${Buffer.from('echo').toString('base64')}?=`;
    const response = await modern(
      subject.listening.url,
      1,
      'tools/call',
      { name: 'echo', arguments: { message: 'x' } },
      { 'mcp-name': wrapped, 'mcp-method': '  tools/call ' },
    );
    expect(response.status).toBe(200);
    expect(response.json()).toMatchObject({ result: { structuredContent: { echoed: 'x' } } });
  });

  it('answers missing _meta with 400 and -32602, an unknown version with 400 and -32022', async () => {
    const noMeta = await raw(subject.listening.url, {
      headers: {
        ...JSON_HEADERS,
        'mcp-protocol-version': '2026-07-28',
        'mcp-method': 'tools/list',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/list', params: {} }),
    });
    expect(noMeta.status).toBe(400);
    expect(noMeta.json()).toMatchObject({ id: 7, error: { code: -32602 } });
    const future = await raw(subject.listening.url, {
      headers: {
        ...JSON_HEADERS,
        'mcp-protocol-version': '2099-01-01',
        'mcp-method': 'tools/list',
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 8,
        method: 'tools/list',
        params: {
          _meta: { ...MODERN_META, 'io.modelcontextprotocol/protocolVersion': '2099-01-01' },
        },
      }),
    });
    expect(future.status).toBe(400);
    expect(future.json()).toMatchObject({
      id: 8,
      error: { code: -32022, data: { supported: ['2026-07-28'], requested: '2099-01-01' } },
    });
  });

  it.each(['initialize', 'ping', 'logging/setLevel', 'resources/subscribe', 'unknown/method'])(
    'answers the handshake-only or unknown method %s with 404 and -32601',
    async (method) => {
      const response = await modern(subject.listening.url, 11, method);
      expect(response.status).toBe(404);
      expect(response.json()).toMatchObject({ id: 11, error: { code: -32601 } });
    },
  );

  it('rejects a tampered requestState with -32602 and runs nothing', async () => {
    const first = (
      await modern(subject.listening.url, 1, 'tools/call', { name: 'greet', arguments: {} })
    ).json() as { result: { requestState: string; resultType: string } };
    expect(first.result.resultType).toBe('input_required');
    const [body, mac] = first.result.requestState.split('.');
    const forged = `${body}x.${mac}`;
    const retry = await modern(subject.listening.url, 2, 'tools/call', {
      name: 'greet',
      arguments: {},
      inputResponses: { name: { action: 'accept', content: { name: 'Mallory' } } },
      requestState: forged,
    });
    expect(retry.json()).toMatchObject({ id: 2, error: { code: -32602 } });
    expect(retry.body).not.toContain('Mallory');
  });

  it('refuses requestState replayed onto different arguments', async () => {
    const first = (
      await modern(subject.listening.url, 1, 'tools/call', { name: 'greet', arguments: {} })
    ).json() as { result: { requestState: string } };
    const replay = await modern(subject.listening.url, 2, 'prompts/get', {
      name: 'hi',
      requestState: first.result.requestState,
    });
    expect(replay.json()).toMatchObject({ error: { code: -32602 } });
  });

  it('cancels the request when the client closes the response stream', async () => {
    subject.aborted.value = false;
    await modern(
      subject.listening.url,
      1,
      'tools/call',
      { name: 'slow', arguments: { steps: 40 }, _meta: { ...MODERN_META, progressToken: 'p' } },
      {},
    ).catch(() => undefined);
    // The request above completed; now start one and hang up after the first progress event.
    const hangUp = await raw(subject.listening.url, {
      headers: {
        ...JSON_HEADERS,
        'mcp-protocol-version': '2026-07-28',
        'mcp-method': 'tools/call',
        'mcp-name': 'slow',
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 3,
        method: 'tools/call',
        params: {
          name: 'slow',
          arguments: { steps: 40 },
          _meta: { ...MODERN_META, progressToken: 'p' },
        },
      }),
      untilBody: (text) => text.includes('notifications/progress'),
    });
    expect(hangUp.headers['content-type']).toBe('text/event-stream');
    await expect.poll(() => subject.aborted.value, { timeout: 3000 }).toBe(true);
  });

  it('keeps concurrent clients that reuse the same request id apart (H-14)', async () => {
    const calls = Array.from({ length: 20 }, (_, index) =>
      modern(subject.listening.url, 0, 'tools/call', {
        name: 'echo',
        arguments: { message: `client-${index}` },
      }),
    );
    const results = await Promise.all(calls);
    results.forEach((response, index) => {
      expect(response.json()).toMatchObject({
        id: 0,
        result: { structuredContent: { echoed: `client-${index}` } },
      });
    });
  });

  it('answers GET without a session from a modern client with 405', async () => {
    const response = await raw(subject.listening.url, {
      method: 'GET',
      headers: { accept: 'text/event-stream', 'mcp-protocol-version': '2026-07-28' },
    });
    expect(response.status).toBe(405);
  });
});
