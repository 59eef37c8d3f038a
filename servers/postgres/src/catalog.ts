/**
 * @module
 * The catalog queries behind the schema tools, resources and completions. Every one reads
 * pg_catalog with bound parameters (names are never spliced into SQL), skips objects that belong
 * to extensions, and returns arrays as JSON so they arrive as arrays.
 */

/** Schemas PostgreSQL keeps for itself. */
export const SYSTEM_SCHEMA_FILTER = `n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
  AND n.nspname NOT LIKE 'pg\\_temp\\_%' AND n.nspname NOT LIKE 'pg\\_toast\\_temp\\_%'`;

const NOT_EXTENSION_MEMBER = (catalog: string, column: string): string =>
  `NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = '${catalog}'::regclass AND d.objid = ${column} AND d.deptype = 'e')`;

export const LIST_SCHEMAS_SQL = `SELECT n.nspname AS name, pg_catalog.pg_get_userbyid(n.nspowner) AS owner,
    (SELECT count(*) FROM pg_catalog.pg_class c WHERE c.relnamespace = n.oid AND c.relkind IN ('r', 'p', 'v', 'm', 'f'))::int AS relations,
    pg_catalog.obj_description(n.oid, 'pg_namespace') AS comment
  FROM pg_catalog.pg_namespace n
  WHERE $1::boolean OR (${SYSTEM_SCHEMA_FILTER})
  ORDER BY n.nspname`;

export const OBJECT_TYPES = [
  'table',
  'partitioned_table',
  'view',
  'materialized_view',
  'foreign_table',
  'sequence',
  'function',
  'procedure',
  'aggregate',
  'extension',
] as const;

export type ObjectType = (typeof OBJECT_TYPES)[number];

/** $1 schema or null for every user schema, $2 types, $3 ILIKE pattern or null, $4 limit, $5 offset. */
export const LIST_OBJECTS_SQL = `SELECT * FROM (
    SELECT n.nspname AS schema, c.relname AS name,
      CASE c.relkind WHEN 'r' THEN 'table' WHEN 'p' THEN 'partitioned_table' WHEN 'v' THEN 'view'
        WHEN 'm' THEN 'materialized_view' WHEN 'f' THEN 'foreign_table' ELSE 'sequence' END AS type,
      CASE WHEN c.relkind IN ('r', 'p', 'm') AND c.reltuples >= 0 THEN c.reltuples::bigint END AS row_estimate,
      CASE WHEN c.relkind IN ('r', 'p', 'm') THEN pg_catalog.pg_total_relation_size(c.oid) END AS total_bytes,
      pg_catalog.obj_description(c.oid, 'pg_class') AS comment
    FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S') AND NOT c.relispartition
      AND ${NOT_EXTENSION_MEMBER('pg_class', 'c.oid')}
      AND ($1::text IS NULL AND ${SYSTEM_SCHEMA_FILTER} OR n.nspname = $1)
    UNION ALL
    SELECT n.nspname, p.proname || '(' || pg_catalog.pg_get_function_identity_arguments(p.oid) || ')',
      CASE p.prokind WHEN 'p' THEN 'procedure' WHEN 'a' THEN 'aggregate' ELSE 'function' END,
      NULL, NULL, pg_catalog.obj_description(p.oid, 'pg_proc')
    FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
    WHERE ${NOT_EXTENSION_MEMBER('pg_proc', 'p.oid')}
      AND ($1::text IS NULL AND ${SYSTEM_SCHEMA_FILTER} OR n.nspname = $1)
    UNION ALL
    SELECT n.nspname, e.extname, 'extension', NULL, NULL,
      'version ' || e.extversion || coalesce(': ' || pg_catalog.obj_description(e.oid, 'pg_extension'), '')
    FROM pg_catalog.pg_extension e JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace
    WHERE $1::text IS NULL OR n.nspname = $1
  ) o
  WHERE o.type = ANY($2::text[]) AND ($3::text IS NULL OR o.name ILIKE $3)
  ORDER BY o.schema, o.type, o.name
  LIMIT $4 OFFSET $5`;

