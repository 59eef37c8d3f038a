/**
 * @module
 * Database health and workload: connection use, cache hit rates, vacuum state and transaction-ID
 * age, bloat estimated from dead tuples, unused, duplicate and invalid indexes, and the most
 * expensive statements from pg_stat_statements when that extension is installed.
 */
import { structured, ToolError } from '@plugboard/protocol';
import { z } from 'zod';
import { defineTool } from '../context.js';
import type { Transaction } from '../executor.js';
import { formatBytes, qualifiedName, quoteIdent } from '../render.js';
import { escapeControls } from '../values.js';

const READ_ONLY = {
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: false,
} as const;

const CHECKS = ['connections', 'cache', 'vacuum', 'bloat', 'indexes'] as const;
type CheckName = (typeof CHECKS)[number];
type Status = 'ok' | 'warning' | 'critical';

const checkResult = z.object({
  name: z.enum(CHECKS),
  status: z.enum(['ok', 'warning', 'critical']),
  summary: z.string(),
  findings: z.array(z.string()).describe('Objects or facts behind the status, worst first'),
});

type CheckResult = z.infer<typeof checkResult>;

const FINDINGS = 10;

function worst(...statuses: Status[]): Status {
  if (statuses.includes('critical')) return 'critical';
  return statuses.includes('warning') ? 'warning' : 'ok';
}

async function connections(tx: Transaction): Promise<CheckResult> {
  const [row] = await tx.query<{
    max: number;
    total: number;
    active: number;
    idle_in_transaction: number;
    longest_seconds: number;
  }>(`SELECT current_setting('max_connections')::int AS max, count(*)::int AS total,
        count(*) FILTER (WHERE state = 'active')::int AS active,
        count(*) FILTER (WHERE state LIKE 'idle in transaction%')::int AS idle_in_transaction,
        coalesce(extract(epoch FROM max(now() - xact_start) FILTER (WHERE state <> 'idle' AND pid <> pg_backend_pid())), 0)::float8 AS longest_seconds
      FROM pg_catalog.pg_stat_activity WHERE backend_type = 'client backend'`);
  if (row === undefined)
    return { name: 'connections', status: 'ok', summary: 'No data.', findings: [] };
  const use = row.total / row.max;
  const findings: string[] = [];
  if (row.idle_in_transaction > 0) {
    findings.push(
      `${row.idle_in_transaction} session(s) idle in a transaction (they hold locks and block vacuum)`,
    );
  }
  if (row.longest_seconds > 300) {
    findings.push(
      `the oldest open transaction has run for ${Math.round(row.longest_seconds / 60)} minutes`,
    );
  }
  return {
    name: 'connections',
    status: worst(
      use > 0.9 ? 'critical' : use > 0.75 ? 'warning' : 'ok',
      findings.length > 0 ? 'warning' : 'ok',
    ),
    summary: `${row.total} of ${row.max} connections in use (${Math.round(use * 100)}%), ${row.active} active.`,
    findings,
  };
}

async function cache(tx: Transaction): Promise<CheckResult> {
  const [row] = await tx.query<{ tables: number | null; indexes: number | null }>(
    `SELECT sum(heap_blks_hit)::float8 / nullif(sum(heap_blks_hit) + sum(heap_blks_read), 0) AS tables,
       sum(idx_blks_hit)::float8 / nullif(sum(idx_blks_hit) + sum(idx_blks_read), 0) AS indexes
     FROM pg_catalog.pg_statio_user_tables`,
  );
  const rate = (value: number | null | undefined): string =>
    value === null || value === undefined ? 'no reads yet' : `${(value * 100).toFixed(2)}%`;
  const grade = (value: number | null | undefined): Status =>
    value === null || value === undefined
      ? 'ok'
      : value < 0.9
        ? 'critical'
        : value < 0.99
          ? 'warning'
          : 'ok';
  const status = worst(grade(row?.tables), grade(row?.indexes));
  return {
    name: 'cache',
    status,
    summary: `Buffer cache hit rate: tables ${rate(row?.tables)}, indexes ${rate(row?.indexes)}.`,
    findings:
      status === 'ok'
        ? []
        : [
            'below 99% usually means shared_buffers is small for the working set, or queries scan large tables',
          ],
  };
}

