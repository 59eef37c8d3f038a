/**
 * @module
 * Database health and workload: connection use, cache hit rates, vacuum state and transaction-ID
 * age, bloat estimated from dead tuples, unused, duplicate and invalid indexes, replication lag and
 * slots that hold WAL, sequences near their limit, constraints never validated, a security view
 * (roles that can log in, superusers, tables granted to PUBLIC without row-level security), and
 * the most expensive statements from pg_stat_statements when that extension is installed.
 */
import { structured, ToolError } from '@plugboard/protocol';
import { z } from 'zod';
import { defineTool, READ_ONLY_ANNOTATIONS } from '../context.js';
import type { Transaction } from '../executor.js';
import { formatBytes, qualifiedName, quoteIdent } from '../render.js';
import { escapeControls } from '../values.js';

const CHECKS = [
  'connections',
  'cache',
  'vacuum',
  'bloat',
  'indexes',
  'replication',
  'sequences',
  'constraints',
  'security',
] as const;
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

/** Replication lag in seconds from which a replica or standby is reported. */
const LAG_WARNING_SECONDS = 60;
const LAG_CRITICAL_SECONDS = 600;
/** WAL an inactive replication slot may hold back before it is reported. */
const SLOT_WARNING_BYTES = 1024 ** 3;

async function replication(tx: Transaction): Promise<CheckResult> {
  const [self] = await tx.query<{ standby: boolean; replay_seconds: number | null }>(
    `SELECT pg_catalog.pg_is_in_recovery() AS standby,
        extract(epoch FROM now() - pg_catalog.pg_last_xact_replay_timestamp())::float8 AS replay_seconds`,
  );
  const standby = self?.standby === true;
  // Lag and WAL positions are shown to roles with pg_monitor (or pg_read_all_stats); else null.
  const replicas = await tx.query<{ name: string; state: string | null; seconds: number | null }>(
    `SELECT coalesce(nullif(application_name, ''), client_addr::text, 'replica') AS name, state,
        extract(epoch FROM replay_lag)::float8 AS seconds
       FROM pg_catalog.pg_stat_replication ORDER BY replay_lag DESC NULLS LAST LIMIT ${FINDINGS}`,
  );
  const slots = standby
    ? []
    : await tx.query<{ name: string; kind: string; bytes: number | null }>(
        `SELECT slot_name AS name, slot_type AS kind,
            pg_catalog.pg_wal_lsn_diff(pg_catalog.pg_current_wal_lsn(), restart_lsn)::float8 AS bytes
           FROM pg_catalog.pg_replication_slots WHERE NOT active ORDER BY bytes DESC NULLS LAST LIMIT ${FINDINGS}`,
      );
  const findings: string[] = [];
  const statuses: Status[] = [];
  const lagStatus = (seconds: number | null): Status =>
    seconds === null || seconds < LAG_WARNING_SECONDS
      ? 'ok'
      : seconds < LAG_CRITICAL_SECONDS
        ? 'warning'
        : 'critical';
  if (standby && self?.replay_seconds !== null && self?.replay_seconds !== undefined) {
    statuses.push(lagStatus(self.replay_seconds));
    findings.push(
      `this server is a standby; its last replayed transaction is ${Math.round(self.replay_seconds)} s old`,
    );
  }
  for (const replica of replicas) {
    statuses.push(lagStatus(replica.seconds));
    findings.push(
      `replica ${escapeControls(replica.name)} (${replica.state ?? 'state hidden'}): replay lag ${replica.seconds === null ? 'unknown or none' : `${replica.seconds.toFixed(1)} s`}`,
    );
  }
  for (const slot of slots) {
    statuses.push((slot.bytes ?? 0) > SLOT_WARNING_BYTES ? 'warning' : 'ok');
    findings.push(
      `inactive ${slot.kind} replication slot ${escapeControls(slot.name)} holds ${formatBytes(slot.bytes)} of WAL (drop it if its consumer is gone)`,
    );
  }
  return {
    name: 'replication',
    status: worst(...statuses),
    summary: `${standby ? 'Standby' : 'Primary'}: ${replicas.length} connected replica(s), ${slots.length} inactive slot(s).`,
    findings,
  };
}

/** Share of a sequence's range in use from which it is reported, and from which it is critical. */
const SEQUENCE_WARNING = 0.75;
const SEQUENCE_CRITICAL = 0.9;

async function sequences(tx: Transaction): Promise<CheckResult> {
  // The limit is the sequence's own maximum or that of the column it feeds, whichever is lower.
  const rows = await tx.query<{ schema: string; name: string; last: number; limit: number }>(
    `SELECT schema, name, last, "limit" FROM (
       SELECT s.schemaname AS schema, s.sequencename AS name, s.last_value::float8 AS last,
         least(s.max_value::float8, coalesce(min(CASE t.typname WHEN 'int2' THEN 32767 WHEN 'int4' THEN 2147483647 END), s.max_value::float8)) AS "limit"
       FROM pg_catalog.pg_sequences s
       JOIN pg_catalog.pg_namespace n ON n.nspname = s.schemaname
       JOIN pg_catalog.pg_class c ON c.relnamespace = n.oid AND c.relname = s.sequencename
       LEFT JOIN pg_catalog.pg_depend d ON d.objid = c.oid AND d.classid = 'pg_catalog.pg_class'::regclass
         AND d.refclassid = 'pg_catalog.pg_class'::regclass AND d.deptype IN ('a', 'i')
       LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
       LEFT JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
       WHERE s.last_value IS NOT NULL AND s.increment_by > 0
       GROUP BY 1, 2, 3, s.max_value) used
     WHERE last / "limit" >= ${SEQUENCE_WARNING} ORDER BY last / "limit" DESC, 1, 2 LIMIT ${FINDINGS}`,
  );
  const share = (row: { last: number; limit: number }): number => row.last / row.limit;
  return {
    name: 'sequences',
    status: worst(
      ...rows.map((row): Status => (share(row) >= SEQUENCE_CRITICAL ? 'critical' : 'warning')),
    ),
    summary: `${rows.length} sequence(s) past ${SEQUENCE_WARNING * 100}% of their range.`,
    findings: rows.map(
      (row) =>
        `${qualifiedName(row.schema, row.name)}: at ${row.last} of ${row.limit} (${(100 * share(row)).toFixed(1)}%; widen the column to bigint before it runs out)`,
    ),
  };
}

