/**
 * @module
 * Schema insight: the schemas, the objects in them, and everything about one object (columns,
 * types, defaults, constraints, indexes, foreign keys both ways, size, row estimate, comments).
 */
import { structured, takeWithinBudget, jsonSize, ToolError } from '@plugboard/protocol';
import { z } from 'zod';
import {
  COLUMNS_SQL,
  CONSTRAINTS_SQL,
  FUNCTIONS_SQL,
  INDEXES_SQL,
  LIST_OBJECTS_SQL,
  LIST_SCHEMAS_SQL,
  OBJECT_TYPES,
  REFERENCED_BY_SQL,
  RELATION_SQL,
  RESOLVE_OBJECT_SQL,
  SEQUENCE_SQL,
} from '../catalog.js';
import { defineTool, READ_ONLY_ANNOTATIONS } from '../context.js';
import type { Transaction } from '../executor.js';
import { formatBytes, qualifiedName } from '../render.js';
import { escapeControls } from '../values.js';

const nullableString = z.string().nullable();

const schemaEntry = z.object({
  name: z.string(),
  owner: z.string(),
  relations: z.number().int().describe('Tables, views and materialized views in the schema'),
  comment: nullableString,
});

export const listSchemas = defineTool({
  name: 'list_schemas',
  title: 'List schemas',
  description:
    'List the schemas of the database with their owner, number of tables and views, and comment. System schemas are left out unless includeSystem is true.',
  input: z.object({
    includeSystem: z
      .boolean()
      .default(false)
      .describe('Also list pg_catalog, information_schema and pg_toast'),
  }),
  output: z.object({ schemas: z.array(schemaEntry), truncated: z.boolean() }),
  annotations: READ_ONLY_ANNOTATIONS,
  async run({ includeSystem }, { executor, config, signal }) {
    const rows = await executor.run({ mode: 'read-only', end: 'rollback', signal }, (tx) =>
      tx.query<z.infer<typeof schemaEntry>>(LIST_SCHEMAS_SQL, [includeSystem]),
    );
    const { items, truncated } = takeWithinBudget(rows, config.limits.maxBytes, jsonSize);
    const text = items.map(
      (schema) =>
        `${escapeControls(schema.name)} (owner ${escapeControls(schema.owner)}, ${schema.relations} relations)${schema.comment === null ? '' : `: ${escapeControls(schema.comment)}`}`,
    );
    if (truncated) text.push(`… ${rows.length - items.length} more schemas not shown`);
    return structured({ schemas: items, truncated }, text.join('\n') || 'No schemas.');
  },
});

const objectEntry = z.object({
  schema: z.string(),
  name: z.string().describe('Object name; functions include their argument types'),
  type: z.enum(OBJECT_TYPES),
  row_estimate: z
    .number()
    .nullable()
    .describe("Planner's row estimate (tables and materialized views)"),
  total_bytes: z.number().nullable().describe('Size on disk including indexes and TOAST'),
  comment: nullableString,
});

