/**
 * @module
 * Several statements of the model's in one transaction, for `run_sql_transaction` and
 * `apply_migration`: each through the extended protocol on its own (none can smuggle in a second
 * one), none allowed to end the transaction part-way, the call's limits set again before each
 * (so `SET LOCAL statement_timeout = 0` cannot lift them for the next), and a failure carried as a
 * {@link StatementFailure} that names the statement.
 */
import { ToolError } from '@plugboard/protocol';
import { z } from 'zod';
import type { Limits } from './config.js';
import { StatementFailure } from './errors.js';
import type { FetchedResult, Transaction } from './executor.js';
import { transactionControl } from './sql-lexer.js';

/** What one statement of a batch did, as tools return it. */
export const statementResultSchema = z.object({
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

export type StatementResult = z.infer<typeof statementResultSchema>;

export function statementResult(fetched: FetchedResult, index: number): StatementResult {
  return {
    index: index + 1,
    ...(fetched.command === undefined ? {} : { command: fetched.command }),
    ...(fetched.rowCount === undefined ? {} : { affectedRows: fetched.rowCount }),
    columns: fetched.columns,
    rows: fetched.rows,
    truncated: fetched.truncated,
  };
}

/** Smallest share of the byte budget one statement's rows get. */
const MIN_SHARE_BYTES = 1024;

/** Throws a ToolError, before anything runs, when a statement would end the transaction early. */
export function refuseTransactionControl(statements: readonly string[]): void {
  statements.forEach((sql, index) => {
    const control = transactionControl(sql);
    if (control !== undefined) {
      throw new ToolError(
        `Statement ${index + 1} is ${control}, which would end the transaction part-way and break all-or-nothing. Leave transaction control out: the server runs the statements in one transaction and commits them together.`,
      );
    }
  });
}

/** Runs `statements` in order in `tx`; their rows share the byte budget. */
export async function runStatements(
  tx: Transaction,
  statements: readonly string[],
  limits: Limits,
  onDone?: (count: number) => void,
): Promise<FetchedResult[]> {
  const share = Math.max(MIN_SHARE_BYTES, Math.floor(limits.maxBytes / statements.length));
  const done: FetchedResult[] = [];
  for (const [index, sql] of statements.entries()) {
    try {
      if (index > 0) await tx.restoreLimits();
      done.push(await tx.fetch(sql, { offset: 0, maxRows: limits.maxRows, maxBytes: share }));
    } catch (error) {
      throw new StatementFailure(index, statements.length, sql, error);
    }
    onDone?.(index + 1);
  }
  return done;
}

/** One line per statement (its command tag and count), with the rows of those that returned any. */
export function renderStatements(
  results: readonly FetchedResult[],
  render: (result: FetchedResult, head: string) => string,
): string {
  return results
    .map((fetched, index) => {
      const count = fetched.rowCount === undefined ? '' : ` ${fetched.rowCount}`;
      const head = `Statement ${index + 1}: ${fetched.command ?? 'done'}${count}`;
      return fetched.columns.length === 0 ? head : render(fetched, head);
    })
    .join('\n');
}
