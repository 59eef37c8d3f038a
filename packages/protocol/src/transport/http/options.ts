/**
 * @module
 * Settings of the Streamable HTTP transport, with the defaults that make a local server safe:
 * loopback only, DNS-rebinding checks on, bounded bodies, sessions and idle time.
 */
import type { Logger } from '../../log.js';
import type { Store } from '../../store/store.js';
import { resolveSignIn, type ResolvedSignIn, type SignInOptions } from './auth/sign-in.js';
import { checkRoutes, type HttpRoutes } from './routes.js';

export interface HttpOptions {
  /** Bind address. Loopback unless the operator says otherwise. */
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Require `Authorization: Bearer <token>` on every MCP request. */
  authToken?: string;
  /** Sign-in (MCP authorization): OAuth access tokens from the operator's issuer on every request. */
  signIn?: SignInOptions;
  /** Host header values accepted besides loopback names (needed when binding elsewhere). */
  allowedHosts?: readonly string[];
  /** Origins accepted besides loopback origins, e.g. `https://app.example.com`. */
  allowedOrigins?: readonly string[];
  /** Authorization servers to publish in RFC 9728 protected-resource metadata. */
  authorizationServers?: readonly string[];
  /** The server's public base URL (for metadata) when it runs behind a proxy. */
  publicUrl?: string;
  /** Largest accepted request body, bytes. */
  maxBodyBytes?: number;
  /** Most handshake-era sessions kept at once; the least recently used idle one makes room. */
  maxSessions?: number;
  /** Handshake-era sessions unused this long are closed. */
  sessionIdleMs?: number;
  /** SSE events kept per stream for `Last-Event-ID` resumption. */
  replayEvents?: number;
  /**
   * Where handshake-era sessions and their streams' events are kept, so that any instance with
   * the same store answers any request of a session (`--store`). Without it, this process's
   * memory, as one instance needs. The caller opens and closes it.
   */
  store?: Store;
  /**
   * The key ring sealing what goes into `store` (the first seals, every one opens): the
   * operator's `MCP_REQUEST_STATE_KEY`, the same on every instance. Required with a shared
   * store; a store of this process alone gets a random key.
   */
  storeKeys?: readonly (string | Uint8Array)[];
  /**
   * GET routes for a browser beside `/mcp` (the connect flow of upstream accounts): the Host
   * guard applies, the MCP bearer check does not.
   */
  routes?: HttpRoutes;
  logger?: Logger;
}

export interface ResolvedHttpOptions {
  host: string;
  port: number;
  authToken: string | undefined;
  signIn: ResolvedSignIn | undefined;
  allowedHosts: ReadonlySet<string>;
  allowedOrigins: ReadonlySet<string>;
  authorizationServers: readonly string[];
  publicUrl: string | undefined;
  maxBodyBytes: number;
  maxSessions: number;
  sessionIdleMs: number;
  replayEvents: number;
  routes: HttpRoutes | undefined;
}

export const HTTP_DEFAULTS = {
  maxBodyBytes: 4 * 1024 * 1024,
  maxSessions: 1000,
  sessionIdleMs: 30 * 60 * 1000,
  replayEvents: 256,
} as const;

/** Throws when the settings contradict each other or a sign-in URL is unsafe. */
export function resolveHttpOptions(options: HttpOptions): ResolvedHttpOptions {
  if (options.authToken !== undefined && options.signIn !== undefined)
    throw new Error('Use either a static auth token or sign-in, not both');
  if (options.routes !== undefined) checkRoutes(options.routes);
  return {
    host: options.host,
    port: options.port,
    authToken: options.authToken,
    signIn: options.signIn === undefined ? undefined : resolveSignIn(options.signIn),
    allowedHosts: new Set((options.allowedHosts ?? []).map((host) => host.toLowerCase())),
    allowedOrigins: new Set(
      (options.allowedOrigins ?? []).map((origin) => origin.toLowerCase().replace(/\/+$/, '')),
    ),
    authorizationServers: options.authorizationServers ?? [],
    publicUrl: options.publicUrl?.replace(/\/+$/, ''),
    maxBodyBytes: options.maxBodyBytes ?? HTTP_DEFAULTS.maxBodyBytes,
    maxSessions: options.maxSessions ?? HTTP_DEFAULTS.maxSessions,
    sessionIdleMs: options.sessionIdleMs ?? HTTP_DEFAULTS.sessionIdleMs,
    replayEvents: options.replayEvents ?? HTTP_DEFAULTS.replayEvents,
    routes: options.routes,
  };
}