async function vacuum(tx: Transaction): Promise<CheckResult> {
  const [age] = await tx.query<{ xid_age: number; freeze_max: number }>(
    `SELECT age(datfrozenxid)::bigint AS xid_age, current_setting('autovacuum_freeze_max_age')::bigint AS freeze_max
       FROM pg_catalog.pg_database WHERE datname = current_database()`,
  );
  const stale = await tx.query<{ schema: string; name: string; rows: number; last: string | null }>(
    `SELECT schemaname AS schema, relname AS name, n_live_tup AS rows,
        greatest(last_vacuum, last_autovacuum)::text AS last
       FROM pg_catalog.pg_stat_user_tables
       WHERE n_live_tup > 1000 AND coalesce(last_analyze, last_autoanalyze) IS NULL
       ORDER BY n_live_tup DESC LIMIT ${FINDINGS}`,
  );
  const ratio = age === undefined ? 0 : age.xid_age / age.freeze_max;
  const findings = stale.map(
    (table) =>
      `${qualifiedName(table.schema, table.name)}: ~${table.rows} rows, never analyzed (the planner guesses)`,
  );
  return {
    name: 'vacuum',
    status: worst(
      ratio > 0.9 ? 'critical' : ratio > 0.5 ? 'warning' : 'ok',
      findings.length > 0 ? 'warning' : 'ok',
    ),
    summary:
      age === undefined
        ? 'No data.'
        : `Transaction ID age ${age.xid_age} (${Math.round(ratio * 100)}% of autovacuum_freeze_max_age ${age.freeze_max}).`,
    findings,
  };
}

async function bloat(tx: Transaction): Promise<CheckResult> {
  const rows = await tx.query<{
    schema: string;
    name: string;
    dead: number;
    live: number;
    bytes: number;
  }>(
    `SELECT schemaname AS schema, relname AS name, n_dead_tup AS dead, n_live_tup AS live,
        pg_catalog.pg_total_relation_size(relid) AS bytes
       FROM pg_catalog.pg_stat_user_tables
       WHERE n_dead_tup > 1000 AND n_dead_tup > 0.2 * (n_live_tup + n_dead_tup)
       ORDER BY n_dead_tup DESC LIMIT ${FINDINGS}`,
  );
  return {
    name: 'bloat',
    status: rows.length > 0 ? 'warning' : 'ok',
    summary:
      rows.length > 0
        ? `${rows.length} table(s) with more than 20% dead rows (estimated from dead tuples).`
        : 'No table has more than 20% dead rows (estimated from dead tuples).',
    findings: rows.map(
      (row) =>
        `${qualifiedName(row.schema, row.name)}: ${row.dead} dead of ${row.dead + row.live} rows (${Math.round((100 * row.dead) / (row.dead + row.live))}%), ${formatBytes(row.bytes)}`,
    ),
  };
}

async function indexes(tx: Transaction): Promise<CheckResult> {
  const unused = await tx.query<{ schema: string; table: string; name: string; bytes: number }>(
    `SELECT s.schemaname AS schema, s.relname AS table, s.indexrelname AS name,
        pg_catalog.pg_relation_size(s.indexrelid) AS bytes
       FROM pg_catalog.pg_stat_user_indexes s JOIN pg_catalog.pg_index i ON i.indexrelid = s.indexrelid
       WHERE s.idx_scan = 0 AND NOT i.indisunique AND NOT i.indisprimary
       ORDER BY bytes DESC, 1, 2, 3 LIMIT ${FINDINGS}`,
  );
  const duplicates = await tx.query<{ schema: string; table: string; indexes: string[] }>(
    `SELECT n.nspname AS schema, c.relname AS table, json_agg(ic.relname ORDER BY ic.relname) AS indexes
       FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
       JOIN pg_catalog.pg_class c ON c.oid = i.indrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%'
       GROUP BY n.nspname, c.relname, i.indrelid, i.indkey::text, i.indclass::text, i.indcollation::text,
         coalesce(pg_catalog.pg_get_expr(i.indexprs, i.indrelid), ''), coalesce(pg_catalog.pg_get_expr(i.indpred, i.indrelid), '')
       HAVING count(*) > 1 ORDER BY 1, 2 LIMIT ${FINDINGS}`,
  );
  const invalid = await tx.query<{ schema: string; name: string }>(
    `SELECT n.nspname AS schema, ic.relname AS name FROM pg_catalog.pg_index i
       JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid JOIN pg_catalog.pg_namespace n ON n.oid = ic.relnamespace
       WHERE NOT i.indisvalid ORDER BY 1, 2 LIMIT ${FINDINGS}`,
  );
  const findings = [
    ...invalid.map(
      (index) =>
        `invalid index ${qualifiedName(index.schema, index.name)} (a failed CREATE INDEX CONCURRENTLY; drop and rebuild it)`,
    ),
    ...duplicates.map(
      (group) =>
        `duplicate indexes on ${qualifiedName(group.schema, group.table)}: ${group.indexes.map(escapeControls).join(', ')} (keep one)`,
    ),
    ...unused.map(
      (index) =>
        `unused index ${qualifiedName(index.schema, index.name)} on ${escapeControls(index.table)} (${formatBytes(index.bytes)}, no scans since statistics were reset)`,
    ),
  ];
  const bigUnused = unused.some((index) => index.bytes > 1024 * 1024);
  return {
    name: 'indexes',
    status: invalid.length > 0 || duplicates.length > 0 || bigUnused ? 'warning' : 'ok',
    summary: `${invalid.length} invalid, ${duplicates.length} duplicate group(s), ${unused.length} unused non-unique index(es).`,
    findings,
  };
}

