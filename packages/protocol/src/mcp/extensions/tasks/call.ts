/**
 * @module
 * A `tools/call` that becomes a task (tasks extension, SEP-2663). The handler runs on a
 * {@link TaskCallExchange}: until the task exists it behaves like the request's own exchange
 * (questions end the round with an input-required result); from then on the handler's signal is
 * the task's, its questions park the task in `input_required` until `tasks/update` answers them,
 * and what it returns or throws becomes the task's outcome. The request itself is answered with
 * the flat `CreateTaskResult` as soon as the task is stored.
 */
import { ErrorCode } from '../../../jsonrpc/error-code.js';
import { ProtocolError } from '../../../jsonrpc/errors.js';
import type { JsonObject } from '../../../jsonrpc/message.js';
import type { Logger } from '../../../log.js';
import type { Exchange } from '../../exchange.js';
import type { InputRequest } from '../../input.js';
import type { Task, TaskStore } from './store.js';

class TaskCallExchange implements Exchange {
  readonly #base: Exchange;
  readonly #store: TaskStore;
  #task: Task | undefined;
  #started: ((task: Task) => void) | undefined;
  /** Resolves with the task once the handler (or the server) has turned the call into one. */
  readonly started: Promise<Task>;

  constructor(base: Exchange, store: TaskStore) {
    this.#base = base;
    this.#store = store;
    this.started = new Promise((resolve) => {
      this.#started = resolve;
    });
  }

  get era() {
    return this.#base.era;
  }
  get id() {
    return this.#base.id;
  }
  get method() {
    return this.#base.method;
  }
  get protocolVersion() {
    return this.#base.protocolVersion;
  }
  get clientCapabilities() {
    return this.#base.clientCapabilities;
  }
  get clientInfo() {
    return this.#base.clientInfo;
  }
  get answers() {
    return this.#base.answers;
  }
  get auth() {
    return this.#base.auth;
  }
  /** The request's signal until the call is a task, then the task's (aborted by `tasks/cancel`). */
  get signal() {
    return this.#task?.signal ?? this.#base.signal;
  }
  /** Progress and log notifications belong to the request's stream, which ends with the task's creation. */
  get logLevel() {
    return this.#task === undefined ? this.#base.logLevel : undefined;
  }
  get progressToken() {
    return this.#task === undefined ? this.#base.progressToken : undefined;
  }

  notify(method: string, params: JsonObject): Promise<void> {
    return this.#task === undefined ? this.#base.notify(method, params) : Promise.resolve();
  }

  request(method: string, params: JsonObject | undefined): Promise<JsonObject> {
    return this.#base.request(method, params);
  }

  get awaitInput() {
    const task = this.#task;
    if (task === undefined) return undefined;
    return (requests: ReadonlyMap<string, InputRequest>) => task.input(requests);
  }

  readonly continueAsTask = (): Promise<boolean> => {
    this.start();
    return Promise.resolve(true);
  };

  /** Creates and stores the task (once). */
  start(): Task {
    if (this.#task === undefined) {
      this.#task = this.#store.create(this.#base.auth?.token.subject);
      this.#started?.(this.#task);
    }
    return this.#task;
  }
}

/** The JSON-RPC error a failed task reports; unexpected errors are logged and reported generically. */
function taskError(error: unknown, logger: Logger): JsonObject {
  if (error instanceof ProtocolError) return error.toJSON();
  logger.error('task failed', {
    error: error instanceof Error ? error.message : String(error),
    stack: error instanceof Error ? error.stack : undefined,
  });
  return { code: ErrorCode.InternalError, message: 'Internal error' };
}

/**
 * Runs `invoke` as a task. With `deferred`, the task is created only when the handler calls
 * `continueAsTask()`: questions asked before that are input-required rounds of the call itself,
 * and a handler that returns without calling it answers the call directly.
 */
export async function callAsTask(
  store: TaskStore,
  base: Exchange,
  deferred: boolean,
  logger: Logger,
  invoke: (exchange: Exchange) => Promise<JsonObject>,
): Promise<JsonObject> {
  const exchange = new TaskCallExchange(base, store);
  const settle = async (task: Task, outcome: Promise<JsonObject>): Promise<JsonObject> => {
    void outcome.then(
      (result) => task.complete(result),
      (error: unknown) => task.fail(taskError(error, logger)),
    );
    const created = { ...task.describe(), resultType: 'task' };
    await store.published(task);
    return created;
  };
  if (!deferred) {
    const task = exchange.start();
    return settle(task, invoke(exchange));
  }
  const outcome = invoke(exchange);
  const first = await Promise.race([
    exchange.started.then((task) => ({ task })),
    outcome.then(
      (result) => ({ result }),
      (error: unknown) => ({ error }),
    ),
  ]);
  if ('task' in first) return settle(first.task, outcome);
  if ('error' in first) throw first.error;
  return first.result;
}
