/**
 * @module
 * Collecting the answers to one incoming JSON-RPC batch until every request in it has settled.
 */
import type { JsonRpcBatchResponse, JsonRpcResponse } from './message.js';

/** The most messages one batch may hold: each element can start work, so the batch is bounded. */
export const MAX_BATCH_MESSAGES = 100;

/** Why a batch of `length` messages is refused whole, if it is. */
export function batchRefusal(length: number): string | undefined {
  if (length === 0) return 'A batch must not be empty';
  if (length > MAX_BATCH_MESSAGES)
    return `A batch holds at most ${MAX_BATCH_MESSAGES} messages; this one has ${length}`;
  return undefined;
}

/**
 * The answers to one incoming batch. They go back together, in one array, once every request in
 * the batch is settled; a batch of notifications and responses gets no answer at all.
 */
export class BatchAnswers {
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