/** $1 schema or null, $2 name: the relations and functions of that name. */
export const RESOLVE_OBJECT_SQL = `SELECT c.oid::int AS oid, n.nspname AS schema, c.relname AS name, c.relkind::text AS kind
    FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relname = $2 AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
      AND ($1::text IS NULL AND ${SYSTEM_SCHEMA_FILTER} OR n.nspname = $1)
  UNION ALL
  SELECT DISTINCT NULL::int, n.nspname, p.proname, 'function'
    FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
    WHERE p.proname = $2 AND ($1::text IS NULL AND ${SYSTEM_SCHEMA_FILTER} OR n.nspname = $1)
  ORDER BY 2`;

export const RELATION_SQL = `SELECT pg_catalog.obj_description(c.oid, 'pg_class') AS comment,
    CASE WHEN c.reltuples >= 0 THEN c.reltuples::bigint END AS row_estimate,
    CASE WHEN c.relkind IN ('r', 'p', 'm', 'S') THEN pg_catalog.pg_total_relation_size(c.oid) END AS total_bytes,
    CASE WHEN c.relkind IN ('v', 'm') THEN pg_catalog.pg_get_viewdef(c.oid, true) END AS view_definition,
    (SELECT pg_catalog.format('%I.%I', pn.nspname, pc.relname) FROM pg_catalog.pg_inherits i
       JOIN pg_catalog.pg_class pc ON pc.oid = i.inhparent JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace
       WHERE i.inhrelid = c.oid LIMIT 1) AS partition_of,
    CASE WHEN c.relkind = 'p' THEN pg_catalog.pg_get_partkeydef(c.oid) END AS partition_key
  FROM pg_catalog.pg_class c WHERE c.oid = $1`;

export const COLUMNS_SQL = `SELECT a.attname AS name, pg_catalog.format_type(a.atttypid, a.atttypmod) AS type,
    NOT a.attnotnull AS nullable, pg_catalog.pg_get_expr(d.adbin, d.adrelid) AS default,
    CASE a.attidentity WHEN 'a' THEN 'always' WHEN 'd' THEN 'by default' END AS identity,
    CASE a.attgenerated WHEN 's' THEN 'stored' WHEN 'v' THEN 'virtual' END AS generated,
    pg_catalog.col_description(a.attrelid, a.attnum) AS comment
  FROM pg_catalog.pg_attribute a LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
  WHERE a.attrelid = $1 AND a.attnum > 0 AND NOT a.attisdropped
  ORDER BY a.attnum`;

const KEY_COLUMNS = (keys: string, relation: string): string =>
  `(SELECT json_agg(a.attname ORDER BY k.ord) FROM unnest(${keys}) WITH ORDINALITY AS k(attnum, ord)
     JOIN pg_catalog.pg_attribute a ON a.attrelid = ${relation} AND a.attnum = k.attnum)`;

export const CONSTRAINTS_SQL = `SELECT con.conname AS name,
    CASE con.contype WHEN 'p' THEN 'primary key' WHEN 'u' THEN 'unique' WHEN 'f' THEN 'foreign key'
      WHEN 'c' THEN 'check' WHEN 'x' THEN 'exclusion' WHEN 'n' THEN 'not null' ELSE con.contype::text END AS type,
    pg_catalog.pg_get_constraintdef(con.oid, true) AS definition,
    ${KEY_COLUMNS('con.conkey', 'con.conrelid')} AS columns,
    fn.nspname AS ref_schema, fc.relname AS ref_table,
    ${KEY_COLUMNS('con.confkey', 'con.confrelid')} AS ref_columns
  FROM pg_catalog.pg_constraint con
  LEFT JOIN pg_catalog.pg_class fc ON fc.oid = con.confrelid
  LEFT JOIN pg_catalog.pg_namespace fn ON fn.oid = fc.relnamespace
  WHERE con.conrelid = $1 AND con.contype <> 'n'
  ORDER BY CASE con.contype WHEN 'p' THEN 0 WHEN 'u' THEN 1 WHEN 'f' THEN 2 ELSE 3 END, con.conname`;

export const INDEXES_SQL = `SELECT ic.relname AS name, pg_catalog.pg_get_indexdef(i.indexrelid) AS definition,
    i.indisunique AS unique, i.indisprimary AS primary, i.indisvalid AS valid,
    pg_catalog.pg_relation_size(i.indexrelid) AS bytes, s.idx_scan AS scans
  FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
  LEFT JOIN pg_catalog.pg_stat_all_indexes s ON s.indexrelid = i.indexrelid
  WHERE i.indrelid = $1
  ORDER BY i.indisprimary DESC, ic.relname`;

