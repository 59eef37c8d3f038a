/**
 * @module
 * Which SQL may change the schema, for the `ddl` approval class (`--approve ddl`): everything but
 * a statement that plainly changes data. It errs towards asking: a `SELECT` or `WITH` may call a
 * function that creates or drops, so only `INSERT`, `UPDATE`, `DELETE` and `MERGE` pass unasked.
 */
import { tokens } from '../sql-lexer.js';

const DATA_CHANGES = new Set(['insert', 'update', 'delete', 'merge']);

/** Whether `sql` is anything but a plain data change (by its first word). */
export function mayChangeSchema(sql: string): boolean {
  const first = tokens(sql).find((token) => token.kind === 'word');
  return first === undefined || !DATA_CHANGES.has(first.text.toLowerCase());
}
