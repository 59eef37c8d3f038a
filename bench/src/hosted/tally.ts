/**
 * @module
 * What the hosted load run counts: every request with its latency, split at the kill into
 * "before" and "after" by when it was sent; retries and errors by kind; the sessions, GET
 * streams and tasks that were alive when the instance died, and what became of them.
 */
import { quantile } from '../stats.js';

export type Phase = 'before' | 'after';

/** How the sessions, streams or tasks that the kill touched came out. */
export interface Fates {
  [fate: string]: number;
}

export interface PhaseFigures {
  requests: number;
  errors: number;
  p50Ms: number;
  p99Ms: number;
}

export interface HostedFigures {
  requests: number;
  /** Requests by client kind: `session` (2025-11-25), `stateless` (2026-07-28), `task`, `stream`. */
  byKind: Record<string, number>;
  retries: Record<string, number>;
  errors: Record<string, number>;
  phases: Record<Phase, PhaseFigures>;
  sessions: Fates;
  streams: Fates;
  tasks: Fates;
  /** The first few error messages, for the report. */
  examples: string[];
}

function bump(counts: Record<string, number>, key: string, by = 1): void {
  counts[key] = (counts[key] ?? 0) + by;
}

export class Tally {
  readonly #latencies: Record<Phase, number[]> = { before: [], after: [] };
  readonly #errorsIn: Record<Phase, number> = { before: 0, after: 0 };
  readonly #byKind: Record<string, number> = {};
  readonly #retries: Record<string, number> = {};
  readonly #errors: Record<string, number> = {};
  readonly #sessions: Fates = {};
  readonly #streams: Fates = {};
  readonly #tasks: Fates = {};
  readonly #examples: string[] = [];
  #killed = false;

  /** Everything sent from now on counts as "after". */
  markKill(): void {
    this.#killed = true;
  }

  get phase(): Phase {
    return this.#killed ? 'after' : 'before';
  }

  /** One request answered (possibly after retries), sent in `phase`. */
  answered(kind: string, phase: Phase, ms: number): void {
    bump(this.#byKind, kind);
    this.#latencies[phase].push(ms);
  }

  /** One request that ended without its answer: an error of `what`, sent in `phase`. */
  failed(kind: string, phase: Phase, what: string, detail: string): void {
    bump(this.#byKind, kind);
    this.#errorsIn[phase]++;
    bump(this.#errors, `${kind}: ${what}`);
    if (this.#examples.length < 8) this.#examples.push(`${kind}: ${what}: ${detail.slice(0, 200)}`);
  }

  /** One more attempt at a request the protocol lets a client repeat. */
  retried(kind: string, why: string): void {
    bump(this.#retries, `${kind}: ${why}`);
  }

  session(fate: string): void {
    bump(this.#sessions, fate);
  }

  stream(fate: string): void {
    bump(this.#streams, fate);
  }

  task(fate: string): void {
    bump(this.#tasks, fate);
  }

  figures(): HostedFigures {
    const phase = (p: Phase): PhaseFigures => {
      const sorted = [...this.#latencies[p]].sort((a, b) => a - b);
      return {
        requests: sorted.length + this.#errorsIn[p],
        errors: this.#errorsIn[p],
        p50Ms: quantile(sorted, 0.5),
        p99Ms: quantile(sorted, 0.99),
      };
    };
    const phases = { before: phase('before'), after: phase('after') };
    return {
      requests: phases.before.requests + phases.after.requests,
      byKind: { ...this.#byKind },
      retries: { ...this.#retries },
      errors: { ...this.#errors },
      phases,
      sessions: { ...this.#sessions },
      streams: { ...this.#streams },
      tasks: { ...this.#tasks },
      examples: [...this.#examples],
    };
  }
}
