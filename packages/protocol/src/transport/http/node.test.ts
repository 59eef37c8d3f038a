import { Agent, createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { HttpHandler } from './handler.js';
import { toNodeListener } from './node.js';

// The node:http adapter around handlers written for these tests: a real socket on each side.

let server: Server | undefined;

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => server?.close(() => resolve()) ?? resolve());
  server = undefined;
});

async function listen(handler: HttpHandler): Promise<number> {
  server = createServer(toNodeListener(handler));
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
  it('hands the handler the method, path, query, headers and body, and writes its Response back', async () => {
    const port = await listen(async (request) => {
      const echoed = {
        method: request.method,
        url: request.url,
        custom: request.headers.get('x-custom'),
        body: await request.text(),
      };
      return new Response(JSON.stringify(echoed), {
        status: 201,
        headers: { 'Content-Type': 'application/json', 'X-Answer': 'yes' },
      });
    });
    const answer = await send(port, {
      path: '/mcp?a=1',
      headers: { 'x-custom': 'one', 'content-type': 'text/plain' },
      body: 'ünïcode body',
    });
    expect(answer.status).toBe(201);
    expect(answer.headers['x-answer']).toBe('yes');
    expect(JSON.parse(answer.body)).toEqual({
      method: 'POST',
      url: 'http://localhost/mcp?a=1',
      custom: 'one',
      body: 'ünïcode body',
    });
  });

  it('drains a body the handler never read, so the keep-alive socket serves the next request', async () => {
    const port = await listen((request) =>
      Promise.resolve(new Response(request.method === 'POST' ? 'refused' : 'ok', { status: 200 })),
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

  it('aborts request.signal and cancels the response stream when the client goes away', async () => {
    const seen = { aborted: false, cancelled: false };
    const port = await listen((request) => {
      request.signal.addEventListener('abort', () => (seen.aborted = true));
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('data: first\n\n'));
        },
        cancel() {
          seen.cancelled = true;
        },
      });
      return Promise.resolve(
        new Response(body, { headers: { 'Content-Type': 'text/event-stream' } }),
      );
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
    await expect.poll(() => seen, { timeout: 3000 }).toEqual({ aborted: true, cancelled: true });
  });

  it('does not abort request.signal once the answer has been sent', async () => {
    const signals: AbortSignal[] = [];
    const port = await listen((request) => {
      signals.push(request.signal);
      return Promise.resolve(new Response('done'));
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
      return Promise.resolve(new Response('reached'));
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
