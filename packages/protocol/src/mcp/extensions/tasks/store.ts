/**
 * @module
 * The server's tasks (tasks extension, SEP-2663): one {@link TaskStore} per server instance,
 * created when the first task is. Tasks are kept in memory, bounded in number and expired
 * `ttlMs` after creation; ids are random UUIDs, so knowing one is the only way to reach a task.
 * A task parks its handler's questions until `tasks/update` answers them, and aborts the
 * handler's signal on `tasks/cancel`. With a shared store ({@link SharedTasks}) every task is
 * also kept there, so the other instances answer for it and reach it.
 */
import { ErrorCode } from '../../../jsonrpc/error-code.js';
import { ProtocolError } from '../../../jsonrpc/errors.js';
import { isObject, type JsonObject } from '../../../jsonrpc/message.js';
import type { Logger } from '../../../log.js';
import type { Store } from '../../../store/store.js';
import { isValidAnswer, type InputRequest } from '../../input.js';
import { SharedTasks, type SharedTask, type TaskControl, type TaskRecord } from './shared.js';

export type TaskStatus = 'working' | 'input_required' | 'completed' | 'failed' | 'cancelled';

export interface TaskLimits {
  /** Tasks kept at once; the oldest finished one makes room, and a store full of running ones refuses. */
  maxTasks: number;
  /** How long a task stays reachable after its creation. */
  ttlMs: number;
  /** The polling interval suggested to clients. */
  pollIntervalMs: number;
  /**
   * With a shared store: how long a task's instance may go silent before the others report the
   * task failed (it renews its lease three times as often).
   */
  leaseMs: number;
}

export const DEFAULT_TASK_LIMITS: TaskLimits = {
  maxTasks: 1000,
  ttlMs: 60 * 60_000,
  pollIntervalMs: 1000,
  leaseMs: 15_000,
};

interface PendingInput {
  readonly request: InputRequest;
  resolve(answer: JsonObject): void;
  reject(error: unknown): void;
}

function isTerminal(status: TaskStatus): boolean {
  return status === 'completed' || status === 'failed' || status === 'cancelled';
}

/** One task: its status, its outcome once it has one, and the questions it is waiting on. */
export class Task implements SharedTask {
  readonly id = crypto.randomUUID();
  readonly createdAt: number;
  readonly expiresAt: number;
  #lastUpdatedAt: number;
  #status: TaskStatus = 'working';
  #statusMessage: string | undefined;
  #outcome: { result: JsonObject } | { error: JsonObject } | undefined;
  readonly #pending = new Map<string, PendingInput>();
  readonly #abort = new AbortController();
  readonly #limits: TaskLimits;
  /** The signed-in user whose call made it (`sub`); undefined without sign-in. */
  readonly owner: string | undefined;
  readonly #changed: ((task: Task) => void) | undefined;

  /** `changed`: told after every change of what `tasks/get` answers. */
  constructor(
    limits: TaskLimits,
    now: number,
    owner: string | undefined,
    changed?: (task: Task) => void,
  ) {
    this.#limits = limits;
    this.owner = owner;
    this.#changed = changed;
    this.createdAt = now;
    this.#lastUpdatedAt = now;
    this.expiresAt = now + limits.ttlMs;
  }

  get status(): TaskStatus {
    return this.#status;
  }

  /** Aborted when the task is cancelled or expires while running. */
  get signal(): AbortSignal {
    return this.#abort.signal;
  }

  get terminal(): boolean {
    return isTerminal(this.#status);
  }

  #set(status: TaskStatus): void {
    this.#status = status;
    this.#lastUpdatedAt = Math.max(Date.now(), this.#lastUpdatedAt);
    this.#changed?.(this);
  }

