/**
 * @module
 * The requests this side sent and awaits: ids, timeouts, cancellation (the peer is told), and
 * matching each response to its request.
 */
import { LocalError, LocalErrorCode, PeerError } from './errors.js';
import type {
  JsonObject,
  JsonRpcRequest,
  JsonRpcResponse,
  OutgoingMessage,
  RequestId,
} from './message.js';
import type { SendOptions } from './transport.js';

export const CANCEL_METHOD = 'notifications/cancelled';

export interface OutgoingRequestOptions extends SendOptions {
  signal?: AbortSignal;
  /** Give up after this long; the peer is told with a cancel notification. */
  timeoutMs?: number;
}

interface Pending {
  resolve(result: JsonObject): void;
  reject(error: Error): void;
}

export interface OutgoingSend {
  /** Sends a request; a failure fails the request. */
  send(message: OutgoingMessage, options: SendOptions): Promise<void>;
  /** Sends a cancel notification; failures are only logged. */
  sendQuietly(message: OutgoingMessage, options: SendOptions): void;
}

export class OutgoingRequests {
  readonly #pending = new Map<RequestId, Pending>();
  readonly #send: OutgoingSend;
  #nextId = 0;

  constructor(send: OutgoingSend) {
    this.#send = send;
  }

  /** Sends a request and resolves with its result; a peer error rejects with {@link PeerError}. */
  request(
    method: string,
    params: JsonObject | undefined,
    options: OutgoingRequestOptions = {},
  ): Promise<JsonObject> {
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
        this.#send.sendQuietly(
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
      this.#send.send(message, sendOptions).catch((error: unknown) => {
        this.#pending.get(id)?.reject(error instanceof Error ? error : new Error(String(error)));
      });
    });
  }

  /** Settles the request this response answers; false when none waits for it (a null id). */
  settle(message: JsonRpcResponse): boolean {
    if (message.id === null) return false;
    const pending = this.#pending.get(message.id);
    if (pending === undefined) return true;
    if ('result' in message) {
      pending.resolve(message.result);
    } else {
      pending.reject(new PeerError(message.error.code, message.error.message, message.error.data));
    }
    return true;
  }

  /** Fails every request still waiting (the peer stopped sending, or the connection closed). */
  rejectAll(error: Error): void {
    for (const pending of [...this.#pending.values()]) pending.reject(error);
  }
}
