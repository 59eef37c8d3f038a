/**
 * @module
 * A JSON-RPC peer over one {@link Transport}: dispatches incoming requests to a handler and
 * answers exactly once, correlates responses to the requests this side sent, and carries
 * cancellation both ways. It knows nothing of MCP beyond the name of the cancel notification.
 */
import { ErrorCode } from './error-code.js';
import { LocalError, LocalErrorCode, toWireError } from './errors.js';
import {
  classify,
  errorResponse,
  isRequestId,
  parseErrorResponse,
  type JsonObject,
  type OutgoingMessage,
  type JsonRpcNotification,
  type JsonRpcRequest,
  type JsonRpcResponse,
  type RequestId,
} from './message.js';
import type { RequestAuth } from '../mcp/auth.js';
import type { SendOptions, Transport } from './transport.js';
import { BatchAnswers, batchRefusal } from './batch-answers.js';

export { MAX_BATCH_MESSAGES } from './batch-answers.js';
import { cancelByPeer, InFlight } from './in-flight.js';
import type { MessageHandler } from './message-handler.js';
import { CANCEL_METHOD, OutgoingRequests, type OutgoingRequestOptions } from './outgoing.js';

export type { IncomingRequest, MessageHandler } from './message-handler.js';
export { CANCEL_METHOD, type OutgoingRequestOptions } from './outgoing.js';
import { nullLogger, type Logger } from '../log.js';

export interface ConnectionOptions {
  logger?: Logger;
  /** Methods whose requests cannot be cancelled (MCP: `initialize`). */
  uncancellable?: ReadonlySet<string>;
  /**
   * When the peer stops sending, requests in flight get this long to finish and be answered
   * before they are cancelled and the connection closes. Default {@link DEFAULT_DRAIN_MS}.
   */
  drainMs?: number;
}

/** Long enough for ordinary calls to finish, short enough to exit well within a host's patience. */
export const DEFAULT_DRAIN_MS = 3000;

export class Connection {
  readonly #transport: Transport;
  readonly #handler: MessageHandler;
  readonly #logger: Logger;
  readonly #uncancellable: ReadonlySet<string>;
  readonly #drainMs: number;
  readonly #inFlight = new Map<RequestId, InFlight>();
  readonly #outgoing: OutgoingRequests;
  #lastSent: Promise<void> | undefined;
  #closed = false;
  /** Set once the peer has stopped sending: the connection closes when nothing is in flight. */
  #draining: ReturnType<typeof setTimeout> | undefined;
  onclose?: () => void;

