/**
 * @module
 * Tasks in the shared store (hosted mode), so any instance answers for any task. The instance
 * running a task writes its record (what `tasks/get` answers, its owner, its expiry) at every
 * change, renews a short lease while it runs, and follows the task's control channel, on which
 * the others publish `tasks/cancel` and `tasks/update`. A record still running whose lease has
 * lapsed belongs to an instance that stopped: whoever reads it first reports it failed. Keys and
 * channels hold a SHA-256 of the task id, never the id; values are sealed by the store.
 *
 * The instance running a task agrees with that view: when it has not reached the store (neither
 * its lease nor its record) for as long as the lease, the others report the task failed, so it
 * gives the task up too (failed with the same message, its handler stopped), rather than
 * answering from memory what no other instance can see, or writing a result over the failure
 * once the store is back. A final record that could not be written is retried until then.
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
  /** Ends it as failed with `message` (even if it had finished), stopping its handler. */
  lose(message: string): void;
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
  readonly task: SharedTask;
  /** Where its record, lease and channel are kept. */
  readonly key: string;
  /** The record writes, in order. */
  writes: Promise<void>;
  readonly unsubscribe: Promise<Unsubscribe | undefined>;
  /** When the store last took its lease: the others see it alive until then plus the lease. */
  leasedAt: number;
  /** Its latest record has not reached the store yet. */
  unsaved: boolean;
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
    const unsubscribe = this.#subscribe(key, control);
    const running: Running = {
      task,
      key,
      writes: Promise.resolve(),
      unsubscribe,
      leasedAt: Date.now(),
      unsaved: true,
    };
    this.#running.set(task.id, running);
    if (this.#heartbeat === undefined) {
      this.#heartbeat = setInterval(() => void this.#renew(), this.#leaseMs / 3);
      // Node: the heartbeat alone does not keep the process alive.
      (this.#heartbeat as unknown as { unref?: () => void }).unref?.();
    }
    if (await this.#attempt('lease a task', () => this.#lease(key))) running.leasedAt = Date.now();
    this.changed(task);
    await Promise.all([unsubscribe, running.writes]);
  }

  /**
   * Writes the task's record as it is now; once it has ended and that record is in the store,
   * stops its lease and channel (a final record that could not be written is retried).
   */
  changed(task: SharedTask): void {
    const running = this.#running.get(task.id);
    if (running === undefined) return;
    this.#write(running);
  }

  #write(running: Running): void {
    const record = running.task.record();
    running.unsaved = true;
    const written: Promise<void> = running.writes.then(async () => {
      if (!(await this.#attempt('keep a task', () => this.#save(running.key, record)))) return;
      // A later change queued its own write, which clears this again once it lands.
      if (running.writes === written) running.unsaved = false;
      if (isTerminalStatus(record.detail.status)) this.#stop(running);
    });
    running.writes = written;
  }

  /** Follows the task's control channel; undefined (logged) when the store cannot be reached. */
  async #subscribe(
    key: string,
    control: (message: TaskControl) => void,
  ): Promise<Unsubscribe | undefined> {
    try {
      return await this.#store.subscribe(`control:${key}`, (text) => {
        const message = parse(text, isControl);
        if (message !== undefined) control(message);
      });
    } catch (error) {
      this.#logger.warn('could not follow a task in the shared store', {
        error: error instanceof Error ? error.message : String(error),
      });
      return undefined;
    }
  }

  /** Stops following and leasing a task. */
  #stop(running: Running): void {
    if (this.#running.get(running.task.id) !== running) return;
    this.#running.delete(running.task.id);
    void running.unsubscribe.then((stop) =>
      this.#attempt('stop following a task', async () => stop?.()),
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

  /**
   * Renews every lease (a finished task's too, until its last record is in) and retries records
   * that did not reach the store. A task whose lease could not be renewed and would lapse before
   * the next try is given up: the others are about to report it failed.
   */
  async #renew(): Promise<void> {
    const interval = this.#leaseMs / 3;
    await Promise.all(
      [...this.#running.values()].map(async (running) => {
        if (running.unsaved) this.#write(running);
        if (await this.#attempt('renew a task lease', () => this.#lease(running.key))) {
          running.leasedAt = Date.now();
          return;
        }
        if (Date.now() + interval < running.leasedAt + this.#leaseMs) return;
        this.#logger.warn('gave up a task: its lease in the shared store could not be renewed', {
          leaseMs: this.#leaseMs,
        });
        this.#stop(running);
        running.task.lose(STOPPED_MESSAGE);
      }),
    );
  }

  /** A write that fails is logged (false): the task runs on until its lease runs out. */
  async #attempt(what: string, write: () => Promise<unknown>): Promise<boolean> {
    try {
      await write();
      return true;
    } catch (error) {
      this.#logger.warn(`could not ${what} in the shared store`, {
        error: error instanceof Error ? error.message : String(error),
      });
      return false;
    }
  }
}
