/**
 * @module
 * What a handshake-era client sets for its whole session: the level of `notifications/message`
 * (`logging/setLevel`) and the resources it watches (`resources/subscribe`, `unsubscribe`).
 */
import { ProtocolError } from '../../../jsonrpc/errors.js';
import type { JsonObject } from '../../../jsonrpc/message.js';
import { isMcpLogLevel } from '../../types.js';
import type { Handshake } from './exchange.js';

export function setLogLevel(handshake: Handshake, level: unknown): JsonObject {
  if (!isMcpLogLevel(level))
    throw ProtocolError.invalidParams(
      'params.level must be one of debug, info, notice, warning, error, critical, alert, emergency',
    );
  handshake.logLevel = level;
  return {};
}

export function subscribe(handshake: Handshake, uri: unknown, on: boolean): JsonObject {
  if (typeof uri !== 'string' || uri.length === 0)
    throw ProtocolError.invalidParams('params.uri must be a non-empty string');
  if (on) handshake.subscriptions.add(uri);
  else handshake.subscriptions.delete(uri);
  return {};
}
