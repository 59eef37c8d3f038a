import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MODERN_META } from '../../../test/support/http-raw.js';
import { createTestServer } from '../../../test/support/http-server.js';
import type { McpServer } from '../../mcp/server.js';
import { createStreamableHttp, type HttpOptions, type StreamableHttp } from './index.js';

// The Web-standard handler driven with `Request` objects: no socket, no port.

const MCP = 'http://127.0.0.1:3000/mcp';
const JSON_HEADERS = {
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
};

let aborted: { value: boolean };
let server: McpServer;
let endpoint: StreamableHttp;

function start(options: Partial<HttpOptions> = {}): void {
  endpoint = createStreamableHttp(server, { host: '127.0.0.1', port: 3000, ...options });
}

beforeEach(() => {
  aborted = { value: false };
  server = createTestServer(aborted);
  start();
});

afterEach(async () => {
  await endpoint.close();
  await server.close();
});

function post(body: unknown, headers: Record<string, string> = {}, url = MCP): Promise<Response> {
  return endpoint.fetch(
    new Request(url, {
      method: 'POST',
      headers: { host: '127.0.0.1:3000', ...JSON_HEADERS, ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    }),
  );
}

function get(headers: Record<string, string>): Promise<Response> {
  return endpoint.fetch(
    new Request(MCP, {
      headers: { host: '127.0.0.1:3000', accept: 'text/event-stream', ...headers },
    }),
  );
}

const initializeBody = (protocolVersion = '2025-11-25') => ({
  jsonrpc: '2.0',
  id: 0,
  method: 'initialize',
  params: { protocolVersion, capabilities: {}, clientInfo: { name: 'web', version: '1' } },
});

async function openSession(protocolVersion?: string): Promise<string> {
  const response = await post(initializeBody(protocolVersion));
  expect(response.status).toBe(200);
  const id = response.headers.get('mcp-session-id');
  expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
  const initialized = await post(
    { jsonrpc: '2.0', method: 'notifications/initialized' },
    { 'mcp-session-id': id! },
  );
  expect(initialized.status).toBe(202);
  return id!;
}

const callSlow = (id: number, steps: number) => ({
  jsonrpc: '2.0',
  id,
  method: 'tools/call',
  params: { name: 'slow', arguments: { steps }, _meta: { progressToken: `p${id}` } },
});

/** Reads an SSE body until `until` holds for the text so far (or the stream ends). */
async function readEvents(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  until: (text: string) => boolean = () => false,
): Promise<string> {
  const decoder = new TextDecoder();
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text;
    text += decoder.decode(value, { stream: true });
    if (until(text)) return text;
  }
}

function eventIds(text: string): string[] {
  return [...text.matchAll(/^id: (\S+)$/gm)].map((match) => match[1]!);
}

function messages(text: string): { id?: number; method?: string; result?: unknown }[] {
  return [...text.matchAll(/^data: (\{.*\})$/gm)].map(
    (match) => JSON.parse(match[1]!) as { id?: number; method?: string },
  );
}

describe('handshake-era sessions through the handler', () => {
  it('opens a session on initialize, serves it, and forgets it on DELETE', async () => {
    const session = await openSession();
    const call = await post(
      {
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: { name: 'echo', arguments: { message: 'hi' } },
      },
      { 'mcp-session-id': session },
    );
    expect(call.status).toBe(200);
    expect(call.headers.get('content-type')).toBe('application/json');
    expect(call.headers.get('mcp-session-id')).toBe(session);
    expect(await call.json()).toMatchObject({
      id: 1,
      result: { structuredContent: { echoed: 'hi' } },
    });

    const removed = await endpoint.fetch(
      new Request(MCP, {
        method: 'DELETE',
        headers: { host: '127.0.0.1:3000', 'mcp-session-id': session },
      }),
    );
    expect(removed.status).toBe(200);
    const after = await post(
      { jsonrpc: '2.0', id: 2, method: 'ping' },
      { 'mcp-session-id': session },
    );
    expect(after.status).toBe(404);
  });

  it('refuses requests without a session, and unknown sessions', async () => {
    const missing = await post({ jsonrpc: '2.0', id: 1, method: 'tools/list' });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({
      error: { message: expect.stringContaining('Mcp-Session-Id') },
    });
    const unknown = await post(
      { jsonrpc: '2.0', id: 1, method: 'tools/list' },
      { 'mcp-session-id': 'not-a-session' },
    );
    expect(unknown.status).toBe(404);
  });

  it('answers a batch at 2025-03-26 with one array, and refuses batches in later revisions', async () => {
    const old = await openSession('2025-03-26');
    const batch = await post(
      [
        { jsonrpc: '2.0', id: 1, method: 'ping' },
        { jsonrpc: '2.0', id: 2, method: 'tools/list' },
      ],
      { 'mcp-session-id': old },
    );
    expect(batch.status).toBe(200);
    const answers = (await batch.json()) as { id: number }[];
    expect(answers.map((answer) => answer.id).sort()).toEqual([1, 2]);

    const current = await openSession();
    const refused = await post([{ jsonrpc: '2.0', id: 1, method: 'ping' }], {
      'mcp-session-id': current,
    });
    expect(refused.status).toBe(400);
  });
});