const CONSTRAINT_KINDS: Readonly<Record<string, string>> = {
  c: 'check',
  f: 'foreign key',
  n: 'not-null',
};

async function constraints(tx: Transaction): Promise<CheckResult> {
  const rows = await tx.query<{ schema: string; table: string; name: string; kind: string }>(
    `SELECT n.nspname AS schema, c.relname AS table, k.conname AS name, k.contype::text AS kind
       FROM pg_catalog.pg_constraint k JOIN pg_catalog.pg_class c ON c.oid = k.conrelid
       JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
       WHERE NOT k.convalidated ORDER BY 1, 2, 3 LIMIT ${FINDINGS}`,
  );
  return {
    name: 'constraints',
    status: rows.length > 0 ? 'warning' : 'ok',
    summary: `${rows.length} constraint(s) never validated (added NOT VALID; existing rows unchecked). Invalid indexes are in the indexes check.`,
    findings: rows.map(
      (row) =>
        `${CONSTRAINT_KINDS[row.kind] ?? 'constraint'} ${escapeControls(row.name)} on ${qualifiedName(row.schema, row.table)} (ALTER TABLE ... VALIDATE CONSTRAINT checks the existing rows)`,
    ),
  };
}

async function security(tx: Transaction): Promise<CheckResult> {
  const roles = await tx.query<{ name: string; superuser: boolean; powers: string[] }>(
    `SELECT rolname AS name, rolsuper AS superuser,
        to_json(array_remove(ARRAY[CASE WHEN rolcreaterole THEN 'CREATEROLE' END, CASE WHEN rolcreatedb THEN 'CREATEDB' END,
          CASE WHEN rolbypassrls THEN 'BYPASSRLS' END, CASE WHEN rolreplication THEN 'REPLICATION' END], NULL)) AS powers
       FROM pg_catalog.pg_roles WHERE rolcanlogin ORDER BY rolsuper DESC, rolname`,
  );
  const open = await tx.query<{ schema: string; name: string; privileges: string[] }>(
    `SELECT n.nspname AS schema, c.relname AS name, json_agg(DISTINCT a.privilege_type ORDER BY a.privilege_type) AS privileges
       FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace,
         LATERAL pg_catalog.aclexplode(c.relacl) a
       WHERE a.grantee = 0 AND NOT c.relrowsecurity AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
         AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%'
       GROUP BY 1, 2 ORDER BY 1, 2 LIMIT ${FINDINGS}`,
  );
  const superusers = roles.filter((role) => role.superuser);
  const findings = [
    ...open.map(
      (table) =>
        `${qualifiedName(table.schema, table.name)} grants ${table.privileges.join(', ')} to PUBLIC (every role) with row-level security off`,
    ),
    ...superusers.map((role) => `superuser ${escapeControls(role.name)} can log in`),
    ...roles
      .filter((role) => !role.superuser)
      .slice(0, FINDINGS)
      .map(
        (role) =>
          `role ${escapeControls(role.name)} can log in${role.powers.length > 0 ? ` (${role.powers.join(', ')})` : ''}`,
      ),
  ];
  return {
    name: 'security',
    status: open.length > 0 ? 'warning' : 'ok',
    summary: `${roles.length} role(s) can log in, ${superusers.length} of them superuser(s); ${open.length} table(s) granted to PUBLIC without row-level security.`,
    findings,
  };
}

const RUNNERS: Readonly<Record<CheckName, (tx: Transaction) => Promise<CheckResult>>> = {
  connections,
  cache,
  vacuum,
  bloat,
  indexes,
  replication,
  sequences,
  constraints,
  security,
};

export const checkDatabaseHealth = defineTool({
  name: 'check_database_health',
  title: 'Check database health',
  description:
    'Check the health of the database: connection use, buffer cache hit rates, vacuum state and transaction-ID age, bloat (dead rows), unused, duplicate or invalid indexes, replication lag and idle slots, sequences near their limit, constraints never validated, and security (login roles, superusers, tables open to PUBLIC without row-level security). Each check reports ok, warning or critical with the objects behind it.',
  input: z.object({
    checks: z
      .array(z.enum(CHECKS))
      .min(1)
      .optional()
      .describe('Checks to run; omit for all of them'),
  }),
  output: z.object({ checks: z.array(checkResult) }),
  taskSupport: 'optional',
  annotations: READ_ONLY_ANNOTATIONS,
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
  annotations: READ_ONLY_ANNOTATIONS,
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