  constructor(transport: Transport, handler: MessageHandler, options: ConnectionOptions = {}) {
    this.#transport = transport;
    this.#handler = handler;
    this.#logger = options.logger ?? nullLogger;
    this.#uncancellable = options.uncancellable ?? new Set();
    this.#drainMs = options.drainMs ?? DEFAULT_DRAIN_MS;
    this.#outgoing = new OutgoingRequests({
      send: (message, sendOptions) => transport.send(message, sendOptions),
      sendQuietly: (message, sendOptions) => void this.#sendQuietly(message, sendOptions),
    });
    transport.onmessage = (value, extra) => {
      this.#receive(value, undefined, extra?.auth);
    };
    transport.onparseerror = (detail, id) => {
      void this.#sendQuietly(parseErrorResponse(detail, id));
    };
    transport.onclose = () => {
      this.#teardown();
    };
    transport.onend = () => {
      this.#drain();
    };
    transport.onerror = (error) => {
      this.#logger.warn('transport error', { error: error.message });
    };
  }

  get closed(): boolean {
    return this.#closed;
  }

  async start(): Promise<void> {
    await this.#transport.start();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    await this.#transport.close();
    this.#teardown();
  }

  /** Sends a request to the peer and resolves with its result; a peer error rejects with {@link PeerError}. */
  request(
    method: string,
    params: JsonObject | undefined,
    options: OutgoingRequestOptions = {},
  ): Promise<JsonObject> {
    if (this.#closed || this.#draining !== undefined) {
      const reason = this.#closed ? 'Connection is closed' : 'The peer stopped sending';
      return Promise.reject(new LocalError(LocalErrorCode.ConnectionClosed, reason));
    }
    return this.#outgoing.request(method, params, options);
  }

  /** Sends a notification; failures (a closed peer) are logged, never thrown. */
  notify(method: string, params?: JsonObject, options?: SendOptions): Promise<void> {
    const message: JsonRpcNotification =
      params === undefined ? { jsonrpc: '2.0', method } : { jsonrpc: '2.0', method, params };
    return this.#sendQuietly(message, options);
  }

  #receive(value: unknown, batch?: BatchAnswers, auth?: RequestAuth): void {
    if (batch === undefined && Array.isArray(value) && this.#handler.acceptsBatches?.() === true) {
      this.#receiveBatch(value, auth);
      return;
    }
    const classified = classify(value);
    switch (classified.kind) {
      case 'request':
        this.#onRequest(classified.message, batch, auth);
        return;
      case 'notification':
        this.#onNotification(classified.message);
        return;
      case 'response':
        this.#onResponse(classified.message);
        return;
      case 'invalid':
        // A malformed notification cannot be told apart from a malformed request with a bad id,
        // so every invalid message is answered, with the id only when it was readable.
        this.#answer(errorResponse(classified.id, classified.error), batch, false);
        return;
    }
  }

  /** A JSON-RPC batch: each element is handled as if it came alone; the answers go back as one array. */
  #receiveBatch(values: unknown[], auth: RequestAuth | undefined): void {
    const refusal = batchRefusal(values.length);
    if (refusal !== undefined) {
      void this.#sendQuietly(
        errorResponse(null, { code: ErrorCode.InvalidRequest, message: refusal }),
      );
      return;
    }
    const batch = new BatchAnswers((answers) => {
      void this.#sendQuietly(answers);
    });
    // A nested array is not a message: classify refuses it like any other non-object.
    for (const value of values) this.#receive(value, batch, auth);
    batch.seal();
  }

  /** Sends an answer, or adds it to its batch. `expected` is false for answers to refused elements. */
  #answer(answer: JsonRpcResponse, batch: BatchAnswers | undefined, expected: boolean): void {
    if (batch !== undefined) {
      batch.add(answer, expected);
      return;
    }
    void this.#sendQuietly(answer, isRequestId(answer.id) ? { relatedRequestId: answer.id } : {});
  }

  #onRequest(message: JsonRpcRequest, batch?: BatchAnswers, auth?: RequestAuth): void {
    const { id, method } = message;
    if (this.#inFlight.has(id)) {
      this.#answer(
        errorResponse(id, {
          code: ErrorCode.InvalidRequest,
          message: `Request id ${JSON.stringify(id)} is already in use by a request in progress`,
        }),
        batch,
        false,
      );
      return;
    }
    batch?.expect();
    const inFlight = new InFlight(id, method, batch, auth);
    this.#inFlight.set(id, inFlight);
    let outcome: Promise<JsonObject> | JsonObject;
    try {
      outcome = this.#handler.request(message, inFlight);
    } catch (error) {
      this.#settle(inFlight, method, undefined, error);
      return;
    }
    if (outcome instanceof Promise) {
      outcome.then(
        (result) => {
          this.#settle(inFlight, method, result, undefined);
        },
        (error: unknown) => {
          this.#settle(inFlight, method, undefined, error);
        },
      );
    } else {
      this.#settle(inFlight, method, outcome, undefined);
    }
  }

  #settle(
    inFlight: InFlight,
    method: string,
    result: JsonObject | undefined,
    error: unknown,
  ): void {
    const { id } = inFlight;
    // The id may already serve a newer request: a cancelled request gives its id back at once.
    if (this.#inFlight.get(id) === inFlight) this.#inFlight.delete(id);
    if (this.#closed) return;
    if (!inFlight.cancelled) {
      const answer: JsonRpcResponse =
        result === undefined
          ? errorResponse(id, toWireError(method, error, this.#logger))
          : { jsonrpc: '2.0', id, result };
      this.#answer(answer, inFlight.batch, true);
    }
    if (this.#draining !== undefined && this.#inFlight.size === 0) void this.close();
  }

  /**
   * The peer sent its last message. Nothing it asked of us can be answered by it any more, so
   * our own requests fail now; its requests in flight are finished and answered, up to the drain
   * limit, and then the connection closes.
   */
  #drain(): void {
    if (this.#closed || this.#draining !== undefined) return;
    this.#draining = setTimeout(() => void this.close(), this.#drainMs);
    const ended = new LocalError(LocalErrorCode.ConnectionClosed, 'The peer stopped sending');
    this.#outgoing.rejectAll(ended);
    if (this.#inFlight.size === 0) void this.close();
  }

  #onNotification(message: JsonRpcNotification): void {
    if (message.method === CANCEL_METHOD) {
      cancelByPeer(this.#inFlight, message.params, this.#uncancellable);
      return;
    }
    try {
      this.#handler.notification(message);
    } catch (error) {
      this.#logger.error(`notification ${message.method} failed`, {
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }

  #onResponse(message: JsonRpcResponse): void {
    if (this.#outgoing.settle(message) || !('error' in message)) return;
    this.#logger.warn('peer reported an error', {
      code: message.error.code,
      message: message.error.message,
    });
  }

  #sendQuietly(message: OutgoingMessage, options?: SendOptions): Promise<void> {
    if (this.#closed) return Promise.resolve();
    const sent = this.#transport.send(message, options);
    // Batching transports hand back one promise per batch; one handler per batch is enough.
    if (sent !== this.#lastSent) {
      this.#lastSent = sent;
      sent.catch(this.#onSendFailure);
    }
    return sent;
  }

  readonly #onSendFailure = (error: unknown): void => {
    this.#logger.debug('send failed', {
      error: error instanceof Error ? error.message : String(error),
    });
  };

  #teardown(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#draining);
    for (const inFlight of this.#inFlight.values()) inFlight.cancel('connection closed');
    this.#inFlight.clear();
    const closedError = new LocalError(LocalErrorCode.ConnectionClosed, 'Connection closed');
    this.#outgoing.rejectAll(closedError);
    this.onclose?.();
  }
}