export const listObjects = defineTool({
  name: 'list_objects',
  title: 'List database objects',
  description:
    'List tables, views, materialized views, foreign tables, sequences, functions, procedures and extensions, in one schema or in every user schema, with row estimates, sizes and comments. Filter by type or name pattern; page with offset.',
  input: z.object({
    schema: z
      .string()
      .min(1)
      .optional()
      .describe('Schema to list (exact name); omit for every non-system schema'),
    types: z
      .array(z.enum(OBJECT_TYPES))
      .min(1)
      .optional()
      .describe('Object types to include; omit for all'),
    namePattern: z
      .string()
      .min(1)
      .optional()
      .describe('Case-insensitive LIKE pattern on the name, e.g. "%order%"'),
    limit: z.number().int().min(1).max(1000).default(200).describe('Most objects to return'),
    offset: z.number().int().min(0).default(0).describe('Objects to skip, to page through'),
  }),
  output: z.object({
    objects: z.array(objectEntry),
    truncated: z.boolean(),
    nextOffset: z.number().int().optional(),
  }),
  annotations: READ_ONLY_ANNOTATIONS,
  auditTarget: ['schema'],
  async run({ schema, types, namePattern, limit, offset }, { executor, config, signal }) {
    const rows = await executor.run({ mode: 'read-only', end: 'rollback', signal }, (tx) =>
      tx.query<z.infer<typeof objectEntry>>(LIST_OBJECTS_SQL, [
        schema ?? null,
        types ?? [...OBJECT_TYPES],
        namePattern ?? null,
        limit + 1,
        offset,
      ]),
    );
    const page = rows.slice(0, limit);
    const { items, truncated: overBudget } = takeWithinBudget(
      page,
      config.limits.maxBytes,
      jsonSize,
    );
    const truncated = overBudget || rows.length > limit;
    const data = {
      objects: items,
      truncated,
      ...(truncated ? { nextOffset: offset + items.length } : {}),
    };
    const lines = items.map((object) => {
      const facts = [
        object.row_estimate === null ? undefined : `~${object.row_estimate} rows`,
        object.total_bytes === null ? undefined : formatBytes(object.total_bytes),
      ].filter(Boolean);
      return `${object.type} ${qualifiedName(object.schema, object.name)}${facts.length > 0 ? ` (${facts.join(', ')})` : ''}${object.comment === null ? '' : `: ${escapeControls(object.comment)}`}`;
    });
    if (truncated) lines.push(`… more objects: call again with offset: ${offset + items.length}`);
    if (lines.length === 0) {
      lines.push(
        schema === undefined
          ? 'No objects match.'
          : `No objects match in schema "${schema}". Check the name with list_schemas.`,
      );
    }
    return structured(data, lines.join('\n'));
  },
});

const columnEntry = z.object({
  name: z.string(),
  type: z.string(),
  nullable: z.boolean(),
  default: nullableString,
  identity: nullableString.describe('always or by default, for identity columns'),
  generated: nullableString.describe('stored or virtual, for generated columns'),
  comment: nullableString,
});

const constraintEntry = z.object({
  name: z.string(),
  type: z.string(),
  definition: z.string(),
  columns: z.array(z.string()).nullable(),
  ref_schema: nullableString,
  ref_table: nullableString,
  ref_columns: z.array(z.string()).nullable(),
});

const indexEntry = z.object({
  name: z.string(),
  definition: z.string(),
  unique: z.boolean(),
  primary: z.boolean(),
  valid: z.boolean(),
  bytes: z.number(),
  scans: z.number().nullable().describe('Index scans since statistics were reset'),
});

const referenceEntry = z.object({ schema: z.string(), table: z.string(), constraint: z.string() });

const sequenceEntry = z.object({
  data_type: z.string(),
  start: z.union([z.number(), z.string()]),
  increment: z.union([z.number(), z.string()]),
  min: z.union([z.number(), z.string()]),
  max: z.union([z.number(), z.string()]),
  cycle: z.boolean(),
  owned_by: nullableString,
});

const functionEntry = z.object({
  signature: z.string(),
  returns: nullableString,
  kind: z.string(),
  language: z.string(),
  volatility: z.string(),
  security_definer: z.boolean(),
  comment: nullableString,
  source: nullableString,
  source_cut: z.boolean().nullable(),
});

const describeOutput = z.object({
  schema: z.string(),
  name: z.string(),
  type: z.string(),
  comment: nullableString.optional(),
  rowEstimate: z.number().nullable().optional(),
  totalBytes: z.number().nullable().optional(),
  columns: z.array(columnEntry).optional(),
  constraints: z.array(constraintEntry).optional(),
  indexes: z.array(indexEntry).optional(),
  referencedBy: z.array(referenceEntry).optional(),
  viewDefinition: nullableString.optional(),
  partitionOf: nullableString.optional(),
  partitionKey: nullableString.optional(),
  sequence: sequenceEntry.optional(),
  functions: z.array(functionEntry).optional(),
  truncated: z.boolean(),
});

type Description = z.infer<typeof describeOutput>;

const RELATION_TYPES: Readonly<Record<string, string>> = {
  r: 'table',
  p: 'partitioned_table',
  v: 'view',
  m: 'materialized_view',
  f: 'foreign_table',
  S: 'sequence',
};