export const REFERENCED_BY_SQL = `SELECT n.nspname AS schema, c.relname AS table, con.conname AS constraint
  FROM pg_catalog.pg_constraint con JOIN pg_catalog.pg_class c ON c.oid = con.conrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE con.confrelid = $1 AND con.contype = 'f'
  ORDER BY 1, 2, 3`;

export const SEQUENCE_SQL = `SELECT pg_catalog.format_type(s.seqtypid, NULL) AS data_type, s.seqstart AS start,
    s.seqincrement AS increment, s.seqmin AS min, s.seqmax AS max, s.seqcycle AS cycle,
    (SELECT pg_catalog.format('%I.%I.%I', n.nspname, c.relname, a.attname) FROM pg_catalog.pg_depend d
       JOIN pg_catalog.pg_class c ON c.oid = d.refobjid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_catalog.pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
       WHERE d.classid = 'pg_class'::regclass AND d.objid = s.seqrelid AND d.deptype IN ('a', 'i') LIMIT 1) AS owned_by
  FROM pg_catalog.pg_sequence s WHERE s.seqrelid = $1`;

/** $1 schema, $2 name. */
export const FUNCTIONS_SQL = `SELECT p.proname || '(' || pg_catalog.pg_get_function_identity_arguments(p.oid) || ')' AS signature,
    CASE WHEN p.prokind = 'p' THEN NULL ELSE pg_catalog.pg_get_function_result(p.oid) END AS returns,
    CASE p.prokind WHEN 'p' THEN 'procedure' WHEN 'a' THEN 'aggregate' WHEN 'w' THEN 'window' ELSE 'function' END AS kind,
    l.lanname AS language,
    CASE p.provolatile WHEN 'i' THEN 'immutable' WHEN 's' THEN 'stable' ELSE 'volatile' END AS volatility,
    p.prosecdef AS security_definer, pg_catalog.obj_description(p.oid, 'pg_proc') AS comment,
    left(p.prosrc, 4000) AS source, length(p.prosrc) > 4000 AS source_cut
  FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
  JOIN pg_catalog.pg_language l ON l.oid = p.prolang
  WHERE n.nspname = $1 AND p.proname = $2
  ORDER BY 1`;

/** Names for completion: $1 prefix pattern (LIKE, already escaped). */
export const COMPLETE_SCHEMAS_SQL = `SELECT n.nspname AS name FROM pg_catalog.pg_namespace n
  WHERE n.nspname LIKE $1 AND ${SYSTEM_SCHEMA_FILTER} ORDER BY 1 LIMIT 101`;

/** $1 schema, $2 prefix pattern. */
export const COMPLETE_TABLES_SQL = `SELECT c.relname AS name FROM pg_catalog.pg_class c
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = $1 AND c.relname LIKE $2 AND c.relkind IN ('r', 'p', 'v', 'm', 'f') ORDER BY 1 LIMIT 101`;

/** $1 schema, $2 table, $3 prefix pattern. */
export const COMPLETE_COLUMNS_SQL = `SELECT a.attname AS name FROM pg_catalog.pg_attribute a
  JOIN pg_catalog.pg_class c ON c.oid = a.attrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = $1 AND c.relname = $2 AND a.attname LIKE $3 AND a.attnum > 0 AND NOT a.attisdropped
  ORDER BY a.attnum LIMIT 101`;

/** Tables and views for the schema resources: $1 true for `public` only, false for every other schema. */
export const RESOURCE_TABLES_SQL = `SELECT n.nspname AS schema, c.relname AS name FROM pg_catalog.pg_class c
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND ${SYSTEM_SCHEMA_FILTER}
    AND ${NOT_EXTENSION_MEMBER('pg_class', 'c.oid')}
    AND (n.nspname = 'public') = $1::boolean
  ORDER BY 1, 2 LIMIT 10000`;

/** The official resource's content: column names and types, here of one schema's table. */
export const RESOURCE_COLUMNS_SQL = `SELECT column_name, data_type FROM information_schema.columns
  WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position`;

/** A LIKE pattern matching strings that start with `prefix`. */
export function prefixPattern(prefix: string): string {
  return `${prefix.replace(/[\\%_]/g, '\\$&')}%`;
}