describe('SSE and Last-Event-ID resumption through the handler', () => {
  it('turns a reply into a stream when progress comes first: priming event, progress, result', async () => {
    const session = await openSession();
    const response = await post(callSlow(1, 2), { 'mcp-session-id': session });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const text = await readEvents(response.body!.getReader());
    const ids = eventIds(text);
    expect(ids[0]).toMatch(/\.0$/);
    expect(text).toContain(`id: ${ids[0]}\ndata: \n\n`);
    const sent = messages(text);
    expect(sent.filter((message) => message.method === 'notifications/progress')).toHaveLength(2);
    expect(sent.at(-1)).toMatchObject({ id: 1, result: { content: [{ text: 'done' }] } });
  });

  it('replays what a dropped client missed, then carries the stream to its end', async () => {
    const session = await openSession();
    const response = await post(callSlow(1, 4), { 'mcp-session-id': session });
    const reader = response.body!.getReader();
    const first = await readEvents(reader, (text) => text.includes('notifications/progress'));
    const seen = eventIds(first).at(-1)!;
    await reader.cancel(); // the client goes away after its first progress event

    const resumed = await get({ 'mcp-session-id': session, 'last-event-id': seen });
    expect(resumed.status).toBe(200);
    expect(resumed.headers.get('content-type')).toBe('text/event-stream');
    const rest = await readEvents(resumed.body!.getReader());
    const progress = messages(rest).filter(
      (message) => message.method === 'notifications/progress',
    );
    expect(progress).toHaveLength(3);
    expect(messages(rest).at(-1)).toMatchObject({ id: 1, result: { content: [{ text: 'done' }] } });
    const seq = (id: string) => Number(id.slice(id.lastIndexOf('.') + 1));
    expect(eventIds(rest).every((id) => seq(id) > seq(seen))).toBe(true);
  });

  it('refuses an unknown or malformed Last-Event-ID, and a stream that is still connected', async () => {
    const session = await openSession();
    expect((await get({ 'mcp-session-id': session, 'last-event-id': 'nope.3' })).status).toBe(400);
    expect(
      (await get({ 'mcp-session-id': session, 'last-event-id': 'x'.repeat(201) })).status,
    ).toBe(400);
    const response = await post(callSlow(1, 3), { 'mcp-session-id': session });
    const reader = response.body!.getReader();
    const first = await readEvents(reader, (text) => text.includes('notifications/progress'));
    const busy = await get({ 'mcp-session-id': session, 'last-event-id': eventIds(first).at(-1)! });
    expect(busy.status).toBe(409);
    await readEvents(reader);
  });

  it('keeps one standalone GET stream per session', async () => {
    const session = await openSession();
    const stream = await get({ 'mcp-session-id': session });
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toBe('text/event-stream');
    const second = await get({ 'mcp-session-id': session });
    expect(second.status).toBe(409);
    const notJson = await get({ 'mcp-session-id': session, accept: 'application/json' });
    expect(notJson.status).toBe(406);
    await stream.body!.cancel();
    const again = await get({ 'mcp-session-id': session });
    expect(again.status).toBe(200);
    await again.body!.cancel();
  });
});

describe('the DNS-rebinding guard on Request objects', () => {
  it.each([
    ['an evil Host', { host: 'evil.example:3000' }, 403],
    ['a Host with userinfo', { host: 'a@127.0.0.1:3000' }, 403],
    ['an evil Origin', { origin: 'http://evil.example' }, 403],
    ['the null Origin', { origin: 'null' }, 403],
    ['a look-alike Origin', { origin: 'http://localhost.evil.example:3000' }, 403],
  ])('refuses %s before reading the body', async (_name, headers, status) => {
    const response = await post(initializeBody(), headers);
    expect(response.status).toBe(status);
    expect(response.headers.get('mcp-session-id')).toBeNull();
  });

  it('accepts loopback origins and operator-allowed hosts', async () => {
    expect((await post(initializeBody(), { origin: 'http://localhost:5173' })).status).toBe(200);
    await endpoint.close();
    start({ allowedHosts: ['mcp.example.com'] });
    const allowed = await post(initializeBody(), { host: 'mcp.example.com' });
    expect(allowed.status).toBe(200);
  });

  it('refuses a text/plain form post without parsing it', async () => {
    const response = await post(JSON.stringify(initializeBody()), { 'content-type': 'text/plain' });
    expect(response.status).toBe(415);
  });
});

