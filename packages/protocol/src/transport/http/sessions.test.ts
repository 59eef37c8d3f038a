import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  ElicitRequestSchema,
  ToolListChangedNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineTool } from '../../mcp/features/tool.js';
import { text } from '../../mcp/features/content.js';
import { initialize, JSON_HEADERS, raw } from '../../../test/support/http-raw.js';
import { startTestServer, type TestServer } from '../../../test/support/http-server.js';

let subject: TestServer;
beforeAll(async () => {
  subject = await startTestServer({ maxBodyBytes: 64 * 1024 });
});
afterAll(() => subject.close());

const ping = (id: number) => JSON.stringify({ jsonrpc: '2.0', id, method: 'ping' });

describe('handshake-era sessions with the official 1.x client', () => {
  it('runs a whole session: tools, progress over SSE, elicitation on the request stream, termination', async () => {
    const client = new Client(
      { name: 'sdk-v1', version: '1' },
      { capabilities: { elicitation: {} } },
    );
    client.setRequestHandler(ElicitRequestSchema, () => ({
      action: 'accept',
      content: { name: 'Ada' },
    }));
    const transport = new StreamableHTTPClientTransport(new URL(subject.listening.url));
    await client.connect(transport);
    expect(transport.sessionId).toMatch(/^[\x21-\x7e]{43}$/);
    const tools = await client.listTools();
    expect(tools.tools.map((tool) => tool.name)).toEqual(['echo', 'greet', 'slow']);
    expect(await client.callTool({ name: 'echo', arguments: { message: 'hi' } })).toMatchObject({
      structuredContent: { echoed: 'hi' },
    });
    const progress: number[] = [];
    const slow = await client.callTool({ name: 'slow', arguments: { steps: 3 } }, undefined, {
      onprogress: (p) => progress.push(p.progress),
    });
    expect(slow.content).toEqual([{ type: 'text', text: 'done' }]);
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(await client.callTool({ name: 'greet', arguments: {} })).toMatchObject({
      content: [{ type: 'text', text: 'Hello, Ada!' }],
    });
    const sessionId = transport.sessionId!;
    await transport.terminateSession();
    const after = await raw(subject.listening.url, {
      headers: { ...JSON_HEADERS, 'mcp-session-id': sessionId },
      body: ping(9),
    });
    expect(after.status).toBe(404);
    await client.close();
  });

  it('delivers list_changed on the GET stream', async () => {
    const client = new Client({ name: 'sdk-v1', version: '1' });
    const transport = new StreamableHTTPClientTransport(new URL(subject.listening.url));
    await client.connect(transport);
    const changed = new Promise<void>((resolve) => {
      client.setNotificationHandler(ToolListChangedNotificationSchema, () => resolve());
    });
    // Give the client's GET stream a moment to open, then change the tool list.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const extra = defineTool({
      name: 'extra',
      description: 'Added at run time.',
      input: z.object({}),
      annotations: {
        readOnlyHint: true,
        destructiveHint: false,
        idempotentHint: true,
        openWorldHint: false,
      },
      run: () => text('extra'),
    });
    subject.server.tools.set(extra);
    await changed;
    expect((await client.listTools()).tools.map((tool) => tool.name)).toContain('extra');
    subject.server.tools.delete('extra');
    await client.close();
  });
});

describe('handshake-era sessions with the official 2.x client', () => {
  it('negotiates 2025-11-25 over a session and calls tools, with elicitation on the request stream', async () => {
    const { Client: ClientV2, StreamableHTTPClientTransport: TransportV2 } =
      await import('@modelcontextprotocol/client');
    const client = new ClientV2(
      { name: 'sdk-v2-legacy', version: '1' },
      { capabilities: { elicitation: {} } },
    );
    client.setRequestHandler('elicitation/create', () => ({
      action: 'accept',
      content: { name: 'Hopper' },
    }));
    const transport = new TransportV2(new URL(subject.listening.url));
    await client.connect(transport);
    expect(transport.sessionId).toEqual(expect.any(String));
    expect(client.getServerVersion()).toMatchObject({ name: 'http-test' });
    expect(await client.callTool({ name: 'greet', arguments: {} })).toMatchObject({
      content: [{ type: 'text', text: 'Hello, Hopper!' }],
    });
    await client.close();
  });
});

describe('session ids (H-05)', () => {
  it('are unique, long, visible ASCII, and never chosen by the client', async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 50; i++) ids.add(await initialize(subject.listening.url));
    expect(ids.size).toBe(50);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const chosen = await raw(subject.listening.url, {
      headers: { ...JSON_HEADERS, 'mcp-session-id': 'attacker-chosen' },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: {
          protocolVersion: '2025-11-25',
          capabilities: {},
          clientInfo: { name: 'x', version: '1' },
        },
      }),
    });
    expect(chosen.status).toBe(404);
  });
});

