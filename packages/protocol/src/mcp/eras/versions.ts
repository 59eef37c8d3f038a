/**
 * @module
 * The protocol revisions this package speaks, and the only place where versions are negotiated.
 * Handshake-era clients pick a revision with `initialize`; 2026-07-28 clients name it on every
 * request in `_meta`.
 */

/** Revisions negotiated with `initialize`, oldest first. */
export const HANDSHAKE_VERSIONS = ['2024-11-05', '2025-03-26', '2025-06-18', '2025-11-25'] as const;

/** Stateless revisions, named per request. */
export const MODERN_VERSIONS = ['2026-07-28'] as const;

export type HandshakeVersion = (typeof HANDSHAKE_VERSIONS)[number];
export type ModernVersion = (typeof MODERN_VERSIONS)[number];
export type ProtocolVersion = HandshakeVersion | ModernVersion;

/** Every revision, newest first, as `server/discover` lists them. */
export const SUPPORTED_VERSIONS: readonly ProtocolVersion[] = [
  ...HANDSHAKE_VERSIONS,
  ...MODERN_VERSIONS,
].reverse();

export const LATEST_HANDSHAKE_VERSION: HandshakeVersion = '2025-11-25';

export function isHandshakeVersion(value: unknown): value is HandshakeVersion {
  return typeof value === 'string' && (HANDSHAKE_VERSIONS as readonly string[]).includes(value);
}

export function isModernVersion(value: unknown): value is ModernVersion {
  return typeof value === 'string' && (MODERN_VERSIONS as readonly string[]).includes(value);
}

/**
 * `initialize` negotiation: echo the requested revision when it is one we speak, else answer
 * with our newest handshake revision (a success; the client decides whether it can continue).
 * A 2026 revision is never negotiated through `initialize`.
 */
export function negotiateHandshakeVersion(requested: string): HandshakeVersion {
  return isHandshakeVersion(requested) ? requested : LATEST_HANDSHAKE_VERSION;
}

/**
 * JSON-RPC batches: added in 2025-03-26, removed in 2025-06-18. A session negotiated at
 * 2025-03-26 must accept them; every other session refuses them.
 */
export function acceptsBatches(version: string | undefined): boolean {
  return version === '2025-03-26';
}

/** Features that appeared in a revision, compared by the date-shaped version strings. */
export function versionAtLeast(version: string, minimum: ProtocolVersion): boolean {
  return version >= minimum;
}

/** The reserved `_meta` keys of the 2026-07-28 revision. */
export const MetaKey = {
  ProtocolVersion: 'io.modelcontextprotocol/protocolVersion',
  ClientCapabilities: 'io.modelcontextprotocol/clientCapabilities',
  ClientInfo: 'io.modelcontextprotocol/clientInfo',
  LogLevel: 'io.modelcontextprotocol/logLevel',
  ServerInfo: 'io.modelcontextprotocol/serverInfo',
  SubscriptionId: 'io.modelcontextprotocol/subscriptionId',
} as const;
