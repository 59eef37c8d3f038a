/**
 * @module
 * What a transport is to the protocol: a way to send one message and be told of each one
 * received. Framing, streams and sockets stay behind this interface.
 */
import type { RequestAuth } from '../mcp/auth.js';
import type { OutgoingMessage, RequestId } from './message.js';

export interface SendOptions {
  /**
   * The incoming request this message belongs to (a progress notification, a log line, a
   * server-to-client request made while handling it). Streamable HTTP uses it to pick the
   * response stream; stdio ignores it.
   */
  relatedRequestId?: RequestId;
}

/** What a transport knows of a received message besides its value. */
export interface MessageExtra {
  /** Who sent it, when the transport signed the sender in (every request of a batch shares it). */
  readonly auth?: RequestAuth | undefined;
}

/** A bidirectional message channel. Callbacks are assigned by the connection before `start()`. */
export interface Transport {
  start(): Promise<void>;
  /** Sends one message, or the answers to a batch as one array. */
  send(message: OutgoingMessage, options?: SendOptions): Promise<void>;
  close(): Promise<void>;
  /**
   * A parsed JSON value, not yet validated as JSON-RPC. `extra` is an object so that a transport
   * written for another library (which may pass its own) is read safely: only `auth` counts.
   */
  onmessage?: (value: unknown, extra?: MessageExtra) => void;
  /**
   * Framing failed: the connection answers with this error and keeps going. `id`: the request
   * the unparsed bytes were, when the transport could tell (an oversized line's own id).
   */
  onparseerror?: (detail: string, id?: RequestId) => void;
  onclose?: () => void;
  /**
   * The peer has finished sending (stdin reached its end) but may still read. The connection
   * answers what is in flight, then closes. A transport with no handler closes at once.
   */
  onend?: () => void;
  onerror?: (error: Error) => void;
}
