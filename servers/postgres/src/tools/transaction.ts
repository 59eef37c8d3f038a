/**
 * @module
 * `run_sql_transaction` (as Neon's server names it): several statements in one read-write
 * transaction, all or nothing (see statement-batch.ts). Schema changes still need --allow-ddl:
 * the executor's catalog check covers the whole transaction. A failure names the statement and
 * its position and rolls everything back.
 */
import { structured, ToolError } from '@plugboard/protocol';
import { z } from 'zod';
import { defineTool, WRITE_ANNOTATIONS } from '../context.js';
import { renderRows } from '../render.js';
import { mayChangeSchema } from './schema-change.js';
import {
  refuseTransactionControl,
  renderStatements,
  runStatements,
  statementResult,
  statementResultSchema,
} from '../statement-batch.js';

const MAX_STATEMENTS = 100;

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
    statements: z.array(statementResultSchema).describe('One result per statement, in order'),
    committed: z.boolean().describe('Whether the transaction was committed'),
  }),
  requires: ['allowWrite'],
  annotations: WRITE_ANNOTATIONS,
  approval: {
    class: 'ddl',
    when: ({ sqlStatements, dryRun }) => !dryRun && sqlStatements.some(mayChangeSchema),
    summary: ({ sqlStatements }) =>
      `Run these ${sqlStatements.length} SQL statements in one transaction and commit them; they may change the schema:\n\n${sqlStatements.map((sql, index) => `${index + 1}. ${sql}`).join('\n\n')}`,
  },
  async run({ sqlStatements, dryRun }, deps) {
    if (!deps.config.allowWrite) {
      throw new ToolError(
        'This server is read-only; writes need the operator to start it with --allow-write.',
      );
    }
    refuseTransactionControl(sqlStatements);
    const results = await deps.executor.run(
      { mode: 'read-write', end: dryRun ? 'rollback' : 'commit', signal: deps.signal },
      (tx) =>
        runStatements(tx, sqlStatements, deps.config.limits, (count) => {
          void deps.progress(count, sqlStatements.length, `statement ${count} done`);
        }),
    );
    const statements = results.map(statementResult);
    const text = renderStatements(results, renderRows);
    const outcome = dryRun
      ? 'Dry run: rolled back, nothing changed.'
      : `Committed ${results.length} statement(s).`;
    return structured({ statements, committed: !dryRun }, `${text}\n${outcome}`);
  },
});