const RUNNERS: Readonly<Record<CheckName, (tx: Transaction) => Promise<CheckResult>>> = {
  connections,
  cache,
  vacuum,
  bloat,
  indexes,
};

export const checkDatabaseHealth = defineTool({
  name: 'check_database_health',
  title: 'Check database health',
  description:
    'Check the health of the database: connection use, buffer cache hit rates, vacuum state and transaction-ID age, bloat (dead rows), and unused, duplicate or invalid indexes. Each check reports ok, warning or critical with the objects behind it.',
  input: z.object({
    checks: z
      .array(z.enum(CHECKS))
      .min(1)
      .optional()
      .describe('Checks to run; omit for all of them'),
  }),
  output: z.object({ checks: z.array(checkResult) }),
  annotations: READ_ONLY,
  async run({ checks }, ctx) {
    const selected = checks === undefined ? [...CHECKS] : [...new Set(checks)];
    const results = await ctx.executor.run(
      { mode: 'read-only', end: 'rollback', signal: ctx.signal },
      async (tx) => {
        const out: CheckResult[] = [];
        for (const name of selected) {
          out.push(await RUNNERS[name](tx));
          await ctx.progress(out.length, selected.length, `${name} checked`);
        }
        return out;
      },
    );
    const text = results.flatMap((check) => [
      `${check.name}: ${check.status.toUpperCase()} ${check.summary}`,
      ...check.findings.map((finding) => `  - ${finding}`),
    ]);
    return structured({ checks: results }, text.join('\n'));
  },
});

const SORT_COLUMNS = {
  total_time: 'total_ms',
  mean_time: 'mean_ms',
  calls: 'calls',
  rows: 'rows',
  io: 'shared_blocks_read',
} as const;

const topQuery = z.object({
  query: z.string(),
  calls: z.number(),
  total_ms: z.number(),
  mean_ms: z.number(),
  rows: z.number(),
  shared_blocks_hit: z.number(),
  shared_blocks_read: z.number(),
});

export const listTopQueries = defineTool({
  name: 'list_top_queries',
  title: 'List the most expensive queries',
  description:
    'List the statements that cost the most in this database, from pg_stat_statements: calls, total and mean execution time, rows, and buffer hits and reads. Needs the pg_stat_statements extension; says how to enable it when missing.',
  input: z.object({
    sortBy: z
      .enum(['total_time', 'mean_time', 'calls', 'rows', 'io'])
      .default('total_time')
      .describe('Rank by total time, mean time per call, calls, rows, or blocks read from disk'),
    limit: z.number().int().min(1).max(50).default(10).describe('Statements to return'),
  }),
  output: z.object({ sortBy: z.string(), queries: z.array(topQuery) }),
  annotations: READ_ONLY,
  async run({ sortBy, limit }, { executor, signal }) {
    const queries = await executor.run(
      { mode: 'read-only', end: 'rollback', signal },
      async (tx) => {
        const [extension] = await tx.query<{ schema: string; version_num: number }>(
          `SELECT n.nspname AS schema, current_setting('server_version_num')::int AS version_num
           FROM pg_catalog.pg_extension e JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace
           WHERE e.extname = 'pg_stat_statements'`,
        );
        if (extension === undefined) {
          throw new ToolError(
            'pg_stat_statements is not installed in this database. The operator can enable it: add pg_stat_statements to shared_preload_libraries, restart PostgreSQL, and run CREATE EXTENSION pg_stat_statements.',
          );
        }
        const time = extension.version_num >= 130000 ? 'exec_time' : 'time';
        return tx.query<z.infer<typeof topQuery>>(
          `SELECT left(query, 1000) AS query, calls, total_${time}::float8 AS total_ms, mean_${time}::float8 AS mean_ms,
            rows, shared_blks_hit AS shared_blocks_hit, shared_blks_read AS shared_blocks_read
           FROM ${quoteIdent(extension.schema)}.pg_stat_statements
           WHERE dbid = (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database())
           ORDER BY ${SORT_COLUMNS[sortBy]} DESC LIMIT $1`,
          [limit],
        );
      },
    );
    const text = queries.map(
      (q, index) =>
        `${index + 1}. ${q.calls} calls, ${q.total_ms.toFixed(1)} ms total, ${q.mean_ms.toFixed(2)} ms mean, ${q.rows} rows, ${q.shared_blocks_read} blocks read: ${escapeControls(q.query)}`,
    );
    return structured({ sortBy, queries }, text.join('\n') || 'No statements recorded yet.');
  },
});
