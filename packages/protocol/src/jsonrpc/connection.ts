/**
 * @module
 * A JSON-RPC peer over one {@link Transport}: dispatches incoming requests to a handler and
 * answers exactly once, correlates responses to the requests this side sent, and carries
 * cancellation both ways. It knows nothing of MCP beyond the name of the cancel notification.
 */
import { ErrorCode } from './error-code.js';
import { LocalError, LocalErrorCode, PeerError, ProtocolError } from './errors.js';
import {
  classify,
  errorResponse,
  isRequestId,
  parseErrorResponse,
  type JsonObject,
  type JsonRpcBatchResponse,
  type OutgoingMessage,
  type JsonRpcNotification,
  type JsonRpcRequest,
  type JsonRpcResponse,
  type RequestId,
} from './message.js';
import type { SendOptions, Transport } from './transport.js';
import { nullLogger, type Logger } from '../log.js';

export const CANCEL_METHOD = 'notifications/cancelled';

/** The most messages one batch may hold: each element can start work, so the batch is bounded. */
export const MAX_BATCH_MESSAGES = 100;

/** What a request handler is given besides the message. */
export interface IncomingRequest {
  readonly id: RequestId;
  /** Aborted when the peer cancels the request or the connection closes. */
  readonly signal: AbortSignal;
}

export interface MessageHandler {
  /** Resolves to the result object, or throws a {@link ProtocolError}. */
  request(message: JsonRpcRequest, incoming: IncomingRequest): Promise<JsonObject> | JsonObject;
  notification(message: JsonRpcNotification): void;
  /** Whether a JSON-RPC batch (an array) may be received now. Without this, batches are refused. */
  acceptsBatches?(): boolean;
}

export interface OutgoingRequestOptions extends SendOptions {
  signal?: AbortSignal;
  /** Give up after this long; the peer is told with a cancel notification. */
  timeoutMs?: number;
}

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

/**
 * The answers to one incoming batch. They go back together, in one array, once every request in
 * the batch is settled; a batch of notifications and responses gets no answer at all.
 */
class BatchAnswers {
  readonly #answers: JsonRpcBatchResponse = [];
  readonly #send: (answers: JsonRpcBatchResponse) => void;
  #outstanding = 0;
  #sealed = false;

  constructor(send: (answers: JsonRpcBatchResponse) => void) {
    this.#send = send;
  }

  /** A request of the batch was dispatched; its answer (or its cancellation) is awaited. */
  expect(): void {
    this.#outstanding++;
  }

  /** An answer to an expected request, or to an element that was refused outright (`expected: false`). */
  add(answer: JsonRpcResponse, expected = true): void {
    this.#answers.push(answer);
    if (expected) this.#settleOne();
  }

  /** An expected request was cancelled: it has no answer. */
  skip(): void {
    this.#settleOne();
  }

  /** Every element has been dispatched. */
  seal(): void {
    this.#sealed = true;
    this.#flushIfDone();
  }

  #settleOne(): void {
    this.#outstanding--;
    this.#flushIfDone();
  }

  #flushIfDone(): void {
    if (!this.#sealed || this.#outstanding > 0 || this.#answers.length === 0) return;
    this.#send(this.#answers);
  }
}

/** One in-flight incoming request. The AbortController is made only if a handler asks for it. */
class InFlight implements IncomingRequest {
  #controller: AbortController | undefined;
  cancelled = false;
  readonly id: RequestId;
  readonly method: string;
  /** The batch this request came in, whose array carries its answer. */
  readonly batch: BatchAnswers | undefined;

  constructor(id: RequestId, method: string, batch: BatchAnswers | undefined) {
    this.id = id;
    this.method = method;
    this.batch = batch;
  }

