/**
 * @module
 * A handshake as plain JSON, so a session that `initialize` opened on one instance can go on
 * on another (Streamable HTTP with a shared store): the negotiated revision, what the client
 * declared, and what it set since (log level, subscriptions).
 */
import { isObject } from '../../../jsonrpc/message.js';
import { isMcpLogLevel, type ClientCapabilities, type Implementation } from '../../types.js';
import { isHandshakeVersion, type HandshakeVersion } from '../versions.js';
import type { Handshake } from './exchange.js';

export interface SavedHandshake {
  readonly version: HandshakeVersion;
  readonly capabilities: ClientCapabilities;
  readonly clientInfo: Implementation | undefined;
  readonly logLevel: string | undefined;
  readonly subscriptions: readonly string[];
}

export function saveHandshake(handshake: Handshake): SavedHandshake {
  return {
    version: handshake.version,
    capabilities: handshake.capabilities,
    clientInfo: handshake.clientInfo,
    logLevel: handshake.logLevel,
    subscriptions: [...handshake.subscriptions],
  };
}

/** The handshake `saved` describes, or undefined when it is not one (a record from elsewhere). */
export function restoreHandshake(saved: unknown): Handshake | undefined {
  if (!isObject(saved) || typeof saved.version !== 'string' || !isHandshakeVersion(saved.version))
    return undefined;
  const { capabilities, clientInfo, logLevel, subscriptions } = saved;
  return {
    version: saved.version,
    capabilities: isObject(capabilities) ? capabilities : {},
    clientInfo: isObject(clientInfo) ? (clientInfo as unknown as Implementation) : undefined,
    logLevel: isMcpLogLevel(logLevel) ? logLevel : undefined,
    subscriptions: new Set(
      Array.isArray(subscriptions)
        ? subscriptions.filter((uri): uri is string => typeof uri === 'string')
        : [],
    ),
  };
}
