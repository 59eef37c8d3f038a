/**
 * @module
 * What a {@link Connection} hands incoming messages to: the protocol above JSON-RPC.
 */
import type { RequestAuth } from '../mcp/auth.js';
import type { JsonObject, JsonRpcNotification, JsonRpcRequest, RequestId } from './message.js';

/** What a request handler is given besides the message. */
export interface IncomingRequest {
  readonly id: RequestId;
  /** Aborted when the peer cancels the request or the connection closes. */
  readonly signal: AbortSignal;
  /** Who sent it, when the transport signed the sender in. */
  readonly auth: RequestAuth | undefined;
}

export interface MessageHandler {
  /** Resolves to the result object, or throws a {@link ProtocolError}. */
  request(message: JsonRpcRequest, incoming: IncomingRequest): Promise<JsonObject> | JsonObject;
  notification(message: JsonRpcNotification): void;
  /** Whether a JSON-RPC batch (an array) may be received now. Without this, batches are refused. */
  acceptsBatches?(): boolean;
}
