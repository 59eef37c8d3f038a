import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  initialize,
  INITIALIZE_BODY as INIT,
  JSON_HEADERS,
  raw,
  rawSocket,
} from '../../../test/support/http-raw.js';
import { startTestServer, type TestServer } from '../../../test/support/http-server.js';

describe('DNS rebinding protection (H-01, H-02)', () => {
  let subject: TestServer;
  beforeAll(async () => {
    subject = await startTestServer();
  });
  afterAll(() => subject.close());

  const post = (headers: Record<string, string>) =>
    raw(subject.listening.url, { headers: { ...JSON_HEADERS, ...headers }, body: INIT });

  it('binds to loopback by default', () => {
    const address = subject.listening.httpServer.address();
    expect(address).toMatchObject({ address: '127.0.0.1' });
  });

  it.each([
    ['an evil Host', (port: number) => ({ host: `evil.example:${port}` })],
    ['an evil Origin', (_port: number) => ({ origin: 'http://evil.example' })],
    ['the null Origin', (_port: number) => ({ origin: 'null' })],
    [
      'a look-alike Origin',
      (port: number) => ({ origin: `http://localhost.evil.example:${port}` }),
    ],
    ['an nip.io Origin', (port: number) => ({ origin: `http://127.0.0.1.nip.io:${port}` })],
    ['an Origin with userinfo', (_port: number) => ({ origin: 'http://localhost@evil.example' })],
    [
      'an Origin hiding localhost in the fragment',
      (port: number) => ({ origin: `http://evil.example/#http://localhost:${port}` }),
    ],
    ['a Host with a trailing dot', (port: number) => ({ host: `localhost.:${port}` })],
    ['the 0.0.0.0 Host', (port: number) => ({ host: `0.0.0.0:${port}` })],
    [
      'a Host with a port suffix trick',
      (port: number) => ({ host: `localhost:${port}.evil.example` }),
    ],
  ])('refuses %s with 403 before reading the body', async (_name, headers) => {
    const response = await post(headers(subject.listening.port));
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(response.headers['mcp-session-id']).toBeUndefined();
  });

  it.each([
    ['no Origin (a command-line client)', (_port: number) => ({})],
    ['a localhost Origin', (port: number) => ({ origin: `http://localhost:${port}` })],
    ['an upper-case localhost Origin', (port: number) => ({ origin: `HTTP://LOCALHOST:${port}` })],
    ['the 127.0.0.1 Host', (port: number) => ({ host: `127.0.0.1:${port}` })],
    ['the localhost Host', (port: number) => ({ host: `localhost:${port}` })],
  ])('accepts %s', async (_name, headers) => {
    const response = await post(headers(subject.listening.port));
    expect(response.status).toBe(200);
    expect(response.headers['mcp-session-id']).toEqual(expect.any(String));
  });

  it('also guards GET and DELETE before looking up the session', async () => {
    const sessionId = await initialize(subject.listening.url);
    const evil = { origin: 'http://evil.example', 'mcp-session-id': sessionId };
    const get = await raw(subject.listening.url, {
      method: 'GET',
      headers: { accept: 'text/event-stream', ...evil },
    });
    const del = await raw(subject.listening.url, { method: 'DELETE', headers: evil });
    expect([get.status, del.status]).toEqual([403, 403]);
    const stillThere = await raw(subject.listening.url, {
      headers: { ...JSON_HEADERS, 'mcp-session-id': sessionId },
      body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'ping' }),
    });
    expect(stillThere.status).toBe(200);
  });

  it('refuses a text/plain form post (the classic rebinding payload) with 415', async () => {
    const response = await raw(subject.listening.url, {
      headers: { 'content-type': 'text/plain', accept: '*/*' },
      body: INIT,
    });
    expect(response.status).toBe(415);
  });
});

