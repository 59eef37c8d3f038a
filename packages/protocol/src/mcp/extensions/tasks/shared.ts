/**
 * @module
 * Tasks in the shared store (hosted mode), so any instance answers for any task. The instance
 * running a task writes its record (what `tasks/get` answers, its owner, its expiry) at every
 * change, renews a short lease while it runs, and follows the task's control channel, on which
 * the others publish `tasks/cancel` and `tasks/update`. A record still running whose lease has
 * lapsed belongs to an instance that stopped: whoever reads it first reports it failed. Keys and
 * channels hold a SHA-256 of the task id, never the id; values are sealed by the store.
 */
import { ErrorCode } from '../../../jsonrpc/error-code.js';
import { isObject, type JsonObject } from '../../../jsonrpc/message.js';
import { toBase64Url } from '../../../kit/base64url.js';
import type { Logger } from '../../../log.js';
import type { Store, Unsubscribe } from '../../../store/store.js';

/** What another instance needs to answer for a task. */
export interface TaskRecord {
  /** The signed-in user whose call made it (`sub`); undefined without sign-in. */
  readonly owner: string | undefined;
  readonly expiresAt: number;
  /** The task as `tasks/get` answers it. */
  readonly detail: JsonObject;
}

/** What one instance asks of the instance running a task. */
export type TaskControl = { cancel: true } | { answer: JsonObject };

/** A task this instance runs, as {@link SharedTasks} sees it. */
export interface SharedTask {
  readonly id: string;
  readonly terminal: boolean;
  record(): TaskRecord;
}

export const STOPPED_MESSAGE = 'The server running this task stopped before it finished';

const encoder = new TextEncoder();

async function keyOf(taskId: string): Promise<string> {
  return toBase64Url(new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(taskId))));
}

function isTerminalStatus(status: unknown): boolean {
  return status === 'completed' || status === 'failed' || status === 'cancelled';
}

function parse<T>(text: string | undefined, valid: (value: unknown) => value is T): T | undefined {
  if (text === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return valid(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

const isRecord = (value: unknown): value is TaskRecord =>
  isObject(value) && typeof value.expiresAt === 'number' && isObject(value.detail);

const isControl = (value: unknown): value is TaskControl =>
  isObject(value) && (value.cancel === true || isObject(value.answer));

interface Running {
  /** Where its record, lease and channel are kept. */
  readonly key: string;
  /** The record writes, in order. */
  writes: Promise<void>;
  readonly unsubscribe: Promise<Unsubscribe | undefined>;
}

export class SharedTasks {
  readonly #store: Store;
  readonly #leaseMs: number;
  readonly #logger: Logger;
  readonly #running = new Map<string, Running>();
  #heartbeat: ReturnType<typeof setInterval> | undefined;

  /** `store`: sealed and scoped for this server's tasks; `leaseMs`: how long a silent instance is trusted. */
  constructor(store: Store, leaseMs: number, logger: Logger) {
    this.#store = store;
    this.#leaseMs = leaseMs;
    this.#logger = logger;
  }

  /**
   * Starts sharing a task this instance runs: its lease, its record, and its control channel
   * delivered to `control`. Resolves once another instance can find it and reach it.
   */
  async track(task: SharedTask, control: (message: TaskControl) => void): Promise<void> {
    const key = await keyOf(task.id);
    const unsubscribe = this.#quietly('follow a task', () =>
      this.#store.subscribe(`control:${key}`, (text) => {
        const message = parse(text, isControl);
        if (message !== undefined) control(message);
      }),
    );
    const running: Running = { key, writes: Promise.resolve(), unsubscribe };
    this.#running.set(task.id, running);
    if (this.#heartbeat === undefined) {
      this.#heartbeat = setInterval(() => void this.#renew(), this.#leaseMs / 3);
      // Node: the heartbeat alone does not keep the process alive.
      (this.#heartbeat as unknown as { unref?: () => void }).unref?.();
    }
    await this.#quietly('lease a task', () => this.#lease(key));
    this.changed(task);
    await Promise.all([unsubscribe, running.writes]);
  }

  /** Writes the task's record as it is now; once it has ended, stops its lease and channel. */
  changed(task: SharedTask): void {
    const running = this.#running.get(task.id);
    if (running === undefined) return;
    const record = task.record();
    running.writes = running.writes.then(() =>
      this.#quietly('keep a task', () => this.#save(running.key, record)),
    );
    if (!task.terminal) return;
    this.#running.delete(task.id);
    void running.unsubscribe.then((stop) =>
      this.#quietly('stop following a task', async () => stop?.()),
    );
    if (this.#running.size === 0) {
      clearInterval(this.#heartbeat);
      this.#heartbeat = undefined;
    }
  }

  /**
   * The record of a task run anywhere; a running one whose instance stopped renewing its lease
   * is recorded (and answered) as failed. Throws a `StoreError` when the store cannot be reached.
   */
  async find(taskId: string): Promise<TaskRecord | undefined> {
    const key = await keyOf(taskId);
    const record = parse(await this.#store.get(`task:${key}`), isRecord);
    if (record === undefined || isTerminalStatus(record.detail.status)) return record;
    if ((await this.#store.get(`lease:${key}`)) !== undefined) return record;
    const now = Date.now();
    const failed: TaskRecord = {
      ...record,
      detail: {
        ...record.detail,
        status: 'failed',
        statusMessage: STOPPED_MESSAGE,
        lastUpdatedAt: new Date(now).toISOString(),
        error: { code: ErrorCode.InternalError, message: STOPPED_MESSAGE },
      },
    };
    delete (failed.detail as { inputRequests?: unknown }).inputRequests;
    await this.#save(key, failed);
    return failed;
  }

  /** Asks the instance running the task to do `message`. */
  async control(taskId: string, message: TaskControl): Promise<void> {
    await this.#store.publish(`control:${await keyOf(taskId)}`, JSON.stringify(message));
  }

  #lease(key: string): Promise<void> {
    return this.#store.set(`lease:${key}`, '1', this.#leaseMs);
  }

  async #save(key: string, record: TaskRecord): Promise<void> {
    const ttlMs = record.expiresAt - Date.now();
    if (ttlMs <= 0) return;
    await this.#store.set(`task:${key}`, JSON.stringify(record), ttlMs);
  }

  async #renew(): Promise<void> {
    await Promise.all(
      [...this.#running.values()].map(({ key }) =>
        this.#quietly('renew a task lease', () => this.#lease(key)),
      ),
    );
  }

  /** A write that fails is logged: the task runs on, and its result is still served here. */
  async #quietly<T>(what: string, write: () => Promise<T>): Promise<T | undefined> {
    try {
      return await write();
    } catch (error) {
      this.#logger.warn(`could not ${what} in the shared store`, {
        error: error instanceof Error ? error.message : String(error),
      });
      return undefined;
    }
  }
}