describe('HTTP semantics (H-09, H-11, H-13)', () => {
  it('answers a POST without a usable Accept with 406', async () => {
    const response = await raw(subject.listening.url, {
      headers: { 'content-type': 'application/json', accept: 'text/html' },
      body: ping(1),
    });
    expect(response.status).toBe(406);
  });

  it('answers a non-JSON Content-Type with 415', async () => {
    const response = await raw(subject.listening.url, {
      headers: { 'content-type': 'text/plain', accept: 'application/json' },
      body: ping(1),
    });
    expect(response.status).toBe(415);
  });

  it('answers a compressed body with 415', async () => {
    const response = await raw(subject.listening.url, {
      headers: { ...JSON_HEADERS, 'content-encoding': 'gzip' },
      body: ping(1),
    });
    expect(response.status).toBe(415);
  });

  it('answers a body over the limit with 413, declared or streamed', async () => {
    const big = JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'ping',
      params: { pad: 'x'.repeat(70 * 1024) },
    });
    const declared = await raw(subject.listening.url, {
      headers: { ...JSON_HEADERS, 'content-length': String(big.length) },
      body: big,
    });
    expect(declared.status).toBe(413);
    const chunked = await raw(subject.listening.url, {
      headers: { ...JSON_HEADERS, 'transfer-encoding': 'chunked' },
      body: big,
    });
    expect(chunked.status).toBe(413);
  });

  it('answers invalid JSON with 400 and -32700, and a batch without a session with 400', async () => {
    const bad = await raw(subject.listening.url, { headers: JSON_HEADERS, body: '{"jsonrpc":' });
    expect(bad.status).toBe(400);
    expect(bad.json()).toMatchObject({ error: { code: -32700 } });
    const batch = await raw(subject.listening.url, {
      headers: JSON_HEADERS,
      body: `[${ping(1)},${ping(2)}]`,
    });
    expect(batch.status).toBe(400);
  });

  it('requires a session for anything but initialize, and 404s an unknown one', async () => {
    const none = await raw(subject.listening.url, { headers: JSON_HEADERS, body: ping(1) });
    expect(none.status).toBe(400);
    const unknown = await raw(subject.listening.url, {
      headers: { ...JSON_HEADERS, 'mcp-session-id': 'x'.repeat(43) },
      body: ping(1),
    });
    expect(unknown.status).toBe(404);
  });

  it('checks MCP-Protocol-Version on session requests', async () => {
    const sessionId = await initialize(subject.listening.url);
    const bad = await raw(subject.listening.url, {
      headers: {
        ...JSON_HEADERS,
        'mcp-session-id': sessionId,
        'mcp-protocol-version': '1999-01-01',
      },
      body: ping(1),
    });
    expect(bad.status).toBe(400);
    const good = await raw(subject.listening.url, {
      headers: {
        ...JSON_HEADERS,
        'mcp-session-id': sessionId,
        'mcp-protocol-version': '2025-11-25',
      },
      body: ping(2),
    });
    expect(good.status).toBe(200);
    expect(good.json()).toEqual({ jsonrpc: '2.0', id: 2, result: {} });
  });

  it('accepts a notification with 202 and an empty body', async () => {
    const sessionId = await initialize(subject.listening.url);
    const response = await raw(subject.listening.url, {
      headers: { ...JSON_HEADERS, 'mcp-session-id': sessionId },
      body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/roots/list_changed' }),
    });
    expect(response.status).toBe(202);
    expect(response.body).toBe('');
  });

  it('needs text/event-stream for GET, allows one GET stream per session, and rejects bad Last-Event-IDs', async () => {
    const sessionId = await initialize(subject.listening.url);
    const headers = { 'mcp-session-id': sessionId };
    const notSse = await raw(subject.listening.url, {
      method: 'GET',
      headers: { ...headers, accept: 'application/json' },
    });
    expect(notSse.status).toBe(406);
    const first = raw(subject.listening.url, {
      method: 'GET',
      headers: { ...headers, accept: 'text/event-stream' },
      untilBody: (body) => body.includes('id:'),
    });
    const opened = await first;
    expect(opened.status).toBe(200);
    expect(opened.headers['content-type']).toBe('text/event-stream');
    const malformed = await raw(subject.listening.url, {
      method: 'GET',
      headers: { ...headers, accept: 'text/event-stream', 'last-event-id': 'x'.repeat(300) },
    });
    expect(malformed.status).toBe(400);
    const unknown = await raw(subject.listening.url, {
      method: 'GET',
      headers: { ...headers, accept: 'text/event-stream', 'last-event-id': 'nosuchstream.3' },
    });
    expect(unknown.status).toBe(400);
  });

  it('does not let one session resume another session’s stream', async () => {
    const a = await initialize(subject.listening.url);
    const b = await initialize(subject.listening.url);
    const stream = await raw(subject.listening.url, {
      method: 'GET',
      headers: { 'mcp-session-id': a, accept: 'text/event-stream' },
      untilBody: (body) => /id: \S+/.test(body),
    });
    const eventId = /id: (\S+)/.exec(stream.body)![1]!;
    const stolen = await raw(subject.listening.url, {
      method: 'GET',
      headers: { 'mcp-session-id': b, accept: 'text/event-stream', 'last-event-id': eventId },
    });
    expect(stolen.status).toBe(400);
  });

  it('closes a session on DELETE and then answers 404 for it', async () => {
    const sessionId = await initialize(subject.listening.url);
    const deleted = await raw(subject.listening.url, {
      method: 'DELETE',
      headers: { 'mcp-session-id': sessionId },
    });
    expect(deleted.status).toBe(200);
    const again = await raw(subject.listening.url, {
      method: 'DELETE',
      headers: { 'mcp-session-id': sessionId },
    });
    expect(again.status).toBe(404);
  });
});

