import { Agent, createServer, request as httpRequest, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { jsonAnswer, noBody } from './answer.js';
import type { HttpEndpoint } from './handler.js';
import { toNodeListener } from './node.js';
import { SseWriter } from './sse.js';

// The node:http adapter around endpoints written for these tests: a real socket on each side.

let server: Server | undefined;

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => server?.close(() => resolve()) ?? resolve());
  server = undefined;
});

async function listen(endpoint: HttpEndpoint): Promise<number> {
  server = createServer(toNodeListener(endpoint));
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  reusedSocket: boolean;
}

function send(
  port: number,
  options: { method?: string; path?: string; headers?: Record<string, string>; body?: string },
  agent?: Agent,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        path: options.path ?? '/mcp',
        method: options.method ?? 'POST',
        headers: options.headers,
        agent,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => {
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body,
            reusedSocket: req.reusedSocket,
          });
        });
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('toNodeListener', () => {
  it('hands the endpoint the method, path, query, headers and body, and writes its answer back', async () => {
    const port = await listen(async (request) => {
      const body = await request.body(1024);
      const echoed = {
        method: request.method,
        url: request.url,
        custom: request.header('x-custom'),
        absent: request.header('x-absent') ?? 'absent',
        body: body.kind === 'bytes' ? new TextDecoder().decode(body.bytes) : body.kind,
      };
      return jsonAnswer(201, JSON.stringify(echoed), { 'X-Answer': 'yes' });
    });
    const answer = await send(port, {
      path: '/mcp?a=1',
      headers: { 'x-custom': 'one', 'content-type': 'text/plain' },
      body: 'ünïcode body',
    });
    expect(answer.status).toBe(201);
    expect(answer.headers['x-answer']).toBe('yes');
    expect(answer.headers['content-type']).toBe('application/json');
    expect(JSON.parse(answer.body)).toEqual({
      method: 'POST',
      url: '/mcp?a=1',
      custom: 'one',
      absent: 'absent',
      body: 'ünïcode body',
    });
  });

  it('joins every value of a repeated header, as Headers.get does (a second Content-Type is not dropped)', async () => {
    const port = await listen((request) =>
      Promise.resolve(jsonAnswer(200, JSON.stringify(request.header('content-type')))),
    );
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.end(
          'GET /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n' +
            'Content-Type: text/plain\r\nConnection: close\r\n\r\n',
        );
      });
      let text = '';
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => (text += chunk));
      socket.on('end', () => resolve(text.slice(text.indexOf('\r\n\r\n') + 4)));
      socket.on('error', reject);
    });
    expect(answer).toContain('"application/json, text/plain"');
  });

  it('stops keeping a body past the limit, drains it, and the answer still reaches the client', async () => {
    const kinds: string[] = [];
    const port = await listen(async (request) => {
      const body = await request.body(1000);
      kinds.push(body.kind);
      return jsonAnswer(413, '"too large"');
    });
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const refused = await send(port, { body: 'x'.repeat(256 * 1024) }, agent);
      expect(refused.status).toBe(413);
      expect(kinds).toEqual(['too-large']);
      const next = await send(port, { body: 'small' }, agent);
      expect(next.reusedSocket).toBe(true);
      expect(kinds).toEqual(['too-large', 'bytes']);
    } finally {
      agent.destroy();
    }
  });

  it('drains a body the handler never read, so the keep-alive socket serves the next request', async () => {
    const port = await listen((request) =>
      Promise.resolve(jsonAnswer(200, request.method === 'POST' ? 'refused' : 'ok')),
    );
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const refused = await send(port, { body: 'x'.repeat(256 * 1024) }, agent);
      expect(refused.body).toBe('refused');
      const next = await send(port, { method: 'GET' }, agent);
      expect(next.body).toBe('ok');
      expect(next.reusedSocket).toBe(true);
    } finally {
      agent.destroy();
    }
  });

  it('aborts request.signal and cancels the SSE stream when the client goes away', async () => {
    const seen = { aborted: false };
    const writers: SseWriter[] = [];
    const port = await listen((request) => {
      request.signal.addEventListener('abort', () => (seen.aborted = true));
      const writer = new SseWriter();
      writer.write({ id: 's.1', data: 'first' });
      writers.push(writer);
      return Promise.resolve({ status: 200, headers: writer.headers, body: writer });
    });
    // The client reads the first event, then hangs up.
    await new Promise<void>((resolve) => {
      const req = httpRequest({ host: '127.0.0.1', port, path: '/mcp', method: 'GET' }, (res) => {
        res.once('data', () => req.destroy());
      });
      req.on('error', () => undefined);
      req.on('close', resolve);
      req.end();
    });
    await expect.poll(() => seen.aborted, { timeout: 3000 }).toBe(true);
    expect(writers[0]!.ended).toBe(true);
  });

  it('writes events written before and after the answer went out, in order, then ends', async () => {
    const port = await listen(() => {
      const writer = new SseWriter();
      writer.write({ id: 's.1', data: 'before' });
      setImmediate(() => {
        writer.write({ id: 's.2', data: 'after' });
        writer.end();
      });
      return Promise.resolve({ status: 200, headers: writer.headers, body: writer });
    });
    const answer = await send(port, { method: 'GET' });
    expect(answer.headers['content-type']).toBe('text/event-stream');
    expect(answer.body).toBe(
      'id: s.1\nevent: message\ndata: before\n\nid: s.2\nevent: message\ndata: after\n\n',
    );
  });

  it('does not abort request.signal once the answer has been sent', async () => {
    const signals: AbortSignal[] = [];
    const port = await listen((request) => {
      signals.push(request.signal);
      return Promise.resolve(jsonAnswer(200, 'done'));
    });
    const answer = await send(port, { method: 'GET' });
    expect(answer.body).toBe('done');
    expect(signals).toHaveLength(1);
    expect(signals[0]!.aborted).toBe(false);
  });

  it('refuses a repeated Host header with 400 before the handler runs', async () => {
    let calls = 0;
    const port = await listen(() => {
      calls += 1;
      return Promise.resolve(noBody(204));
    });
    const answer = await new Promise<string>((resolve, reject) => {
      const req = httpRequest({
        host: '127.0.0.1',
        port,
        path: '/mcp',
        method: 'GET',
        headers: [
          ['Host', '127.0.0.1'],
          ['Host', 'evil.example'],
        ].flat() as unknown as Record<string, string>,
      });
      req.on('response', (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve(`${res.statusCode} ${body}`));
      });
      req.on('error', reject);
      req.end();
    });
    expect(answer).toMatch(/^400 .*More than one Host header/);
    expect(calls).toBe(0);
  });
});
