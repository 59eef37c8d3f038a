/**
 * @module
 * The event-loop delay inside a server while one heavy call runs, read from the probe
 * (`preload/loop-delay.ts`) the harness loads into every Node server that has calls with pings.
 * `start` signals the probe to start afresh and waits until it has; `read`, once the call is
 * answered, signals again and returns what the probe saw since. Only a process whose probe has
 * announced itself (written its file) is ever signalled: SIGUSR2 ends one that has no handler.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

export interface LoopDelay {
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

const POLL_MS = 2;
/** How long an idle server has to answer the signal before a call. */
const START_WAIT_MS = 2000;
/** How long a server that just answered has to answer it after (its loop may still be busy). */
const READ_WAIT_MS = 10_000;

const PROBE = fileURLToPath(new URL('./preload/loop-delay.js', import.meta.url));

/** One server instance's probe: where it writes, and the last sequence number read. */
export class LoopDelayProbe {
  readonly #dir = mkdtempSync(join(tmpdir(), 'plugboard-bench-loop-'));
  readonly #file = join(this.#dir, 'delay.json');
  #seq = 0;

  /** The environment that loads the probe, added to `nodeOptions` (a server's own preloads). */
  env(nodeOptions: string | undefined): Record<string, string> {
    return {
      NODE_OPTIONS: [nodeOptions, `--import=${PROBE}`].filter(Boolean).join(' '),
      BENCH_LOOP_DELAY_FILE: this.#file,
    };
  }

  /** Starts a fresh histogram; false when the server has no probe (nothing is read then). */
  async start(pid: number): Promise<boolean> {
    return this.#figures() !== undefined && (await this.#signal(pid, START_WAIT_MS)) !== undefined;
  }

  /** The delay since a successful {@link start}; undefined when the server did not answer in time. */
  async read(pid: number): Promise<LoopDelay | undefined> {
    return this.#signal(pid, READ_WAIT_MS);
  }

  dispose(): void {
    rmSync(this.#dir, { recursive: true, force: true });
  }

  async #signal(pid: number, waitMs: number): Promise<LoopDelay | undefined> {
    try {
      process.kill(pid, 'SIGUSR2');
    } catch {
      return undefined;
    }
    const until = performance.now() + waitMs;
    while (performance.now() < until) {
      const figures = this.#figures();
      if (figures !== undefined && figures.seq > this.#seq) {
        this.#seq = figures.seq;
        return { p50Ms: figures.p50Ms, p99Ms: figures.p99Ms, maxMs: figures.maxMs };
      }
      await sleep(POLL_MS);
    }
    return undefined;
  }

  #figures(): (LoopDelay & { seq: number }) | undefined {
    try {
      return JSON.parse(readFileSync(this.#file, 'utf8')) as LoopDelay & { seq: number };
    } catch {
      return undefined;
    }
  }
}
