/**
 * @module
 * The egress proxy: a small HTTP proxy on loopback through which Chromium makes every connection
 * (`--proxy-server`, with loopback included). For each request or CONNECT tunnel it resolves the
 * hostname once, checks every address against the URL policy, and connects to the address it
 * checked, so DNS rebinding between check and use is impossible. Request interception cannot see
 * WebSockets or service-worker traffic; this layer sees all of it.
 */
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { connect as netConnect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Logger } from '@plugboard/protocol';
import { AddressClass, classifyAddress } from './addresses.js';
import type { Destination } from './origin-pattern.js';
import type { Decision, UrlPolicy } from './url-policy.js';

/** Opens a TCP connection to a checked address. Tests pass one that maps addresses to fixtures. */
export type Connect = (address: string, port: number) => Socket;

export interface BlockedConnection {
  /** `http://host:port/path` for proxied requests, `host:port` for tunnels. */
  readonly target: string;
  readonly reason: string;
  /** `dns` when the host did not resolve; `policy` when the URL policy refused it. */
  readonly kind: 'policy' | 'dns';
}

export interface EgressProxyOptions {
  readonly policy: UrlPolicy;
  readonly logger: Logger;
  readonly connect?: Connect;
  readonly onBlocked?: (blocked: BlockedConnection) => void;
  /** How long a connection to an upstream may take to open. */
  readonly connectTimeoutMs?: number;
}

export interface EgressProxy {
  /** `http://127.0.0.1:<port>`, for `--proxy-server`. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Marks a refusal so navigation errors can be told apart from upstream failures. */
export const BLOCKED_HEADER = 'x-url-policy-blocked';

const HOP_BY_HOP = new Set([
  'proxy-connection',
  'proxy-authorization',
  'proxy-authenticate',
  'connection',
  'keep-alive',
  'te',
  'trailer',
  'upgrade',
]);

const defaultConnect: Connect = (address, port) => netConnect({ host: address, port });

/** The destination of a CONNECT request (`host:port`, `[v6]:port`), canonicalised like a URL. */
export function authorityDestination(authority: string): Destination | undefined {
  const match = /^(\[[^\]]+\]|[^:[\]/@?#\s]+):(\d{1,5})$/.exec(authority);
  if (match === null) return undefined;
  const port = Number(match[2]);
  if (port < 1 || port > 65_535) return undefined;
  try {
    // The URL parser canonicalises the host (case, IDN, numeric IPv4 forms, IPv6 compression).
    return { scheme: undefined, host: new URL(`http://${match[1]!}`).hostname, port };
  } catch {
    return undefined;
  }
}

export async function startEgressProxy(options: EgressProxyOptions): Promise<EgressProxy> {
  const { policy, logger } = options;
  const connect = options.connect ?? defaultConnect;
  const connectTimeoutMs = options.connectTimeoutMs ?? 15_000;
  const sockets = new Set<Duplex>();
  const server = createServer();
  let ownPort = 0;

  const decide = async (destination: Destination): Promise<Decision> => {
    const decision = await policy.checkDestination(destination);
    const self =
      decision.allowed &&
      destination.port === ownPort &&
      decision.addresses.some((address) => classifyAddress(address) === AddressClass.Loopback);
    return self
      ? { allowed: false, reason: 'the browser may not talk to its own proxy', kind: 'policy' }
      : decision;
  };

  const blocked = (target: string, decision: Decision & { allowed: false }): void => {
    logger.debug('egress refused', { target, reason: decision.reason });
    options.onBlocked?.({ target, reason: decision.reason, kind: decision.kind });
  };

  const open = (address: string, port: number): Socket => {
    const socket = connect(address, port);
    socket.setTimeout(connectTimeoutMs, () => socket.destroy(new Error('connect timeout')));
    socket.once('connect', () => socket.setTimeout(0));
    return socket;
  };

  const forward = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    let url: URL;
    try {
      url = new URL(req.url ?? '');
    } catch {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('This is a forward proxy.\n');
      return;
    }
    if (url.protocol !== 'http:') {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('Only http:// is proxied.\n');
      return;
    }
    const port = url.port === '' ? 80 : Number(url.port);
    const decision = await decide({ scheme: 'http:', host: url.hostname, port });
    if (!decision.allowed) {
      blocked(url.href, decision);
      res
        .writeHead(decision.kind === 'dns' ? 502 : 403, {
          'content-type': 'text/plain',
          [BLOCKED_HEADER]: '1',
        })
        .end(`Blocked by the browser's URL policy: ${decision.reason}\n`);
      return;
    }
    const address = decision.addresses[0]!;
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined && !HOP_BY_HOP.has(name)) headers[name] = value;
    }
    const upstream = httpRequest(
      {
        method: req.method,
        path: `${url.pathname}${url.search}`,
        headers,
        setHost: false,
        createConnection: () => open(address, port),
      },
      (response) => {
        const raw: string[] = [];
        for (let i = 0; i < response.rawHeaders.length; i += 2) {
          if (!HOP_BY_HOP.has(response.rawHeaders[i]!.toLowerCase()))
            raw.push(response.rawHeaders[i]!, response.rawHeaders[i + 1]!);
        }
        res.writeHead(response.statusCode ?? 502, raw);
        response.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent)
        res.writeHead(502, { 'content-type': 'text/plain' }).end('Upstream failed.\n');
      else res.destroy();
    });
    req.pipe(upstream);
  };

  const tunnel = async (req: IncomingMessage, client: Duplex, head: Buffer): Promise<void> => {
    const destination = authorityDestination(req.url ?? '');
    if (destination === undefined) {
      client.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const decision = await decide(destination);
    if (!decision.allowed) {
      blocked(req.url ?? '', decision);
      client.end(`HTTP/1.1 403 Forbidden\r\n${BLOCKED_HEADER}: 1\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    const upstream = open(decision.addresses[0]!, destination.port);
    sockets.add(upstream);
    upstream.once('close', () => sockets.delete(upstream));
    upstream.once('connect', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => {
      if (upstream.connecting) client.end('HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n');
      else client.destroy();
    });
    client.on('error', () => upstream.destroy());
    client.on('close', () => upstream.destroy());
  };

  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.on('request', (req, res) => {
    forward(req, res).catch((error: unknown) => {
      logger.warn('egress proxy request failed', { error: String(error) });
      res.destroy();
    });
  });
  server.on('connect', (req: IncomingMessage, client: Duplex, head: Buffer) => {
    client.on('error', () => client.destroy());
    tunnel(req, client, head).catch((error: unknown) => {
      logger.warn('egress proxy tunnel failed', { error: String(error) });
      client.destroy();
    });
  });
  // Chromium tunnels WebSockets with CONNECT; a plain upgrade request is not something it sends.
  server.on('upgrade', (_req: IncomingMessage, client: Duplex) => client.destroy());
  server.on('clientError', (_error, socket) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  ownPort = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${ownPort}`,
    port: ownPort,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
