/**
 * @module
 * One hosted load run: the clients of {@link ./clients.ts} all at once through nginx, a bounded
 * number of requests, and one instance killed with SIGKILL when half of them have been sent.
 */
import { Agent } from 'node:http';
import { performance } from 'node:perf_hooks';
import { Budget, sessionClient, statelessClient, taskClient, type LoadContext } from './clients.js';
import type { Cluster } from './cluster.js';
import { Tally, type HostedFigures } from './tally.js';

export interface HostedPlan {
  /** Requests the clients send (task polls after the last one come on top). */
  requests: number;
  /** 2025-11-25 sessions; every `streamEvery`-th also holds its GET stream. */
  sessions: number;
  streamEvery: number;
  /** 2026-07-28 clients without a session. */
  stateless: number;
  /** 2026-07-28 clients that run tasks. */
  taskClients: number;
  /** The servers' task lease (how long a dead instance's task may look alive). */
  leaseMs: number;
}

export const FULL_PLAN: HostedPlan = {
  requests: 100_000,
  sessions: 32,
  streamEvery: 4,
  stateless: 32,
  taskClients: 12,
  leaseMs: 15_000,
};

export const QUICK_PLAN: HostedPlan = { ...FULL_PLAN, requests: 10_000 };

export interface HostedRecord {
  plan: HostedPlan;
  /** Which instance was killed, and how long into the run. */
  killed: { instance: number; afterMs: number };
  elapsedMs: number;
  figures: HostedFigures;
}

export async function runHosted(
  cluster: Cluster,
  plan: HostedPlan,
  log: (line: string) => void,
): Promise<HostedRecord> {
  const tally = new Tally();
  const started = performance.now();
  const victim = 0;
  let afterMs = Number.NaN;
  let gone: () => void = () => undefined;
  const killed = new Promise<void>((resolve) => (gone = resolve));
  let killing: Promise<void> | undefined;
  const budget = new Budget(plan.requests, () => {
    afterMs = performance.now() - started;
    log(`hosted: half the requests sent; SIGKILL to instance ${victim + 1}`);
    tally.markKill();
    killing = cluster.kill(victim).then(gone);
  });
  const agent = new Agent({
    keepAlive: true,
    maxSockets: plan.sessions + plan.stateless + plan.taskClients,
  });
  const ctx: LoadContext = { port: cluster.port, agent, tally, budget, killed };
  await Promise.all([
    ...Array.from({ length: plan.sessions }, (_, i) =>
      sessionClient(ctx, i % plan.streamEvery === 0),
    ),
    ...Array.from({ length: plan.stateless }, () => statelessClient(ctx)),
    ...Array.from({ length: plan.taskClients }, (_, i) => taskClient(ctx, i, plan.leaseMs)),
  ]);
  await killing;
  agent.destroy();
  return {
    plan,
    killed: { instance: victim, afterMs },
    elapsedMs: performance.now() - started,
    figures: tally.figures(),
  };
}
