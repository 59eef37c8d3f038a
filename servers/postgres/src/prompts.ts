/**
 * @module
 * Prompts: `profile_column` walks the model through one column's data (nulls, distinct values,
 * common values, range) with the server's own tools. Its arguments complete schema, table and
 * column names from the database.
 */
import { promptFactory, type Prompt } from '@plugboard/protocol';
import type { PostgresDeps } from './context.js';
import { qualifiedName, quoteIdent, quoteLiteral } from './render.js';
import { completeColumns, completeSchemas, completeTables } from './resources.js';

const definePrompt = promptFactory<PostgresDeps>();

export const profileColumn: Prompt<PostgresDeps> = definePrompt({
  name: 'profile_column',
  title: 'Profile a column',
  description:
    "Look at one column's data: null share, distinct values, most common values and range, and what they suggest (constraints, indexes, data problems).",
  arguments: [
    {
      name: 'schema',
      description: 'Schema of the table (default public)',
      complete: (value, { ctx }) => completeSchemas(ctx, value),
    },
    {
      name: 'table',
      description: 'Table or view name',
      required: true,
      complete: (value, { arguments: chosen, ctx }) =>
        completeTables(ctx, chosen.get('schema') ?? 'public', value),
    },
    {
      name: 'column',
      description: 'Column name',
      required: true,
      complete: (value, { arguments: chosen, ctx }) =>
        completeColumns(ctx, chosen.get('schema') ?? 'public', chosen.get('table') ?? '', value),
    },
  ],
  get(args) {
    const schema = args.get('schema') ?? 'public';
    const table = args.get('table') ?? '';
    const column = args.get('column') ?? '';
    const relation = qualifiedName(schema, table);
    const target = quoteIdent(column);
    const text = [
      `Profile the column ${target} of ${relation}.`,
      `1. Call describe_object with schema ${JSON.stringify(schema)} and name ${JSON.stringify(table)} to see its type, constraints and indexes.`,
      `2. Run with the query tool: SELECT count(*) AS rows, count(${target}) AS non_null, count(DISTINCT ${target}) AS distinct_values, min(${target}) AS min, max(${target}) AS max FROM ${relation}`,
      `3. Run: SELECT ${target} AS value, count(*) AS rows FROM ${relation} GROUP BY 1 ORDER BY 2 DESC LIMIT 10`,
      '4. Summarise: share of nulls, cardinality, dominant values, range, anything odd (sentinel values, empty strings, outliers), and whether a NOT NULL or UNIQUE constraint, a CHECK, or an index would fit.',
      `On a large table, start from the planner statistics instead: SELECT null_frac, n_distinct, most_common_vals, most_common_freqs FROM pg_stats WHERE schemaname = ${quoteLiteral(schema)} AND tablename = ${quoteLiteral(table)} AND attname = ${quoteLiteral(column)}`,
    ].join('\n');
    return {
      description: `Profile ${relation}.${target}`,
      messages: [{ role: 'user', content: { type: 'text', text } }],
    };
  },
});

export const prompts = [profileColumn];