describe('bearer token (H-08)', () => {
  let subject: TestServer;
  beforeAll(async () => {
    subject = await startTestServer({ authToken: 'correct-horse-battery' });
  });
  afterAll(() => subject.close());

  it('answers a request without a token with 401 and a resource-metadata challenge', async () => {
    const response = await raw(subject.listening.url, { headers: JSON_HEADERS, body: INIT });
    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toMatch(
      /^Bearer resource_metadata="http:\/\/127\.0\.0\.1:\d+\/\.well-known\/oauth-protected-resource\/mcp"$/,
    );
  });

  it('refuses a wrong token with 401 invalid_token', async () => {
    const response = await raw(subject.listening.url, {
      headers: { ...JSON_HEADERS, authorization: 'Bearer correct-horse-batterz' },
      body: INIT,
    });
    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toContain('error="invalid_token"');
  });

  it('refuses a token in the query string even when it is right', async () => {
    const response = await raw(`${subject.listening.url}?access_token=correct-horse-battery`, {
      headers: JSON_HEADERS,
      body: INIT,
    });
    expect(response.status).toBe(400);
  });

  it('serves a request with the right token', async () => {
    const response = await raw(subject.listening.url, {
      headers: { ...JSON_HEADERS, authorization: 'Bearer correct-horse-battery' },
      body: INIT,
    });
    expect(response.status).toBe(200);
  });

  it('never echoes the token in an error body', async () => {
    const response = await raw(subject.listening.url, {
      headers: { ...JSON_HEADERS, authorization: 'Bearer not-the-token-123' },
      body: INIT,
    });
    expect(response.body).not.toContain('not-the-token-123');
    expect(response.body).not.toContain('correct-horse-battery');
  });

  it('leaves the health check open', async () => {
    const response = await raw(subject.listening.url.replace('/mcp', '/healthz'), {
      method: 'GET',
    });
    expect(response.status).toBe(200);
  });
});

describe('protected-resource metadata (RFC 9728)', () => {
  it('is published when an authorization server is configured', async () => {
    const subject = await startTestServer({
      authToken: 't',
      authorizationServers: ['https://auth.example.com'],
    });
    try {
      const response = await raw(
        subject.listening.url.replace('/mcp', '/.well-known/oauth-protected-resource/mcp'),
        { method: 'GET' },
      );
      expect(response.status).toBe(200);
      expect(response.json()).toEqual({
        resource: subject.listening.url,
        authorization_servers: ['https://auth.example.com'],
        bearer_methods_supported: ['header'],
      });
    } finally {
      await subject.close();
    }
  });

  it('is absent otherwise', async () => {
    const subject = await startTestServer();
    try {
      const response = await raw(
        subject.listening.url.replace('/mcp', '/.well-known/oauth-protected-resource'),
        { method: 'GET' },
      );
      expect(response.status).toBe(404);
    } finally {
      await subject.close();
    }
  });
});

describe('repeated Host and Authorization headers (issue 25)', () => {
  let subject: TestServer;
  beforeAll(async () => {
    subject = await startTestServer({ authToken: 'tok' });
  });
  afterAll(() => subject.close());

  const base = [
    'POST /mcp HTTP/1.1',
    'Content-Type: application/json',
    'Accept: application/json, text/event-stream',
  ];

  it('a single Host and Authorization pass (the raw request is well formed)', async () => {
    const reply = await rawSocket(
      subject.listening.url,
      [...base, 'Host: 127.0.0.1', 'Authorization: Bearer tok'],
      INIT,
    );
    expect(reply).toMatch(/^HTTP\/1\.1 200 /);
  });

  it('two Host headers get 400, even when the first is allowed', async () => {
    const reply = await rawSocket(
      subject.listening.url,
      [...base, 'Host: 127.0.0.1', 'Host: evil.example', 'Authorization: Bearer tok'],
      INIT,
    );
    expect(reply).toMatch(/^HTTP\/1\.1 400 /);
    expect(reply).toContain('More than one Host header');
  });

  it('two Authorization headers get 400, even when one carries the right token', async () => {
    const reply = await rawSocket(
      subject.listening.url,
      [...base, 'Host: 127.0.0.1', 'Authorization: Bearer tok', 'authorization: Bearer other'],
      INIT,
    );
    expect(reply).toMatch(/^HTTP\/1\.1 400 /);
    expect(reply).toContain('More than one Authorization header');
  });
});
