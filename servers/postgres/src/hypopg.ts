/**
 * @module
 * The hypopg extension, which makes the planner see indexes that do not exist. Hypothetical
 * indexes live in the server session, not in the transaction, so every use ends with
 * `hypopg_reset()`: behind a pooler the same session serves other clients next.
 */
import { ToolError } from '@plugboard/protocol';
import type { Transaction } from './executor.js';
import { extensionSchema } from './extensions.js';
import { quoteIdent } from './render.js';

export interface Hypopg {
  /** Creates a hypothetical index from a CREATE INDEX statement; returns its name and oid. */
  create(definition: string): Promise<{ name: string; oid: number }>;
  drop(oid: number): Promise<void>;
  /** The size the index would have, in bytes. */
  size(oid: number): Promise<number>;
}

/** Runs `work` with hypopg, removing every hypothetical index afterwards. */
export async function withHypopg<T>(
  tx: Transaction,
  work: (hypopg: Hypopg) => Promise<T>,
): Promise<T> {
  const extension = await extensionSchema(tx, 'hypopg');
  if (extension === undefined) {
    throw new ToolError(
      'Hypothetical indexes need the hypopg extension, which is not installed in this database. The operator can install it (e.g. the postgresql-NN-hypopg package) and run CREATE EXTENSION hypopg; meanwhile, explain without hypothetical indexes.',
    );
  }
  const schema = quoteIdent(extension);
  const hypopg: Hypopg = {
    async create(definition) {
      const [row] = await tx.query<{ name: string; oid: number }>(
        `SELECT indexname AS name, indexrelid::int8 AS oid FROM ${schema}.hypopg_create_index($1)`,
        [definition],
      );
      if (row === undefined) throw new Error('hypopg_create_index returned nothing');
      return row;
    },
    async drop(oid) {
      await tx.query(`SELECT ${schema}.hypopg_drop_index($1)`, [oid]);
    },
    async size(oid) {
      const [row] = await tx.query<{ bytes: number }>(
        `SELECT ${schema}.hypopg_relation_size($1)::int8 AS bytes`,
        [oid],
      );
      return row?.bytes ?? 0;
    },
  };
  try {
    return await work(hypopg);
  } finally {
    await tx.query(`SELECT ${schema}.hypopg_reset()`).catch(() => undefined);
  }
}
