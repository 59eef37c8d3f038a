/**
 * @module
 * `initialize`: the handshake that opens a session of the handshake era. The revision is
 * negotiated once (see `../versions.ts`) and what the client declared is kept for the session.
 */
import { ProtocolError } from '../../../jsonrpc/errors.js';
import { isObject, type JsonObject } from '../../../jsonrpc/message.js';
import type { ServerCore } from '../../core.js';
import type { Implementation } from '../../types.js';
import { negotiateHandshakeVersion } from '../versions.js';
import type { Handshake } from './exchange.js';

export function initialize(
  core: ServerCore,
  params: JsonObject,
): { handshake: Handshake; result: JsonObject } {
  const requested = params.protocolVersion;
  if (typeof requested !== 'string')
    throw ProtocolError.invalidParams('params.protocolVersion must be a string');
  const version = negotiateHandshakeVersion(requested);
  const handshake: Handshake = {
    version,
    capabilities: isObject(params.capabilities) ? params.capabilities : {},
    clientInfo: isObject(params.clientInfo)
      ? (params.clientInfo as unknown as Implementation)
      : undefined,
    logLevel: undefined,
    subscriptions: new Set(),
  };
  const result: JsonObject = {
    protocolVersion: version,
    capabilities: core.capabilities,
    serverInfo: core.info,
  };
  if (core.instructions !== undefined) result.instructions = core.instructions;
  return { handshake, result };
}