  /**
   * Parks the handler until every request in `requests` is answered through `tasks/update`;
   * meanwhile the task is `input_required` and lists the questions still open.
   */
  async input(requests: ReadonlyMap<string, InputRequest>): Promise<Map<string, JsonObject>> {
    if (this.terminal || this.signal.aborted) throw this.signal.reason ?? new Error('task ended');
    const waits = [...requests].map(
      ([key, request]) =>
        new Promise<[string, JsonObject]>((resolve, reject) => {
          this.#pending.get(key)?.reject(new Error(`input ${key} was asked again`));
          this.#pending.set(key, {
            request,
            resolve: (answer) => resolve([key, answer]),
            reject,
          });
        }),
    );
    this.#set('input_required');
    return new Map(await Promise.all(waits));
  }

  /**
   * Delivers `tasks/update` answers. Unknown keys are ignored (the question may have been
   * settled already); an answer of the wrong shape is refused before anything is delivered.
   */
  answer(responses: JsonObject): void {
    const accepted: [PendingInput, JsonObject][] = [];
    for (const [key, answer] of Object.entries(responses)) {
      const pending = this.#pending.get(key);
      if (pending === undefined) continue;
      if (!isObject(answer) || !isValidAnswer(pending.request.method, answer)) {
        throw ProtocolError.invalidParams(
          `inputResponses["${key.slice(0, 50)}"] is not a valid ${pending.request.method} result`,
        );
      }
      accepted.push([pending, answer]);
    }
    for (const [pending, answer] of accepted) {
      for (const [key, candidate] of this.#pending)
        if (candidate === pending) this.#pending.delete(key);
      pending.resolve(answer);
    }
    if (accepted.length === 0) return;
    if (this.#status === 'input_required' && this.#pending.size === 0) this.#set('working');
    else this.#changed?.(this);
  }

  /** The handler's result; a tool that reported an error still completes (`result.isError`). */
  complete(result: JsonObject): void {
    if (this.terminal) return;
    this.#outcome = { result };
    this.#set('completed');
  }

  /** A protocol-level failure: the JSON-RPC error the request would have answered with. */
  fail(error: JsonObject): void {
    if (this.terminal) return;
    this.#outcome = { error };
    this.#set('failed');
  }

  /** Stops the handler (its signal aborts, open questions reject). Idempotent; no effect once finished. */
  cancel(reason = 'The task was cancelled'): void {
    if (this.terminal) return;
    this.#set('cancelled');
    this.#halt(reason);
  }

  /** Aborts the handler's signal and rejects its open questions with `reason`. */
  #halt(reason: string): void {
    const error = new DOMException(reason, 'AbortError');
    this.#abort.abort(error);
    for (const pending of this.#pending.values()) pending.reject(error);
    this.#pending.clear();
  }

  /**
   * Ends it as failed with `message`, even if it had finished (its outcome never reached the
   * shared store, and the other instances report it failed): its handler stops, its questions
   * are withdrawn, and it answers as the others do.
   */
  lose(message: string): void {
    this.#outcome = { error: { code: ErrorCode.InternalError, message } };
    this.#statusMessage = message;
    this.#set('failed');
    this.#halt(message);
  }

  /** The task fields every task-shaped answer carries. */
  describe(): JsonObject {
    return {
      taskId: this.id,
      status: this.#status,
      ...(this.#statusMessage === undefined ? {} : { statusMessage: this.#statusMessage }),
      createdAt: new Date(this.createdAt).toISOString(),
      lastUpdatedAt: new Date(this.#lastUpdatedAt).toISOString(),
      ttlMs: this.#limits.ttlMs,
      pollIntervalMs: this.#limits.pollIntervalMs,
    };
  }

  /** `tasks/get`: the task, plus its outcome once finished or its open questions while waiting. */
  detail(): JsonObject {
    const detail = this.describe();
    if (this.#outcome !== undefined && this.#status !== 'cancelled')
      Object.assign(detail, this.#outcome);
    if (this.#status === 'input_required') {
      detail.inputRequests = Object.fromEntries(
        [...this.#pending].map(([key, pending]) => [key, { ...pending.request }]),
      );
    }
    return detail;
  }

  /** What the shared store keeps of it. */
  record(): TaskRecord {
    return { owner: this.owner, expiresAt: this.expiresAt, detail: this.detail() };
  }
}

/** Where tasks are shared with other instances: a sealed scope of the shared store. */
export interface TaskSharing {
  readonly store: Store;
  readonly logger: Logger;
}

export class TaskStore {
  readonly #tasks = new Map<string, Task>();
  readonly #limits: TaskLimits;
  readonly #shared: SharedTasks | undefined;

  /** With `sharing`, every task is also kept in the shared store, for the other instances. */
  constructor(limits: Partial<TaskLimits> = {}, sharing?: TaskSharing) {
    this.#limits = { ...DEFAULT_TASK_LIMITS, ...limits };
    this.#shared =
      sharing === undefined
        ? undefined
        : new SharedTasks(sharing.store, this.#limits.leaseMs, sharing.logger);
  }

  get size(): number {
    this.#sweep(Date.now());
    return this.#tasks.size;
  }

  /** A new `working` task, stored before it is returned: a `tasks/get` for it succeeds at once. */
  create(owner?: string): Task {
    const now = Date.now();
    this.#sweep(now);
    if (this.#tasks.size >= this.#limits.maxTasks) {
      // Insertion order is creation order: the first finished task found is the oldest.
      const oldest = [...this.#tasks.values()].find((task) => task.terminal);
      if (oldest === undefined) {
        throw new ProtocolError(
          ErrorCode.InternalError,
          `Too many tasks in progress (${this.#limits.maxTasks}); try again later`,
        );
      }
      this.#tasks.delete(oldest.id);
    }
    const shared = this.#shared;
    const task = new Task(
      this.#limits,
      now,
      owner,
      shared === undefined ? undefined : (changed) => shared.changed(changed),
    );
    this.#tasks.set(task.id, task);
    return task;
  }

  /**
   * Resolves once the other instances can find `task` and reach it (at once without a shared
   * store): the call that created it is answered only then.
   */
  async published(task: Task): Promise<void> {
    await this.#shared?.track(task, (message) => {
      try {
        if ('cancel' in message) task.cancel();
        else task.answer(message.answer);
      } catch {
        // An answer of the wrong shape: refused where it was sent, nothing to do here.
      }
    });
  }

  get(id: string): Task | undefined {
    this.#sweep(Date.now());
    return this.#tasks.get(id);
  }

  /**
   * The task, when it runs here; with a shared store, otherwise the record of the one run by
   * another instance. Throws a `StoreError` when the store cannot be reached.
   */
  async find(id: string): Promise<Task | TaskRecord | undefined> {
    return this.get(id) ?? this.#shared?.find(id);
  }

  /** Asks the instance running another instance's task to do `message`. */
  async control(id: string, message: TaskControl): Promise<void> {
    await this.#shared?.control(id, message);
  }

  /** Stops every running task, as when the server shuts down. */
  cancelAll(reason = 'The server is shutting down'): void {
    for (const task of this.#tasks.values()) task.cancel(reason);
  }

  /** Forgets expired tasks, stopping the ones still running. */
  #sweep(now: number): void {
    for (const task of this.#tasks.values()) {
      if (task.expiresAt > now) continue;
      task.cancel('The task expired');
      this.#tasks.delete(task.id);
    }
  }
}
