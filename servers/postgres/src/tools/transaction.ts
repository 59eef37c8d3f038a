/**
 * @module
 * `run_sql_transaction` (as Neon's server names it): several statements in one read-write
 * transaction, all or nothing. Each statement goes through the extended protocol on its own, so
 * none can smuggle in a second one; statements that would end the transaction early are refused
 * before anything runs, the call's limits are set again before each statement, and schema changes
 * still need --allow-ddl (the executor's catalog check covers the whole transaction). A failure
 * names the statement and its position and rolls everything back.
 */
import { structured, ToolError } from '@plugboard/protocol';
import { z } from 'zod';
import { defineTool } from '../context.js';
import { StatementFailure } from '../errors.js';
import type { FetchedResult } from '../executor.js';
import { renderRows } from '../render.js';
import { tokens } from '../sql-lexer.js';

const MAX_STATEMENTS = 100;
/** Smallest share of the byte budget one statement's rows get. */
const MIN_SHARE_BYTES = 1024;

const TRANSACTION_CONTROL = new Set([
  'begin',
  'start',
  'commit',
  'end',
  'rollback',
  'abort',
  'savepoint',
  'release',
]);

const statementResult = z.object({
  index: z.number().int().describe('Position of the statement in sqlStatements, from 1'),
  command: z.string().optional().describe('Command tag, e.g. INSERT or UPDATE'),
  affectedRows: z.number().int().optional().describe('Rows the statement returned or changed'),
  columns: z
    .array(
      z.object({
        name: z.string().describe('Column name'),
        type: z.string().describe('PostgreSQL type name'),
      }),
    )
    .describe('Columns of the rows it returned'),
  rows: z.array(z.array(z.unknown())).describe('Rows it returned (RETURNING, SELECT)'),
  truncated: z.boolean().describe('True when it returned more rows than shown'),
});

type StatementResult = z.infer<typeof statementResult>;

/** Why a statement cannot be part of the transaction, or undefined. */
function transactionControl(sql: string): string | undefined {
  const first = tokens(sql).find((token) => token.kind === 'word');
  if (first === undefined || !TRANSACTION_CONTROL.has(first.text)) return undefined;
  if (first.text === 'start' && tokens(sql)[1]?.text !== 'transaction') return undefined;
  return first.text.toUpperCase();
}

function shape(index: number, fetched: FetchedResult): StatementResult {
  return {
    index: index + 1,
    ...(fetched.command === undefined ? {} : { command: fetched.command }),
    ...(fetched.rowCount === undefined ? {} : { affectedRows: fetched.rowCount }),
    columns: fetched.columns,
    rows: fetched.rows,
    truncated: fetched.truncated,
  };
}

export const runSqlTransaction = defineTool({
  name: 'run_sql_transaction',
  title: 'Run several SQL statements in one transaction',
  description:
    'Run several SQL statements that change data in one transaction, in order, and commit them together: all or nothing. If one fails, nothing is committed and the error names the statement and its position. Schema changes need the server to allow DDL; dryRun: true runs everything and rolls it back.',
  input: z.object({
    sqlStatements: z
      .array(z.string().min(1))
      .min(1)
      .max(MAX_STATEMENTS)
      .describe(
        'The statements, one SQL statement per entry, run in this order (no BEGIN/COMMIT: the server wraps them)',
      ),
    dryRun: z
      .boolean()
      .default(false)
      .describe('Run every statement, report their effects, and roll back instead of committing'),
  }),
  output: z.object({
    statements: z.array(statementResult).describe('One result per statement, in order'),
    committed: z.boolean().describe('Whether the transaction was committed'),
  }),
  annotations: {
    readOnlyHint: false,
    destructiveHint: true,
    idempotentHint: false,
    openWorldHint: false,
  },
  async run({ sqlStatements, dryRun }, deps) {
    if (!deps.config.allowWrite) {
      throw new ToolError(
        'This server is read-only; writes need the operator to start it with --allow-write.',
      );
    }
    sqlStatements.forEach((sql, index) => {
      const control = transactionControl(sql);
      if (control !== undefined) {
        throw new ToolError(
          `Statement ${index + 1} is ${control}, which would end the transaction part-way and break all-or-nothing. Leave transaction control out: the server runs the statements in one transaction and commits them together.`,
        );
      }
    });
    const { limits } = deps.config;
    const share = Math.max(MIN_SHARE_BYTES, Math.floor(limits.maxBytes / sqlStatements.length));
    const results = await deps.executor.run(
      { mode: 'read-write', end: dryRun ? 'rollback' : 'commit', signal: deps.signal },
      async (tx) => {
        const done: FetchedResult[] = [];
        for (const [index, sql] of sqlStatements.entries()) {
          try {
            if (index > 0) await tx.restoreLimits();
            done.push(await tx.fetch(sql, { offset: 0, maxRows: limits.maxRows, maxBytes: share }));
          } catch (error) {
            throw new StatementFailure(index, sqlStatements.length, sql, error);
          }
          void deps.progress(index + 1, sqlStatements.length, `statement ${index + 1} done`);
        }
        return done;
      },
    );
    const statements = results.map((fetched, index) => shape(index, fetched));
    const text = results
      .map((fetched, index) => {
        const tag = fetched.command ?? 'done';
        const count = fetched.rowCount === undefined ? '' : ` ${fetched.rowCount}`;
        const head = `Statement ${index + 1}: ${tag}${count}`;
        return fetched.columns.length === 0 ? head : renderRows(fetched, head);
      })
      .join('\n');
    const outcome = dryRun
      ? 'Dry run: rolled back, nothing changed.'
      : `Committed ${results.length} statement(s).`;
    return structured({ statements, committed: !dryRun }, `${text}\n${outcome}`);
  },
});