interface Resolved {
  oid: number | null;
  schema: string;
  name: string;
  kind: string;
}

async function describeRelation(tx: Transaction, target: Resolved): Promise<Description> {
  const oid = target.oid;
  const type = RELATION_TYPES[target.kind] ?? target.kind;
  const [relation] = await tx.query<{
    comment: string | null;
    row_estimate: number | null;
    total_bytes: number | null;
    view_definition: string | null;
    partition_of: string | null;
    partition_key: string | null;
  }>(RELATION_SQL, [oid]);
  const base: Description = {
    schema: target.schema,
    name: target.name,
    type,
    comment: relation?.comment ?? null,
    totalBytes: relation?.total_bytes ?? null,
    truncated: false,
  };
  if (target.kind === 'S') {
    const [sequence] = await tx.query<z.infer<typeof sequenceEntry>>(SEQUENCE_SQL, [oid]);
    return sequence === undefined ? base : { ...base, sequence };
  }
  const description: Description = {
    ...base,
    rowEstimate: relation?.row_estimate ?? null,
    columns: await tx.query<z.infer<typeof columnEntry>>(COLUMNS_SQL, [oid]),
    constraints: await tx.query<z.infer<typeof constraintEntry>>(CONSTRAINTS_SQL, [oid]),
    indexes: await tx.query<z.infer<typeof indexEntry>>(INDEXES_SQL, [oid]),
    referencedBy: await tx.query<z.infer<typeof referenceEntry>>(REFERENCED_BY_SQL, [oid]),
  };
  if (relation?.view_definition !== null && relation?.view_definition !== undefined) {
    description.viewDefinition = relation.view_definition;
  }
  if (relation?.partition_of) description.partitionOf = relation.partition_of;
  if (relation?.partition_key) description.partitionKey = relation.partition_key;
  return description;
}

/** Keeps a description within the byte budget by shortening its longest lists. */
function fitDescription(description: Description, maxBytes: number): Description {
  if (jsonSize(description) <= maxBytes / 2) return description;
  const fitted = { ...description, truncated: true };
  for (const key of ['columns', 'indexes', 'constraints', 'referencedBy', 'functions'] as const) {
    const list = fitted[key];
    if (list === undefined) continue;
    const { items } = takeWithinBudget<unknown>(list, maxBytes / 8, jsonSize);
    Object.assign(fitted, { [key]: items });
  }
  if (fitted.viewDefinition !== undefined && fitted.viewDefinition !== null) {
    fitted.viewDefinition = fitted.viewDefinition.slice(0, Math.floor(maxBytes / 8));
  }
  return fitted;
}

