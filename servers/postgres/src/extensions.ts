/**
 * @module
 * Where an extension the tools use (hypopg, pg_stat_statements) is installed in this database.
 */
import type { Transaction } from './executor.js';

/** The schema of extension `name`, or undefined when it is not installed here. */
export async function extensionSchema(tx: Transaction, name: string): Promise<string | undefined> {
  const [row] = await tx.query<{ schema: string }>(
    `SELECT n.nspname AS schema FROM pg_catalog.pg_extension e
       JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = $1`,
    [name],
  );
  return row?.schema;
}
