/**
 * @module
 * The hosted run's figures as Markdown tables, as bench/README.md quotes them.
 */
import type { HostedRecord } from './run.js';
import type { Fates } from './tally.js';

const count = (n: number): string => n.toLocaleString('en-US');
const ms = (n: number): string => (Number.isFinite(n) ? `${n.toFixed(1)} ms` : '–');

function counts(title: string, values: Fates): string[] {
  const entries = Object.entries(values).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) return [`| ${title} | none |`];
  return entries.map(
    ([what, n], index) => `| ${index === 0 ? title : ''} | ${what}: ${count(n)} |`,
  );
}

export function renderHosted(record: HostedRecord): string {
  const { figures, plan } = record;
  const phase = (name: 'before' | 'after'): string => {
    const p = figures.phases[name];
    return `| ${name} the kill | ${count(p.requests)} | ${count(p.errors)} | ${ms(p.p50Ms)} | ${ms(p.p99Ms)} |`;
  };
  return [
    `${count(figures.requests)} requests in ${(record.elapsedMs / 1000).toFixed(1)} s: ` +
      `${plan.sessions} sessions (2025-11-25, ${Math.ceil(plan.sessions / plan.streamEvery)} holding a GET stream), ` +
      `${plan.stateless} stateless clients and ${plan.taskClients} task clients (2026-07-28); ` +
      `instance ${record.killed.instance + 1} of 3 killed with SIGKILL ${(record.killed.afterMs / 1000).toFixed(1)} s in.`,
    '',
    '| phase | requests | errors | p50 | p99 |',
    '|---|---:|---:|---:|---:|',
    phase('before'),
    phase('after'),
    '',
    '| what | counts |',
    '|---|---|',
    ...counts('requests by client', figures.byKind),
    ...counts('retries (allowed by the spec)', figures.retries),
    ...counts('errors', figures.errors),
    ...counts('sessions', figures.sessions),
    ...counts('GET streams', figures.streams),
    ...counts('tasks', figures.tasks),
  ].join('\n');
}