describe('session limits', () => {
  it('keeps serving new clients past the cap by closing the least recently used idle session', async () => {
    const small = await startTestServer({ maxSessions: 3 });
    try {
      const ids: string[] = [];
      for (let i = 0; i < 6; i++) ids.push(await initialize(small.listening.url));
      const newest = await raw(small.listening.url, {
        headers: { ...JSON_HEADERS, 'mcp-session-id': ids[5]! },
        body: ping(1),
      });
      expect(newest.status).toBe(200);
      const oldest = await raw(small.listening.url, {
        headers: { ...JSON_HEADERS, 'mcp-session-id': ids[0]! },
        body: ping(1),
      });
      expect(oldest.status).toBe(404);
    } finally {
      await small.close();
    }
  });
});

describe('JSON-RPC batches, which only 2025-03-26 sessions take', () => {
  const url = (): string => subject.listening.url;
  const post = (sessionId: string, body: unknown, accept = JSON_HEADERS.accept) =>
    raw(url(), {
      headers: { ...JSON_HEADERS, accept, 'mcp-session-id': sessionId },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const request = (id: number | string, method: string, params?: object) => ({
    jsonrpc: '2.0',
    id,
    method,
    ...(params === undefined ? {} : { params }),
  });

  it('answers the requests of a batch with one JSON array and runs its notifications', async () => {
    const sessionId = await initialize(url(), {}, '2025-03-26');
    const response = await post(
      sessionId,
      [
        request(1, 'ping'),
        { jsonrpc: '2.0', method: 'notifications/roots/list_changed' },
        request('e', 'tools/call', { name: 'echo', arguments: { message: 'hi' } }),
      ],
      'application/json',
    );
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    const answers = response.json() as { id: unknown; result?: unknown }[];
    expect(answers).toHaveLength(2);
    expect(answers.find((answer) => answer.id === 1)).toEqual({
      jsonrpc: '2.0',
      id: 1,
      result: {},
    });
    expect(answers.find((answer) => answer.id === 'e')?.result).toMatchObject({
      structuredContent: { echoed: 'hi' },
    });
  });

  it('streams progress for a batched request, then the array of answers, then ends the stream', async () => {
    const sessionId = await initialize(url(), {}, '2025-03-26');
    const response = await post(sessionId, [
      request('s', 'tools/call', {
        name: 'slow',
        arguments: { steps: 2 },
        _meta: { progressToken: 'batch' },
      }),
      request('p', 'ping'),
    ]);
    expect(response.headers['content-type']).toMatch(/^text\/event-stream/);
    const events = response.body
      .split('\n')
      .filter((line) => line.startsWith('data: ') && line.length > 6)
      .map((line) => JSON.parse(line.slice(6)) as unknown);
    expect(events.at(0)).toMatchObject({
      method: 'notifications/progress',
      params: { progressToken: 'batch', progress: 1 },
    });
    const last = events.at(-1) as { id: unknown }[];
    expect(last.map((answer) => answer.id).sort()).toEqual(['p', 's']);
  });

  it('takes a batch of notifications with 202, and refuses an empty, invalid or oversized one with 400', async () => {
    const sessionId = await initialize(url(), {}, '2025-03-26');
    const notes = await post(sessionId, [
      { jsonrpc: '2.0', method: 'notifications/roots/list_changed' },
    ]);
    expect(notes.status).toBe(202);
    for (const body of [
      '[]',
      '[1]',
      JSON.stringify(Array.from({ length: 101 }, (_, i) => request(i, 'ping'))),
    ]) {
      const refused = await post(sessionId, body);
      expect(refused.status).toBe(400);
      expect(refused.json()).toMatchObject({ id: null, error: { code: -32600 } });
    }
    // The session still serves single messages afterwards.
    expect((await post(sessionId, ping(7))).json()).toEqual({ jsonrpc: '2.0', id: 7, result: {} });
  });

  it('refuses a batch in a 2025-11-25 session with 400', async () => {
    const sessionId = await initialize(url());
    const response = await post(sessionId, [
      request('e', 'tools/call', { name: 'slow', arguments: { steps: 1 } }),
    ]);
    expect(response.status).toBe(400);
    expect(response.json()).toMatchObject({
      error: { code: -32600, message: expect.stringMatching(/2025-03-26/) },
    });
  });
});