describe('bearer auth on Request objects', () => {
  beforeEach(async () => {
    await endpoint.close();
    start({ authToken: 'secret-token' });
  });

  it('challenges a request without a token, with the metadata URL', async () => {
    const response = await post(initializeBody());
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe(
      'Bearer resource_metadata="http://127.0.0.1:3000/.well-known/oauth-protected-resource/mcp"',
    );
  });

  it('refuses a wrong token and a token in the query string; accepts the right one', async () => {
    const wrong = await post(initializeBody(), { authorization: 'Bearer nope' });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toContain('error="invalid_token"');
    const query = await post(
      initializeBody(),
      { authorization: 'Bearer secret-token' },
      `${MCP}?access_token=secret-token`,
    );
    expect(query.status).toBe(400);
    const right = await post(initializeBody(), { authorization: 'Bearer secret-token' });
    expect(right.status).toBe(200);
  });
});

describe('the request body', () => {
  it('stops reading a body past the limit and cancels the rest of the stream', async () => {
    await endpoint.close();
    start({ maxBodyBytes: 1024 });
    let pulled = 0;
    let cancelled = false;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1;
        controller.enqueue(new Uint8Array(512).fill(0x20));
      },
      cancel() {
        cancelled = true;
      },
    });
    const response = await endpoint.fetch(
      new Request(MCP, {
        method: 'POST',
        headers: { host: '127.0.0.1:3000', ...JSON_HEADERS },
        body,
        duplex: 'half',
      }),
    );
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({
      error: { message: expect.stringContaining('--max-body-bytes') },
    });
    expect(cancelled).toBe(true);
    expect(pulled).toBeLessThan(10);
  });

  it('answers a body that is not JSON with a parse error', async () => {
    const response = await post('{"jsonrpc":');
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ id: null, error: { code: -32700 } });
  });
});

describe('stateless 2026-07-28 requests through the handler', () => {
  const modernHeaders = (method: string, name?: string) => ({
    'mcp-protocol-version': '2026-07-28',
    'mcp-method': method,
    ...(name === undefined ? {} : { 'mcp-name': name }),
  });

  it('serves a request without a session', async () => {
    const response = await post(
      {
        jsonrpc: '2.0',
        id: 7,
        method: 'tools/call',
        params: { name: 'echo', arguments: { message: 'hey' }, _meta: MODERN_META },
      },
      modernHeaders('tools/call', 'echo'),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('mcp-session-id')).toBeNull();
    expect(await response.json()).toMatchObject({
      id: 7,
      result: { structuredContent: { echoed: 'hey' } },
    });
  });

  it('refuses a request missing a required _meta member with 400 and -32602', async () => {
    const response = await post(
      {
        jsonrpc: '2.0',
        id: 8,
        method: 'tools/list',
        params: { _meta: { 'io.modelcontextprotocol/protocolVersion': '2026-07-28' } },
      },
      modernHeaders('tools/list'),
    );
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      id: 8,
      error: { code: -32602, message: expect.stringContaining('clientCapabilities') },
    });
  });

  it.each([
    [
      'a long progress token with a missing member: the missing member, 400',
      { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', progressToken: 'p'.repeat(300) },
      400,
      'clientCapabilities',
    ],
    [
      'a long progress token in a whole envelope: JSON-RPC -32602, 200',
      { ...MODERN_META, progressToken: 'p'.repeat(300) },
      200,
      'progressToken',
    ],
    [
      'a log level that is not one: JSON-RPC -32602, 200',
      { ...MODERN_META, 'io.modelcontextprotocol/logLevel': 'loud' },
      200,
      'log level',
    ],
  ])('classifies once and answers %s', async (_name, meta, status, text) => {
    const response = await post(
      { jsonrpc: '2.0', id: 10, method: 'tools/list', params: { _meta: meta } },
      modernHeaders('tools/list'),
    );
    expect(response.status).toBe(status);
    expect(await response.json()).toMatchObject({
      id: 10,
      error: { code: -32602, message: expect.stringContaining(text) },
    });
  });

  it('cancels the request when the client goes away (the request signal aborts)', async () => {
    const gone = new AbortController();
    const pending = endpoint.fetch(
      new Request(MCP, {
        method: 'POST',
        headers: {
          host: '127.0.0.1:3000',
          ...JSON_HEADERS,
          ...modernHeaders('tools/call', 'slow'),
        },
        body: JSON.stringify({
          jsonrpc: '2.0',
          id: 9,
          method: 'tools/call',
          params: {
            name: 'slow',
            arguments: { steps: 40 },
            _meta: { ...MODERN_META, progressToken: 'p' },
          },
        }),
        signal: gone.signal,
      }),
    );
    const response = await pending;
    const reader = response.body!.getReader();
    await readEvents(reader, (text) => text.includes('notifications/progress'));
    gone.abort();
    await expect.poll(() => aborted.value, { timeout: 3000 }).toBe(true);
    await reader.cancel();
  });
});