function renderDescription(d: Description): string {
  const text = (value: string): string => escapeControls(value);
  const lines: string[] = [];
  const facts = [
    d.rowEstimate === undefined || d.rowEstimate === null ? undefined : `~${d.rowEstimate} rows`,
    d.totalBytes === undefined || d.totalBytes === null ? undefined : formatBytes(d.totalBytes),
  ].filter(Boolean);
  lines.push(
    `${d.type.replace('_', ' ')} ${qualifiedName(d.schema, d.name)}${facts.length > 0 ? ` (${facts.join(', ')})` : ''}`,
  );
  if (d.comment) lines.push(`comment: ${text(d.comment)}`);
  if (d.partitionOf) lines.push(`partition of ${d.partitionOf}`);
  if (d.partitionKey) lines.push(`partitioned by ${d.partitionKey}`);
  if (d.columns !== undefined) {
    lines.push('columns:');
    for (const column of d.columns) {
      const extras = [
        column.nullable ? undefined : 'not null',
        column.default === null ? undefined : `default ${text(column.default)}`,
        column.identity === null ? undefined : `identity ${column.identity}`,
        column.generated === null ? undefined : `generated ${column.generated}`,
      ].filter(Boolean);
      lines.push(
        `  ${text(column.name)} ${column.type}${extras.length > 0 ? ` ${extras.join(' ')}` : ''}${column.comment === null ? '' : ` -- ${text(column.comment)}`}`,
      );
    }
  }
  if (d.constraints !== undefined && d.constraints.length > 0) {
    lines.push('constraints:');
    for (const constraint of d.constraints)
      lines.push(`  ${text(constraint.name)}: ${text(constraint.definition)}`);
  }
  if (d.indexes !== undefined && d.indexes.length > 0) {
    lines.push('indexes:');
    for (const index of d.indexes) {
      const notes = [
        formatBytes(index.bytes),
        index.scans === null ? undefined : `${index.scans} scans`,
        index.valid ? undefined : 'INVALID',
      ].filter(Boolean);
      lines.push(`  ${text(index.definition)} (${notes.join(', ')})`);
    }
  }
  if (d.referencedBy !== undefined && d.referencedBy.length > 0) {
    lines.push('referenced by:');
    for (const reference of d.referencedBy) {
      lines.push(
        `  ${qualifiedName(reference.schema, reference.table)} (${text(reference.constraint)})`,
      );
    }
  }
  if (d.viewDefinition) lines.push(`definition:\n${d.viewDefinition}`);
  if (d.sequence !== undefined) {
    const s = d.sequence;
    lines.push(
      `${s.data_type} start ${s.start} increment ${s.increment} min ${s.min} max ${s.max}${s.cycle ? ' cycle' : ''}${s.owned_by === null ? '' : `, owned by ${s.owned_by}`}`,
    );
  }
  for (const fn of d.functions ?? []) {
    lines.push(
      `${fn.kind} ${text(fn.signature)}${fn.returns === null ? '' : ` returns ${fn.returns}`} language ${fn.language} ${fn.volatility}${fn.security_definer ? ' security definer' : ''}`,
    );
    if (fn.comment) lines.push(`  comment: ${text(fn.comment)}`);
    if (fn.source)
      lines.push(`  source${fn.source_cut ? ' (first 4000 characters)' : ''}:\n${fn.source}`);
  }
  if (d.truncated)
    lines.push('(some lists were shortened to fit the size limit; query pg_catalog for the rest)');
  return lines.join('\n');
}

export const describeObject = defineTool({
  name: 'describe_object',
  title: 'Describe a table, view, sequence or function',
  description:
    'Describe one object: for tables and views the columns (types, defaults, nullability, comments), constraints, indexes with sizes and use, foreign keys in both directions, row estimate and size; for sequences their settings; for functions every overload with its source.',
  input: z.object({
    name: z
      .string()
      .min(1)
      .describe('Object name, exactly as stored (no quotes, no schema prefix)'),
    schema: z
      .string()
      .min(1)
      .optional()
      .describe('Schema of the object; omit to find it in any user schema'),
  }),
  output: describeOutput,
  annotations: READ_ONLY_ANNOTATIONS,
  auditTarget: ['schema', 'name'],
  async run({ name, schema }, { executor, config, signal }) {
    const description = await executor.run(
      { mode: 'read-only', end: 'rollback', signal },
      async (tx) => {
        const found = await tx.query<Resolved>(RESOLVE_OBJECT_SQL, [schema ?? null, name]);
        if (found.length === 0) {
          throw new ToolError(
            `No table, view, sequence or function named "${name}"${schema === undefined ? ' in the user schemas' : ` in schema "${schema}"`}. Find names with list_objects (names are case-sensitive).`,
          );
        }
        const schemas = [...new Set(found.map((object) => object.schema))];
        if (schemas.length > 1) {
          throw new ToolError(
            `"${name}" exists in several schemas (${schemas.join(', ')}); call again with schema set to one of them.`,
          );
        }
        const relation = found.find((object) => object.kind !== 'function');
        if (relation !== undefined) return describeRelation(tx, relation);
        const functions = await tx.query<z.infer<typeof functionEntry>>(FUNCTIONS_SQL, [
          schemas[0],
          name,
        ]);
        return {
          schema: schemas[0]!,
          name,
          type: 'function',
          functions,
          truncated: false,
        } satisfies Description;
      },
    );
    const fitted = fitDescription(description, config.limits.maxBytes);
    return structured(fitted, renderDescription(fitted));
  },
});
