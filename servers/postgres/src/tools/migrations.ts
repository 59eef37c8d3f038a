/**
 * @module
 * Named migrations, as Supabase's and Neon's servers keep them: `apply_migration` runs a script's
 * statements in one transaction and records the migration in a table the server owns
 * (`mcp_migrations.schema_migrations`, created on first use), all or nothing; a dry run shows what
 * each statement would do and rolls back. `list_migrations` reads that table. A name is applied
 * once. Applying needs --allow-write and --allow-ddl, since migrations change the schema.
 */
import { structured, ToolError } from '@plugboard/protocol';
import { z } from 'zod';
import { defineTool, WRITE_ANNOTATIONS, READ_ONLY_ANNOTATIONS } from '../context.js';
import type { Transaction } from '../executor.js';
import { renderRows } from '../render.js';
import { splitStatements } from '../sql-lexer.js';
import {
  refuseTransactionControl,
  renderStatements,
  runStatements,
  statementResult,
  statementResultSchema,
} from '../statement-batch.js';
import { escapeControls } from '../values.js';

export const MIGRATIONS_TABLE = 'mcp_migrations.schema_migrations';
const MAX_STATEMENTS = 1000;

/** Migrations applied by different calls at once take turns on this transaction-level lock. */
const LOCK_SQL = "SELECT pg_advisory_xact_lock(hashtext('mcp_migrations'))";

async function ensureTable(tx: Transaction): Promise<void> {
  await tx.query('CREATE SCHEMA IF NOT EXISTS mcp_migrations');
  await tx.query(`CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (
    name text PRIMARY KEY,
    statements text[] NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now(),
    applied_by text NOT NULL DEFAULT current_user)`);
}

const migrationSchema = z.object({
  name: z.string().describe('The name it was applied under'),
  appliedAt: z.string().describe('When it was committed (ISO 8601)'),
  appliedBy: z.string().describe('The database role that applied it'),
  statements: z.number().int().describe('How many statements it had'),
});

export const applyMigration = defineTool({
  name: 'apply_migration',
  title: 'Apply a named schema migration',
  description:
    'Apply a migration: a SQL script (several statements are fine, no BEGIN/COMMIT) run in one transaction and recorded under its name, so list_migrations shows it and it is never applied twice. All or nothing: a failure names the statement and nothing is committed; dryRun: true shows what each statement would do and rolls back.',
  input: z.object({
    name: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/)
      .describe('Migration name, e.g. 20250101_add_orders (letters, digits, _ . -; up to 100)'),
    query: z.string().min(1).describe('The SQL script of the migration'),
    dryRun: z
      .boolean()
      .default(false)
      .describe('Run the migration, report each statement, and roll back instead of committing'),
  }),
  output: z.object({
    name: z.string().describe('The migration name'),
    statements: z.array(statementResultSchema).describe('One result per statement, in order'),
    committed: z.boolean().describe('Whether it was applied and recorded'),
  }),
  requires: ['allowWrite', 'allowDdl'],
  annotations: WRITE_ANNOTATIONS,
  auditTarget: ['name'],
  approval: {
    class: 'ddl',
    when: ({ dryRun }) => !dryRun,
    summary: ({ name, query }) => `Apply the migration ${name} and commit it:\n\n${query}`,
  },
  async run({ name, query, dryRun }, deps) {
    if (!deps.config.allowWrite || !deps.config.allowDdl) {
      throw new ToolError(
        'Migrations change the schema; they need the operator to start the server with --allow-write --allow-ddl.',
      );
    }
    const statements = splitStatements(query);
    if (statements.length === 0) throw new ToolError('The migration has no statements.');
    if (statements.length > MAX_STATEMENTS) {
      throw new ToolError(
        `The migration has ${statements.length} statements; at most ${MAX_STATEMENTS} fit one call. Split it into several migrations.`,
      );
    }
    refuseTransactionControl(statements);
    const results = await deps.executor.run(
      { mode: 'read-write', end: dryRun ? 'rollback' : 'commit', signal: deps.signal },
      async (tx) => {
        await ensureTable(tx);
        await tx.query(LOCK_SQL);
        const [applied] = await tx.query<{ at: string }>(
          `SELECT applied_at::text AS at FROM ${MIGRATIONS_TABLE} WHERE name = $1`,
          [name],
        );
        if (applied !== undefined) {
          throw new ToolError(
            `Migration "${name}" was already applied (${applied.at}); nothing ran. Give a new migration a new name; list_migrations shows the applied ones.`,
          );
        }
        const done = await runStatements(tx, statements, deps.config.limits);
        await tx.restoreLimits();
        await tx.query(`INSERT INTO ${MIGRATIONS_TABLE} (name, statements) VALUES ($1, $2)`, [
          name,
          statements,
        ]);
        return done;
      },
    );
    const outcome = dryRun
      ? `Dry run of "${name}": rolled back, nothing changed or recorded.`
      : `Applied and recorded migration "${name}" (${results.length} statement(s)).`;
    return structured(
      { name, statements: results.map(statementResult), committed: !dryRun },
      `${renderStatements(results, renderRows)}\n${outcome}`,
    );
  },
});

export const listMigrations = defineTool({
  name: 'list_migrations',
  title: 'List applied migrations',
  description:
    'List the migrations applied through apply_migration, oldest first, with when and by whom. Empty when none has been applied.',
  input: z.object({}),
  output: z.object({
    migrations: z.array(migrationSchema).describe('Applied migrations, oldest first'),
  }),
  annotations: READ_ONLY_ANNOTATIONS,
  async run(_input, { executor, signal }) {
    const rows = await executor.run({ mode: 'read-only', end: 'rollback', signal }, async (tx) => {
      const [exists] = await tx.query<{ present: boolean }>(
        `SELECT to_regclass('${MIGRATIONS_TABLE}') IS NOT NULL AS present`,
      );
      if (exists?.present !== true) return [];
      return tx.query<{ name: string; at: string; by: string; count: number }>(
        `SELECT name, to_char(applied_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at,
           applied_by AS by, cardinality(statements) AS count
         FROM ${MIGRATIONS_TABLE} ORDER BY applied_at, name`,
      );
    });
    const migrations = rows.map((row) => ({
      name: row.name,
      appliedAt: row.at,
      appliedBy: row.by,
      statements: row.count,
    }));
    const text =
      migrations.length === 0
        ? 'No migrations applied yet.'
        : migrations
            .map(
              (migration) =>
                `${escapeControls(migration.name)}\t${migration.appliedAt}\t${escapeControls(migration.appliedBy)}\t${migration.statements} statement(s)`,
            )
            .join('\n');
    return structured({ migrations }, text);
  },
});
