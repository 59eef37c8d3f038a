import { request } from 'node:http';
import { connect } from 'node:net';
import { nullLogger } from '@plugboard/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mappedNetwork, startCanary, startSite, type Canary, type Site } from '../../test/site.js';
import {
  authorityDestination,
  BLOCKED_HEADER,
  startEgressProxy,
  type BlockedConnection,
  type EgressProxy,
} from './egress-proxy.js';
import { createUrlPolicy } from './url-policy.js';

const PUBLIC = '93.184.216.34';
const PRIVATE = '10.0.0.7';

let site: Site;
let canary: Canary;
let proxy: EgressProxy;
let lookups = 0;
const blocked: BlockedConnection[] = [];
let network: ReturnType<typeof mappedNetwork>;

beforeAll(async () => {
  site = await startSite();
  canary = await startCanary();
  network = mappedNetwork(
    new Map([
      [`${PUBLIC}:80`, { host: '127.0.0.1', port: site.port }],
      [PRIVATE, { host: '127.0.0.1', port: canary.port }],
    ]),
  );
  const policy = createUrlPolicy(
    {
      allowOrigins: [],
      blockOrigins: [],
      onlyAllowedOrigins: false,
      allowPrivateNetwork: false,
      blockLoopback: true,
    },
    (host) => {
      if (host === 'public.test') return Promise.resolve([PUBLIC]);
      if (host === 'rebind.test') return Promise.resolve(lookups++ === 0 ? [PUBLIC] : [PRIVATE]);
      if (host === 'inside.test') return Promise.resolve([PRIVATE]);
      return Promise.reject(new Error('ENOTFOUND'));
    },
  );
  proxy = await startEgressProxy({
    policy,
    logger: nullLogger,
    connect: network.connect,
    onBlocked: (entry) => blocked.push(entry),
  });
});

afterAll(async () => {
  await proxy?.close();
  await site?.close();
  await canary?.close();
});

/** A GET through the proxy in absolute form, as a browser sends it. */
function get(
  url: string,
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const { host } = new URL(url);
    const req = request(
      { host: '127.0.0.1', port: proxy.port, path: url, headers: { host } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** A CONNECT through the proxy; resolves with the status line and, when tunnelled, what came back for `send`. */
function tunnel(authority: string, send?: string): Promise<{ status: string; reply: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(proxy.port, '127.0.0.1');
    let data = '';
    socket.setEncoding('utf8');
    socket.on('error', reject);
    socket.write(`CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\n\r\n`);
    socket.on('data', (chunk: string) => {
      data += chunk;
      const end = data.indexOf('\r\n\r\n');
      if (end === -1) return;
      const status = data.slice(0, data.indexOf('\r\n'));
      if (!status.includes(' 200 ') || send === undefined) {
        socket.destroy();
        resolve({ status, reply: '' });
        return;
      }
      if (data.length === end + 4) socket.write(send);
      if (data.includes('canary') || data.includes('</html>') || data.includes('not found')) {
        socket.destroy();
        resolve({ status, reply: data.slice(end + 4) });
      }
    });
    socket.on('end', () => resolve({ status: data.slice(0, data.indexOf('\r\n')), reply: data }));
  });
}

describe('egress proxy', () => {
  it('forwards an allowed request to the address it checked, Host header intact', async () => {
    const response = await get('http://public.test/second');
    expect(response.status).toBe(200);
    expect(response.body).toContain('Second page');
    expect(site.lastHeaders.get('/second')?.host).toBe('public.test');
    expect(site.lastHeaders.get('/second')?.['proxy-connection']).toBeUndefined();
  });

  it('refuses a blocked destination with 403 and a marker header, and never connects', async () => {
    const before = canary.connections();
    for (const url of [
      `http://${PRIVATE}/admin`,
      'http://inside.test/',
      `http://127.0.0.1:${canary.port}/`,
      'http://169.254.169.254/latest/meta-data/',
    ]) {
      const response = await get(url);
      expect(response.status, url).toBe(403);
      expect(response.headers[BLOCKED_HEADER]).toBe('1');
      expect(response.body).toContain("Blocked by the browser's URL policy");
    }
    expect(canary.connections()).toBe(before);
    expect(blocked.map((entry) => entry.target)).toContain(`http://${PRIVATE}/admin`);
  });

  it('tunnels CONNECT to allowed destinations, default ports included, and refuses blocked ones', async () => {
    const before = canary.connections();
    const open = await tunnel(
      'public.test:80',
      'GET /second HTTP/1.1\r\nHost: public.test\r\nConnection: close\r\n\r\n',
    );
    expect(open.status).toBe('HTTP/1.1 200 Connection Established');
    expect(open.reply).toContain('Second page');
    expect((await tunnel(`${PRIVATE}:80`)).status).toBe('HTTP/1.1 403 Forbidden');
    expect((await tunnel(`127.0.0.1:${canary.port}`)).status).toBe('HTTP/1.1 403 Forbidden');
    expect((await tunnel('[::ffff:10.0.0.7]:443')).status).toBe('HTTP/1.1 403 Forbidden');
    expect(canary.connections()).toBe(before);
  });

  it('connects to the very address it checked, so DNS rebinding reaches nothing', async () => {
    lookups = 0;
    const before = canary.connections();
    const first = await get('http://rebind.test/second');
    expect(first.status).toBe(200);
    expect(lookups).toBe(1);
    const second = await get('http://rebind.test/second');
    expect(second.status).toBe(403);
    expect(canary.connections()).toBe(before);
    expect(network.connections.filter((entry) => entry.startsWith(PRIVATE))).toEqual([]);
  });

  it('refuses to talk to itself and to requests that are not proxy requests', async () => {
    const self = await tunnel(`127.0.0.1:${proxy.port}`);
    expect(self.status).toBe('HTTP/1.1 403 Forbidden');
    const plain = await new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: proxy.port, path: '/' }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(plain).toBe(400);
  });

  it('reads CONNECT authorities the way a URL parser would', () => {
    expect(authorityDestination('example.com:443')).toEqual({
      scheme: undefined,
      host: 'example.com',
      port: 443,
    });
    expect(authorityDestination('EXAMPLE.com:80')).toEqual({
      scheme: undefined,
      host: 'example.com',
      port: 80,
    });
    expect(authorityDestination('[::1]:8080')).toEqual({
      scheme: undefined,
      host: '[::1]',
      port: 8080,
    });
    expect(authorityDestination('0x7f000001:22')).toEqual({
      scheme: undefined,
      host: '127.0.0.1',
      port: 22,
    });
    for (const bad of [
      'example.com',
      'example.com:0',
      'example.com:99999',
      'user@example.com:443',
      'example.com:443/x',
      '',
    ]) {
      expect(authorityDestination(bad), bad).toBeUndefined();
    }
  });
});
