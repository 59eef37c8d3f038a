/**
 * @module
 * The official server's per-table schema resources, `postgres://<host>/<table>/schema`, with the
 * same URIs and content (a JSON array of `column_name` and `data_type`), extended to every schema:
 * tables outside `public` are `postgres://<host>/<schema>/<table>/schema`. Names are
 * percent-encoded in URIs and bound as parameters in queries. Also the completion of schema, table
 * and column names, which the templates and the prompt share.
 */
import {
  resourceFactory,
  resourceNotFound,
  type ResourceContext,
  type ResourceDescriptor,
  type ResourceTemplate,
} from '@plugboard/protocol';
import {
  COMPLETE_COLUMNS_SQL,
  COMPLETE_SCHEMAS_SQL,
  COMPLETE_TABLES_SQL,
  prefixPattern,
  RESOURCE_COLUMNS_SQL,
  RESOURCE_TABLES_SQL,
} from './catalog.js';
import type { PostgresDeps } from './context.js';

type Context = ResourceContext<PostgresDeps>;

const { defineResourceTemplate } = resourceFactory<PostgresDeps>();

const MIME = 'application/json';

async function names(ctx: Context, sql: string, values: readonly unknown[]): Promise<string[]> {
  try {
    const rows = await ctx.executor.run(
      { mode: 'read-only', end: 'rollback', signal: ctx.signal },
      (tx) => tx.query<{ name: string }>(sql, values),
    );
    return rows.map((row) => row.name);
  } catch (error) {
    // A completion that cannot reach the database offers nothing rather than failing the editor.
    ctx.logger.debug('completion failed', {
      error: error instanceof Error ? error.message : String(error),
    });
    return [];
  }
}

export function completeSchemas(ctx: Context, prefix: string): Promise<string[]> {
  return names(ctx, COMPLETE_SCHEMAS_SQL, [prefixPattern(prefix)]);
}

export function completeTables(ctx: Context, schema: string, prefix: string): Promise<string[]> {
  return names(ctx, COMPLETE_TABLES_SQL, [schema, prefixPattern(prefix)]);
}

export function completeColumns(
  ctx: Context,
  schema: string,
  table: string,
  prefix: string,
): Promise<string[]> {
  return names(ctx, COMPLETE_COLUMNS_SQL, [schema, table, prefixPattern(prefix)]);
}

async function listTables(
  ctx: Context,
  base: string,
  publicSchema: boolean,
): Promise<ResourceDescriptor[]> {
  const rows = await ctx.executor.run(
    { mode: 'read-only', end: 'rollback', signal: ctx.signal },
    (tx) => tx.query<{ schema: string; name: string }>(RESOURCE_TABLES_SQL, [publicSchema]),
  );
  return rows.map((row) =>
    publicSchema
      ? {
          uri: `${base}${encodeURIComponent(row.name)}/schema`,
          name: `"${row.name}" database schema`,
          mimeType: MIME,
        }
      : {
          uri: `${base}${encodeURIComponent(row.schema)}/${encodeURIComponent(row.name)}/schema`,
          name: `"${row.schema}.${row.name}" database schema`,
          mimeType: MIME,
        },
  );
}

async function readColumns(
  uri: string,
  schema: string | undefined,
  table: string | undefined,
  ctx: Context,
) {
  if (schema === undefined || table === undefined || schema === '' || table === '')
    throw resourceNotFound(uri);
  const rows = await ctx.executor.run(
    { mode: 'read-only', end: 'rollback', signal: ctx.signal },
    (tx) =>
      tx.query<{ column_name: string; data_type: string }>(RESOURCE_COLUMNS_SQL, [schema, table]),
  );
  if (rows.length === 0) throw resourceNotFound(uri);
  return [{ uri, mimeType: MIME, text: JSON.stringify(rows, null, 2) }];
}

/** The two schema-resource templates under `base` (the connection URL without its password). */
export function createSchemaResources(base: string): ResourceTemplate<PostgresDeps>[] {
  return [
    defineResourceTemplate({
      uriTemplate: `${base}{table}/schema`,
      name: 'table-schema',
      title: 'Table schema (public)',
      description: 'Column names and data types of a table or view in the public schema',
      mimeType: MIME,
      list: (ctx) => listTables(ctx, base, true),
      read: (uri, variables, ctx) => readColumns(uri, 'public', variables.get('table'), ctx),
      complete: { table: (value, { ctx }) => completeTables(ctx, 'public', value) },
    }),
    defineResourceTemplate({
      uriTemplate: `${base}{schema}/{table}/schema`,
      name: 'schema-table-schema',
      title: 'Table schema',
      description: 'Column names and data types of a table or view in any schema',
      mimeType: MIME,
      list: (ctx) => listTables(ctx, base, false),
      read: (uri, variables, ctx) =>
        readColumns(uri, variables.get('schema'), variables.get('table'), ctx),
      complete: {
        schema: (value, { ctx }) => completeSchemas(ctx, value),
        table: (value, { arguments: chosen, ctx }) =>
          completeTables(ctx, chosen.get('schema') ?? 'public', value),
      },
    }),
  ];
}
