/**
 * @module
 * Streamable HTTP: {@link serveHttp} binds (loopback by default), serves `/mcp` to clients of
 * both protocol generations, and shuts down cleanly. {@link createStreamableHttp} is the same
 * endpoint unbound: a Web-standard `(request: Request) => Promise<Response>` for any runtime or
 * framework (Hono, `export default { fetch }`), and a `node:http` listener for an existing
 * server, both serving the same sessions.
 */
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { nullLogger } from '../../log.js';
import { sealStore } from '../../store/sealed.js';
import type { Store } from '../../store/store.js';
import { SharedSessions } from './shared-sessions.js';
import type { McpServer } from '../../mcp/server.js';
import { createHttpEndpoint } from './handler.js';
import { toNodeListener } from './node.js';
import type { Authenticator } from './auth/access-token.js';
import { resolveHttpOptions, type HttpOptions, type ResolvedHttpOptions } from './options.js';
import { SessionStore } from './sessions.js';
import { toFetchHandler, type HttpHandler } from './web.js';

export type { HttpOptions } from './options.js';
export type { AccessToken, RequestAuth } from './auth/access-token.js';
export type { IntrospectionOptions, SignInOptions } from './auth/sign-in.js';
export { resolveSignIn } from './auth/sign-in.js';
export type { HttpHandler } from './web.js';
export type { Answer } from './answer.js';
export { htmlAnswer, redirectAnswer } from './answer.js';
export type { HttpRoutes, RouteRequest } from './routes.js';

export interface StreamableHttp {
  /** The endpoint (`/mcp`, `/healthz`, the RFC 9728 metadata) as `Request` to `Response`. */
  fetch: HttpHandler;
  /**
   * The same endpoint as a `node:http` request listener, reading and writing the socket directly
   * (no `Request` or `Response` is built); this is what {@link serveHttp} mounts.
   */
  listener: (request: IncomingMessage, response: ServerResponse) => void;
  /** Closes every session (the server itself stays open). */
  close(): Promise<void>;
}

/**
 * Streamable HTTP for `server` as a Web-standard handler, with its own sessions. `host` and
 * `port` only name the server in metadata; binding is the host framework's business.
 */
export function createStreamableHttp<D>(
  server: McpServer<D>,
  options: HttpOptions,
): StreamableHttp {
  const resolved = resolveHttpOptions(options);
  if (resolved.signIn?.writeScope !== undefined && server.exposure === undefined)
    throw new Error(
      'Sign-in with a write scope needs the server to say which tools a read-only grant sees: createServer({ exposure })',
    );
  const logger = options.logger ?? nullLogger;
  const shared = sharedScope(server.info.name, options);
  // Tasks and sessions both live in the store: any instance on it answers for them.
  if (shared !== undefined) server.shareTasks(shared.scope('tasks'));
  const sessions = new SessionStore(
    resolved,
    logger,
    shared === undefined
      ? undefined
      : new SharedSessions(shared, resolved.sessionIdleMs, resolved.replayEvents, logger),
  );
  const endpoint = createHttpEndpoint({
    server: server as McpServer,
    sessions,
    options: resolved,
    logger,
    authenticate: resolved.signIn === undefined ? undefined : lazyAuthenticator(resolved),
  });
  return {
    fetch: toFetchHandler(endpoint),
    listener: toNodeListener(endpoint),
    close: () => sessions.closeAll(),
  };
}

/** This server's part of the shared store, sealed, under its name; none without a store. */
function sharedScope(serverName: string, options: HttpOptions): Store | undefined {
  const { store } = options;
  if (store === undefined) return undefined;
  let keys = options.storeKeys ?? [];
  if (keys.length === 0) {
    if (store.shared)
      throw new Error(
        'A shared store needs storeKeys (MCP_REQUEST_STATE_KEY), the same on every instance',
      );
    keys = [crypto.getRandomValues(new Uint8Array(32))];
  }
  return sealStore(store, keys).scope(`mcp:${serverName}`);
}

/**
 * Sign-in's authenticator, its module (and `jose`) imported on the first request, so a server
 * without sign-in, or one only asked for `--help`, never loads them.
 */
function lazyAuthenticator(options: ResolvedHttpOptions): Authenticator {
  let loaded: Promise<Authenticator> | undefined;
  return async (request) => {
    loaded ??= import('./auth/authenticate.js').then(({ createAuthenticator }) =>
      createAuthenticator(options),
    );
    return (await loaded)(request);
  };
}

export interface HttpListening {
  /** The MCP endpoint, e.g. `http://127.0.0.1:3000/mcp`. */
  url: string;
  port: number;
  httpServer: Server;
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK.has(host) || host.startsWith('127.');
}

export async function serveHttp<D>(
  server: McpServer<D>,
  options: HttpOptions,
): Promise<HttpListening> {
  const endpoint = createStreamableHttp(server, options);
  const httpServer = createHttpServer(endpoint.listener);
  // Slow-loris limits: headers within 10 s, a request body within 30 s, idle keep-alive sockets closed after 5 s.
  httpServer.headersTimeout = 10_000;
  httpServer.requestTimeout = 30_000;
  httpServer.keepAliveTimeout = 5_000;
  httpServer.maxHeadersCount = 100;
  // `localhost` may resolve to ::1 only; bind the literal the operator meant.
  const host = options.host === 'localhost' ? '127.0.0.1' : options.host;
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port, host, () => {
      httpServer.off('error', reject);
      resolve();
    });
  });
  const { port } = httpServer.address() as AddressInfo;
  const shown = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shown}:${port}/mcp`,
    port,
    httpServer,
    async close() {
      await endpoint.close();
      await server.close();
      await new Promise<void>((resolve) => {
        httpServer.close(() => resolve());
        httpServer.closeAllConnections();
      });
    },
  };
}
