/**
 * @module
 * The embedded PostgreSQL engine: PGlite in a worker thread, one session shared by turns, and a
 * watchdog. PGlite cannot interrupt a running statement (its timers and cancel requests are inert
 * inside WebAssembly), so the engine enforces the statement timeout and cancellation itself: the
 * worker is terminated and a fresh one opens the same data directory, with everything committed
 * so far. The engine always has a directory (an "in memory" database gets a private temporary one).
 */
import { randomInt } from 'node:crypto';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Logger } from '@plugboard/protocol';
import { WORKER_SOURCE } from './worker-source.js';

/** A statement stopped by the engine; carries the SQLSTATE a server would have sent. */
export class InterruptedError extends Error {
  override readonly name = 'InterruptedError';
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

export interface EngineOptions {
  /** Data directory; it survives the restarts that stop runaway statements. */
  dataDir: string;
  statementTimeoutMs: number;
  logger: Logger;
}

/** The session, held by one connection at a time. */
export interface SessionLease {
  readonly processId: number;
  readonly secretKey: number;
  release(): void;
}

export interface EmbeddedEngine {
  /** Starts the engine if needed; resolves with the server version once it accepts statements. */
  ready(): Promise<string>;
  /** Waits for the session, then holds it until `release()`. */
  acquire(): Promise<SessionLease>;
  /** Runs frontend messages; rejects with {@link InterruptedError} when the statement is stopped. */
  exec(bytes: Uint8Array): Promise<Buffer>;
  /** A cancel request: stops the running statement if this key holds the session. */
  cancel(processId: number, secretKey: number): void;
  /** Changes each time the worker restarts (session settings must then be applied again). */
  readonly generation: number;
  close(): Promise<void>;
}

interface Pending {
  resolve(bytes: Buffer): void;
  reject(error: Error): void;
}

interface Running {
  worker: Worker;
  ready: Promise<string>;
  pending: Map<number, Pending>;
}

type WorkerReply =
  | { ready: true; serverVersion: string }
  | { ready: false; error: string }
  | { id: number; bytes: Uint8Array }
  | { id: number; error: string };

const STARTUP_TIMEOUT_MS = 180_000;
const CLOSE_GRACE_MS = 5000;
/** Time past the statement timeout before the watchdog acts, so PostgreSQL's own checks go first. */
const WATCHDOG_GRACE_MS = 250;

export function createEmbeddedEngine(options: EngineOptions): EmbeddedEngine {
  const { logger } = options;
  const moduleUrl = pathToFileURL(
    createRequire(import.meta.url).resolve('@electric-sql/pglite'),
  ).href;
  let running: Running | undefined;
  let generation = 0;
  let nextId = 1;
  let inFlight: { id: number; timer: NodeJS.Timeout } | undefined;
  let closed = false;
  let queue: Promise<unknown> = Promise.resolve();
  let holder: { processId: number; secretKey: number } | undefined;
  let nextProcessId = 1000 + randomInt(1000);
  const waiters: (() => void)[] = [];

  const start = (): Running => {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { moduleUrl, dataDir: options.dataDir },
    });
    const pending = new Map<number, Pending>();
    const ready = new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error('the embedded database did not start within 3 minutes'));
      }, STARTUP_TIMEOUT_MS);
      worker.on('message', (reply: WorkerReply) => {
        if ('ready' in reply) {
          clearTimeout(timer);
          if (reply.ready) resolve(reply.serverVersion);
          else reject(new Error(`the embedded database did not start: ${reply.error}`));
          return;
        }
        const waiting = pending.get(reply.id);
        if (waiting === undefined) return;
        pending.delete(reply.id);
        if ('bytes' in reply) waiting.resolve(Buffer.from(reply.bytes));
        else waiting.reject(new InterruptedError('XX000', `embedded database: ${reply.error}`));
      });
      worker.on('error', (error) => {
        clearTimeout(timer);
        reject(new Error(`the embedded database failed: ${error.message}`));
      });
      worker.on('exit', () => {
        clearTimeout(timer);
        reject(new Error('the embedded database stopped'));
        for (const waiting of pending.values()) {
          waiting.reject(
            new InterruptedError('57P01', 'the embedded database stopped unexpectedly'),
          );
        }
        pending.clear();
        if (running?.worker === worker) running = undefined;
      });
    });
    // Rejections surface through ready(); this only keeps an unobserved one from crashing the process.
    ready.catch(() => undefined);
    return { worker, ready, pending };
  };

  const current = (): Running => {
    if (closed) throw new Error('the embedded database is closed');
    running ??= start();
    return running;
  };

  const interrupt = (code: string, message: string): void => {
    const stuck = running;
    const call = inFlight;
    if (stuck === undefined || call === undefined) return;
    inFlight = undefined;
    clearTimeout(call.timer);
    running = undefined;
    generation++;
    stuck.pending.get(call.id)?.reject(new InterruptedError(code, message));
    stuck.pending.delete(call.id);
    void stuck.worker.terminate();
    logger.warn('embedded database restarted to stop a statement; committed data is kept', {
      reason: message,
    });
  };

  const run = async (bytes: Uint8Array): Promise<Buffer> => {
    const target = current();
    await target.ready;
    const id = nextId++;
    return new Promise<Buffer>((resolve, reject) => {
      const timer = setTimeout(
        () => interrupt('57014', 'canceling statement due to statement timeout'),
        options.statementTimeoutMs + WATCHDOG_GRACE_MS,
      );
      inFlight = { id, timer };
      const settle = (): void => {
        clearTimeout(timer);
        if (inFlight?.id === id) inFlight = undefined;
      };
      target.pending.set(id, {
        resolve: (value) => {
          settle();
          resolve(value);
        },
        reject: (error) => {
          settle();
          reject(error);
        },
      });
      target.worker.postMessage({ id, bytes: Uint8Array.from(bytes) });
    });
  };

  return {
    get generation() {
      return generation;
    },
    ready: () => current().ready,
    acquire() {
      const grant = (): SessionLease => {
        const lease = { processId: nextProcessId++, secretKey: randomInt(2 ** 31) };
        holder = lease;
        let released = false;
        return {
          ...lease,
          release() {
            if (released) return;
            released = true;
            if (holder === lease) holder = undefined;
            const next = waiters.shift();
            next?.();
          },
        };
      };
      if (holder === undefined && waiters.length === 0) return Promise.resolve(grant());
      return new Promise((resolve) => waiters.push(() => resolve(grant())));
    },
    exec(bytes) {
      // One statement at a time: the watchdog times the one the worker is running.
      const result = queue.then(() => run(bytes));
      queue = result.catch(() => undefined);
      return result;
    },
    cancel(processId, secretKey) {
      if (holder?.processId === processId && holder.secretKey === secretKey) {
        interrupt('57014', 'canceling statement due to user request');
      }
    },
    async close() {
      closed = true;
      const last = running;
      running = undefined;
      if (last === undefined) return;
      const started = await last.ready.then(
        () => true,
        () => false,
      );
      if (started) {
        // A clean shutdown, so a data directory opens next time without recovery.
        const done = new Promise<void>((resolve) => {
          last.pending.set(nextId, { resolve: () => resolve(), reject: () => resolve() });
          last.worker.postMessage({ id: nextId++, close: true });
        });
        const timer = new Promise<void>((resolve) => setTimeout(resolve, CLOSE_GRACE_MS).unref());
        await Promise.race([done, timer]);
      }
      await last.worker.terminate();
    },
  };
}