  get signal(): AbortSignal {
    this.#controller ??= new AbortController();
    if (this.cancelled && !this.#controller.signal.aborted) this.#controller.abort();
    return this.#controller.signal;
  }

  cancel(reason: string): void {
    if (this.cancelled) return;
    this.cancelled = true;
    // A cancelled request has no answer; its batch need not wait for the handler to notice.
    this.batch?.skip();
    this.#controller?.abort(new LocalError(LocalErrorCode.RequestCancelled, reason));
  }
}

interface Pending {
  resolve(result: JsonObject): void;
  reject(error: Error): void;
}

export class Connection {
  readonly #transport: Transport;
  readonly #handler: MessageHandler;
  readonly #logger: Logger;
  readonly #uncancellable: ReadonlySet<string>;
  readonly #drainMs: number;
  readonly #inFlight = new Map<RequestId, InFlight>();
  readonly #pending = new Map<RequestId, Pending>();
  #nextId = 0;
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
    transport.onmessage = (value) => {
      this.#receive(value);
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
    const { signal, timeoutMs, relatedRequestId } = options;
    signal?.throwIfAborted();
    const id = this.#nextId++;
    const sendOptions: SendOptions = relatedRequestId === undefined ? {} : { relatedRequestId };
    return new Promise<JsonObject>((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const finish = (): void => {
        this.#pending.delete(id);
        if (timer !== undefined) clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      const giveUp = (error: Error): void => {
        if (!this.#pending.has(id)) return;
        finish();
        void this.#sendQuietly(
          {
            jsonrpc: '2.0',
            method: CANCEL_METHOD,
            params: { requestId: id, reason: error.message },
          },
          sendOptions,
        );
        reject(error);
      };
      const onAbort = (): void => {
        giveUp(new LocalError(LocalErrorCode.RequestCancelled, `Request ${method} was cancelled`));
      };
      this.#pending.set(id, {
        resolve: (result) => {
          finish();
          resolve(result);
        },
        reject: (error) => {
          finish();
          reject(error);
        },
      });
      signal?.addEventListener('abort', onAbort, { once: true });
      if (timeoutMs !== undefined) {
        timer = setTimeout(() => {
          giveUp(
            new LocalError(
              LocalErrorCode.RequestTimeout,
              `Request ${method} timed out after ${timeoutMs} ms`,
            ),
          );
        }, timeoutMs);
      }
      const message: JsonRpcRequest =
        params === undefined
          ? { jsonrpc: '2.0', id, method }
          : { jsonrpc: '2.0', id, method, params };
      this.#transport.send(message, sendOptions).catch((error: unknown) => {
        this.#pending.get(id)?.reject(error instanceof Error ? error : new Error(String(error)));
      });
    });
  }

  /** Sends a notification; failures (a closed peer) are logged, never thrown. */
  notify(method: string, params?: JsonObject, options?: SendOptions): Promise<void> {
    const message: JsonRpcNotification =
      params === undefined ? { jsonrpc: '2.0', method } : { jsonrpc: '2.0', method, params };
    return this.#sendQuietly(message, options);
  }

  #receive(value: unknown, batch?: BatchAnswers): void {
    if (batch === undefined && Array.isArray(value) && this.#handler.acceptsBatches?.() === true) {
      this.#receiveBatch(value);
      return;
    }
    const classified = classify(value);
    switch (classified.kind) {
      case 'request':
        this.#onRequest(classified.message, batch);
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
  #receiveBatch(values: unknown[]): void {
    if (values.length === 0 || values.length > MAX_BATCH_MESSAGES) {
      const message =
        values.length === 0
          ? 'A batch must not be empty'
          : `A batch holds at most ${MAX_BATCH_MESSAGES} messages; this one has ${values.length}`;
      void this.#sendQuietly(errorResponse(null, { code: ErrorCode.InvalidRequest, message }));
      return;
    }
    const batch = new BatchAnswers((answers) => {
      void this.#sendQuietly(answers);
    });
    // A nested array is not a message: classify refuses it like any other non-object.
    for (const value of values) this.#receive(value, batch);
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

  #onRequest(message: JsonRpcRequest, batch?: BatchAnswers): void {
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
    const inFlight = new InFlight(id, method, batch);
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
          ? errorResponse(id, this.#toWireError(method, error))
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
    for (const pending of [...this.#pending.values()]) pending.reject(ended);
    if (this.#inFlight.size === 0) void this.close();
  }

  #toWireError(method: string, error: unknown): { code: number; message: string; data?: unknown } {
    if (error instanceof ProtocolError) return error.toJSON();
    this.#logger.error(`request ${method} failed`, {
      error: error instanceof Error ? error.message : String(error),
      stack: error instanceof Error ? error.stack : undefined,
    });
    return { code: ErrorCode.InternalError, message: `Internal error while handling ${method}` };
  }

  #onNotification(message: JsonRpcNotification): void {
    if (message.method === CANCEL_METHOD) {
      const requestId = message.params?.requestId;
      if (!isRequestId(requestId)) return;
      const inFlight = this.#inFlight.get(requestId);
      if (inFlight === undefined) return;
      // initialize cannot be cancelled: the spec forbids it, and a half-made session is worse.
      if (this.#uncancellable.has(inFlight.method)) return;
      const reason =
        typeof message.params?.reason === 'string'
          ? message.params.reason
          : 'cancelled by the client';
      inFlight.cancel(reason);
      // Nothing more will be sent for this request, so its id is free for the client to reuse.
      this.#inFlight.delete(requestId);
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
    if (message.id === null) {
      if ('error' in message)
        this.#logger.warn('peer reported an error', {
          code: message.error.code,
          message: message.error.message,
        });
      return;
    }
    const pending = this.#pending.get(message.id);
    if (pending === undefined) return;
    if ('result' in message) {
      pending.resolve(message.result);
    } else {
      pending.reject(new PeerError(message.error.code, message.error.message, message.error.data));
    }
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
    for (const pending of [...this.#pending.values()]) pending.reject(closedError);
    this.onclose?.();
  }
}
