/**
 * @module
 * One incoming request while its handler runs: its id, its method, its batch, and the signal
 * that tells the handler it was cancelled.
 */
import type { RequestAuth } from '../mcp/auth.js';
import type { BatchAnswers } from './batch-answers.js';
import type { IncomingRequest } from './message-handler.js';
import { LocalError, LocalErrorCode } from './errors.js';
import { isRequestId, type JsonObject, type RequestId } from './message.js';

/** One in-flight incoming request. The AbortController is made only if a handler asks for it. */
export class InFlight implements IncomingRequest {
  #controller: AbortController | undefined;
  cancelled = false;
  readonly id: RequestId;
  readonly method: string;
  /** The batch this request came in, whose array carries its answer. */
  readonly batch: BatchAnswers | undefined;
  readonly auth: RequestAuth | undefined;

  constructor(
    id: RequestId,
    method: string,
    batch: BatchAnswers | undefined,
    auth: RequestAuth | undefined,
  ) {
    this.id = id;
    this.method = method;
    this.batch = batch;
    this.auth = auth;
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

/**
 * The peer cancelled a request (`notifications/cancelled`): its handler is told and its id is
 * free again at once. Methods in `uncancellable` (MCP: `initialize`) run on.
 */
export function cancelByPeer(
  inFlight: Map<RequestId, InFlight>,
  params: JsonObject | undefined,
  uncancellable: ReadonlySet<string>,
): void {
  const requestId = params?.requestId;
  if (!isRequestId(requestId)) return;
  const request = inFlight.get(requestId);
  // initialize cannot be cancelled: the spec forbids it, and a half-made session is worse.
  if (request === undefined || uncancellable.has(request.method)) return;
  request.cancel(typeof params?.reason === 'string' ? params.reason : 'cancelled by the client');
  // Nothing more will be sent for this request, so its id is free for the client to reuse.
  inFlight.delete(requestId);
}
