import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { BodyTooLargeError, capResponseBodies, findBodyTooLarge, formatBytes } from './body-cap.js';

const MiB = 1024 * 1024;

interface Upstream {
  readonly url: string;
  /** Bytes the server managed to write before the client went away. */
  written(): number;
  /** Resolves when the client closed the connection. */
  closed: Promise<void>;
  readonly server: Server;
}

/** A server that streams `total` bytes in 64 KiB chunks, declaring the length or not. */
async function serveBytes(total: number, declare: boolean): Promise<Upstream> {
  let written = 0;
  let onClosed = (): void => undefined;
  const closed = new Promise<void>((resolve) => (onClosed = resolve));
  const chunk = Buffer.alloc(64 * 1024, 0x61);
  const server = createServer((_req, res) => {
    res.writeHead(200, {
      'content-type': 'application/json',
      ...(declare ? { 'content-length': String(total) } : {}),
    });
    res.on('close', onClosed);
    const pump = (): void => {
      while (written < total && !res.destroyed) {
        const part = chunk.subarray(0, Math.min(chunk.length, total - written));
        written += part.length;
        if (!res.write(part)) {
          res.once('drain', pump);
          return;
        }
      }
      if (written >= total) res.end();
    };
    pump();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, written: () => written, closed, server };
}

let upstream: Upstream | undefined;
afterEach(() => {
  upstream?.server.closeAllConnections();
  upstream?.server.close();
  upstream = undefined;
});

const capped = capResponseBodies(fetch, { upstream: 'Example', maxBytes: MiB });

describe('capResponseBodies', () => {
  it('passes a body within the cap through unchanged, status and headers included', async () => {
    upstream = await serveBytes(MiB, true);
    const response = await capped(upstream.url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.url).toBe(upstream.url);
    expect((await response.arrayBuffer()).byteLength).toBe(MiB);
  });

  it('fails the read of an undeclared body past the cap and stops the transfer', async () => {
    upstream = await serveBytes(200 * MiB, false);
    const response = await capped(upstream.url);
    const error = await response.text().then(
      () => undefined,
      (failure: unknown) => failure,
    );
    expect(error).toBeInstanceOf(BodyTooLargeError);
    expect((error as Error).message).toBe(
      "Example's response was larger than the 1 MiB cap on upstream responses, so it was not read",
    );
    await upstream.closed;
    // Socket buffers hold some megabytes at most; the 200 MiB were never sent.
    expect(upstream.written()).toBeLessThan(50 * MiB);
  });

  it('fails a body whose declared length passes the cap before reading it', async () => {
    upstream = await serveBytes(200 * MiB, true);
    const response = await capped(upstream.url);
    await expect(response.json()).rejects.toBeInstanceOf(BodyTooLargeError);
    await upstream.closed;
    expect(upstream.written()).toBeLessThan(50 * MiB);
  });

  it('leaves bodiless answers as they are', async () => {
    const server = createServer((_req, res) => {
      res.writeHead(204).end();
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const { port } = server.address() as AddressInfo;
      const response = await capped(`http://127.0.0.1:${port}/`);
      expect(response.status).toBe(204);
      expect(await response.text()).toBe('');
    } finally {
      server.close();
    }
  });
});

describe('findBodyTooLarge', () => {
  it('finds the cap error behind the wrappers client libraries put around it', () => {
    const cap = new BodyTooLargeError('Slack', MiB);
    expect(findBodyTooLarge(cap)).toBe(cap);
    expect(findBodyTooLarge(new Error('request failed', { cause: cap }))).toBe(cap);
    expect(findBodyTooLarge(Object.assign(new Error('slack'), { original: cap }))).toBe(cap);
    expect(findBodyTooLarge(Object.assign(new Error('gaxios'), { error: cap }))).toBe(cap);
    expect(findBodyTooLarge(new Error('other', { cause: new Error('deeper') }))).toBeUndefined();
  });
});

describe('formatBytes', () => {
  it('names caps in the largest whole unit', () => {
    expect(formatBytes(32 * MiB)).toBe('32 MiB');
    expect(formatBytes(512 * 1024)).toBe('512 KiB');
    expect(formatBytes(1000)).toBe('1000 bytes');
  });
});
