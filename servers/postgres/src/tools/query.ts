/**
 * @module
 * Running the model's SQL: `query` (the official tool, read-only whatever the configuration) and
 * `execute_sql` (only when the operator passed --allow-write; schema changes also need
 * --allow-ddl). Both send one statement through the extended protocol and return structured rows.
 */
import { structured, ToolError } from '@plugboard/protocol';
import { z } from 'zod';
import {
  defineTool,
  WRITE_ANNOTATIONS,
  READ_ONLY_ANNOTATIONS,
  type PostgresDeps,
} from '../context.js';
import type { FetchedResult } from '../executor.js';
import { renderRows } from '../render.js';
import { mayChangeSchema } from './schema-change.js';

const columnSchema = z.object({ name: z.string(), type: z.string() });

const resultSchema = z.object({
  columns: z.array(columnSchema).describe('Result columns in order, with PostgreSQL type names'),
  rows: z.array(z.array(z.unknown())).describe('Rows as arrays of values, in column order'),
  rowCount: z.number().int().describe('Rows in this result'),
  truncated: z.boolean().describe('True when the statement produced more rows than returned here'),
  nextOffset: z.number().int().optional().describe('Pass as offset to get the following rows'),
  command: z.string().optional().describe('Command tag, e.g. SELECT or INSERT'),
  affectedRows: z.number().int().optional().describe('Rows the statement returned or changed'),
  cutValues: z.number().int().optional().describe('Values shortened because they were too long'),
  committed: z.boolean().optional().describe('execute_sql: whether the change was committed'),
});

type ResultData = z.infer<typeof resultSchema>;

const sqlField = z
  .string()
  .min(1)
  .describe('Exactly one SQL statement (a trailing semicolon is fine; two statements are refused)');

function shape(result: FetchedResult, offset: number): ResultData {
  const data: ResultData = {
    columns: result.columns,
    rows: result.rows,
    rowCount: result.rows.length,
    truncated: result.truncated,
  };
  if (result.truncated) data.nextOffset = offset + result.rows.length;
  if (result.command !== undefined) data.command = result.command;
  if (result.rowCount !== undefined) data.affectedRows = result.rowCount;
  if (result.cutValues > 0) data.cutValues = result.cutValues;
  return data;
}

function summary(data: ResultData, deps: PostgresDeps): string {
  const { maxRows, maxBytes } = deps.config.limits;
  const parts = [`(${data.rowCount} row${data.rowCount === 1 ? '' : 's'}`];
  if (data.command !== undefined) parts.push(`, ${data.command}`);
  if (data.affectedRows !== undefined && data.affectedRows !== data.rowCount) {
    parts.push(` ${data.affectedRows}`);
  }
  parts.push(')');
  if (data.cutValues !== undefined) {
    parts.push(
      ` ${data.cutValues} long value(s) were cut; select substr(column, start, length) to read them.`,
    );
  }
  if (data.truncated) {
    parts.push(
      ` Truncated at the ${maxRows}-row / ${Math.round(maxBytes / 1024)} KiB limit: call again with offset: ${data.nextOffset ?? 0}, or narrow the query (WHERE, LIMIT, fewer columns, aggregates).`,
    );
  }
  return parts.join('');
}

export const query = defineTool({
  name: 'query',
  title: 'Run a read-only SQL query',
  description:
    'Run a read-only SQL query: one statement (SELECT, WITH, VALUES, SHOW, EXPLAIN...) in a read-only transaction the database enforces. Returns rows with column names and types; large results are cut with truncated: true, and offset gets the next rows.',
  input: z.object({
    sql: sqlField,
    offset: z
      .number()
      .int()
      .min(0)
      .default(0)
      .describe('Rows to skip, to continue a truncated result (the statement runs again)'),
    maxRows: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe("Most rows to return (never more than the server's limit, 1000 by default)"),
  }),
  output: resultSchema,
  taskSupport: 'optional',
  annotations: READ_ONLY_ANNOTATIONS,
  async run({ sql, offset, maxRows }, deps) {
    const { limits } = deps.config;
    const fetched = await deps.executor.run(
      { mode: 'read-only', end: 'rollback', signal: deps.signal, sql },
      (tx) =>
        tx.fetch(sql, {
          offset,
          maxRows: Math.min(maxRows ?? limits.maxRows, limits.maxRows),
          maxBytes: limits.maxBytes,
          onProgress: (rows) => void deps.progress(rows, undefined, `${rows} rows received`),
        }),
    );
    const data = shape(fetched, offset);
    return structured(data, renderRows(fetched, summary(data, deps)));
  },
});

export const executeSql = defineTool({
  name: 'execute_sql',
  title: 'Execute a SQL statement that changes data',
  description:
    'Run one SQL statement that changes data (INSERT, UPDATE, DELETE, MERGE; with RETURNING for rows back) and commit it. Schema changes are refused unless the server allows DDL; dryRun: true runs the statement and rolls it back to show what it would do.',
  input: z.object({
    sql: sqlField,
    dryRun: z
      .boolean()
      .default(false)
      .describe('Run the statement, report its effect, and roll it back instead of committing'),
  }),
  output: resultSchema,
  requires: ['allowWrite'],
  annotations: WRITE_ANNOTATIONS,
  approval: {
    class: 'ddl',
    when: ({ sql, dryRun }) => !dryRun && mayChangeSchema(sql),
    summary: ({ sql }) =>
      `Run this SQL statement and commit it; it may change the schema:\n\n${sql}`,
  },
  async run({ sql, dryRun }, deps) {
    if (!deps.config.allowWrite) {
      throw new ToolError(
        'This server is read-only; writes need the operator to start it with --allow-write.',
      );
    }
    const { limits } = deps.config;
    const fetched = await deps.executor.run(
      { mode: 'read-write', end: dryRun ? 'rollback' : 'commit', signal: deps.signal, sql },
      (tx) => tx.fetch(sql, { offset: 0, maxRows: limits.maxRows, maxBytes: limits.maxBytes }),
    );
    const data = { ...shape(fetched, 0), committed: !dryRun };
    // RETURNING rows beyond the limit were still changed; there is no next page to fetch.
    delete data.nextOffset;
    const outcome = dryRun ? 'Dry run: rolled back, nothing changed.' : 'Committed.';
    return structured(data, `${renderRows(fetched, summary(data, deps))}\n${outcome}`);
  },
});
