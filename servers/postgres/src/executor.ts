/**
 * @module
 * How every call touches the database, and so where read-only is enforced. Each call gets a new
 * connection, opens an explicit `READ ONLY` (or, when the operator allowed it, `READ WRITE`)
 * transaction, sets its limits there with `SET LOCAL` (nothing lives in the session, so a pooler
 * in transaction mode may hand it any server session), takes its snapshot at once (after that the
 * transaction cannot be switched to read-write), runs the model's single statement through the
 * extended protocol with unnamed statements only (a second statement is a protocol error, so
 * `COMMIT; DROP ...` cannot end the transaction), fetches rows through a portal within the row and
 * byte limits, and ends with COMMIT or ROLLBACK, which also undoes any `SET` the statement made.
 * The connection is closed after every call. Cancelling the call cancels the statement on the
 * database.
 */
import type { Logger } from '@plugboard/protocol';
import { ToolError, utf8Length } from '@plugboard/protocol';
import type { Client, Connection, FieldDef, QueryConfig, QueryResult, QueryResultRow } from 'pg';
import type Cursor from 'pg-cursor';
import type { PostgresConfig } from './config.js';
import type { CallSetting, Database, DatabaseConnection } from './database/database.js';
import { guardRowSize } from './database/wire-guard.js';
import { toToolError, type ErrorContext } from './errors.js';
import { outsideEffect } from './outside-effects.js';
import { BUILTIN_TYPE_NAMES, cellText, typeParsers } from './values.js';

/** The largest single row the server downloads; anything bigger is refused before it is buffered. */
export const MAX_ROW_WIRE_BYTES = 16 * 1024 * 1024;
const MAX_CONCURRENT_CALLS = 4;
const FIRST_BATCH = 50;
const MAX_BATCH = 1000;

export type TransactionMode = 'read-only' | 'read-write';

export interface TransactionOptions {
  mode: TransactionMode;
  /** `commit` only for execute_sql; everything else rolls back. */
  end: 'commit' | 'rollback';
  signal: AbortSignal;
  /** The model's SQL, for error positions. */
  sql?: string;
  positionOffset?: number;
}

export interface Column {
  name: string;
  type: string;
}

export interface FetchOptions {
  /** Rows to skip before the first one returned. */
  offset: number;
  maxRows: number;
  maxBytes: number;
  /** Told the number of rows received so far, after each batch. */
  onProgress?: (rowsReceived: number) => void;
}

export interface FetchedResult {
  columns: Column[];
  /** Values as JSON (see values.ts); long values are cut. */
  rows: unknown[][];
  /** Each row as one tab-separated line, control characters escaped. */
  lines: string[];
  truncated: boolean;
  /** Values cut because they were longer than the per-value limit. */
  cutValues: number;
  /** The command tag (SELECT, INSERT, ...), when the statement ran to completion. */
  command: string | undefined;
  /** Rows the statement returned or changed, when it ran to completion. */
  rowCount: number | undefined;
  /** UTF-8 bytes the rows take (as JSON and as text). */
  bytes: number;
}

export interface Transaction {
  /** One of our own parameterised statements (catalog queries): every row, as objects. */
  query<R extends QueryResultRow>(text: string, values?: readonly unknown[]): Promise<R[]>;
  /** The model's statement, run through a portal and fetched within the limits. */
  fetch(sql: string, options: FetchOptions): Promise<FetchedResult>;
  /** Sets the call's limits again, in case a statement of the model's changed them (SET LOCAL). */
  restoreLimits(): Promise<void>;
}

export interface Executor {
  run<T>(options: TransactionOptions, work: (tx: Transaction) => Promise<T>): Promise<T>;
}

export interface ExecutorOptions {
  database: Database;
  config: PostgresConfig;
  logger: Logger;
  /** Resolves once the start-up role check passed; every call waits for it. */
  ready: () => Promise<void>;
}

/**
 * Catalog rows the current transaction inserted, updated or deleted so far. Every schema change
 * (CREATE, ALTER, DROP, GRANT, COMMENT, TRUNCATE...) writes to the system catalogs; data changes
 * do not. The counters live in the backend, so the database, not a SQL parser, tells them apart.
 */
const CATALOG_CHANGES_SQL = `SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0)::bigint AS changes
  FROM pg_catalog.pg_stat_xact_sys_tables WHERE schemaname = 'pg_catalog'`;

function createSemaphore(size: number): () => Promise<() => void> {
  let available = size;
  const waiting: (() => void)[] = [];
  const release = (): void => {
    const next = waiting.shift();
    if (next === undefined) available++;
    else next();
  };
  return () => {
    if (available > 0) {
      available--;
      return Promise.resolve(release);
    }
    return new Promise((resolve) => waiting.push(() => resolve(release)));
  };
}

export function createExecutor({ database, config, logger, ready }: ExecutorOptions): Executor {
  const acquire = createSemaphore(MAX_CONCURRENT_CALLS);
  const errorContext = (options: TransactionOptions): ErrorContext => ({
    ...(options.sql === undefined ? {} : { sql: options.sql }),
    ...(options.positionOffset === undefined ? {} : { positionOffset: options.positionOffset }),
    statementTimeoutMs: config.limits.statementTimeoutMs,
    allowWrite: config.allowWrite,
    secrets: config.secrets,
  });

  return {
    async run(options, work) {
      const { signal } = options;
      if (signal.aborted) throw new ToolError('The call was cancelled before it started.');
      // What a rollback cannot undo has no place in a call that promises to leave nothing behind.
      const outside =
        options.end === 'rollback' && options.sql !== undefined
          ? outsideEffect(options.sql)
          : undefined;
      if (outside !== undefined) throw new ToolError(outside);
      await ready();
      const release = await acquire();
      if (signal.aborted) {
        release();
        throw new ToolError('The call was cancelled before it started.');
      }
      let connection: DatabaseConnection | undefined;
      let tripped: ReturnType<typeof guardRowSize> | undefined;
      const onAbort = (): void => void connection?.cancel();
      signal.addEventListener('abort', onAbort);
      try {
        connection = await database.connect();
        const { client } = connection;
        tripped = guardRowSize(client.connection.stream, MAX_ROW_WIRE_BYTES);
        if (signal.aborted) throw new ToolError('The call was cancelled.');
        const gateDdl =
          options.mode === 'read-write' && options.end === 'commit' && !config.allowDdl;
        // The last statement takes the snapshot: from then on the transaction stays read-only.
        const begin = await client.query(
          [
            `BEGIN TRANSACTION ${options.mode === 'read-only' ? 'READ ONLY' : 'READ WRITE'}`,
            ...setLocal(database.callSettings),
            gateDdl ? CATALOG_CHANGES_SQL : 'SELECT 1',
          ].join('; '),
        );
        const baseline = gateDdl ? catalogChanges(begin) : 0;
        const result = await work(createTransaction(client, database.callSettings));
        if (options.end === 'commit') {
          if (gateDdl) {
            const after = Number(
              (await client.query<{ changes: unknown }>(CATALOG_CHANGES_SQL)).rows[0]?.changes,
            );
            if (after !== baseline) {
              await client.query('ROLLBACK');
              throw new ToolError(
                'The statement changed the schema (system catalogs), so it was rolled back. This server allows data changes only; schema changes (CREATE, ALTER, DROP, TRUNCATE, GRANT, COMMENT...) need the operator to add --allow-ddl.',
              );
            }
          }
          await client.query('COMMIT');
        } else {
          // Promptly, so locks go now, and so a pooler gets its server session back clean.
          await client.query('ROLLBACK');
        }
        return result;
      } catch (error) {
        if (error instanceof ToolError) throw error;
        const trip = tripped?.();
        if (trip !== undefined) {
          throw new ToolError(
            `A row of the result is ${Math.round(trip.messageBytes / 1048576)} MiB, more than the ${trip.limitBytes / 1048576} MiB this server downloads, so the statement was stopped. Select part of the wide values instead, e.g. left(column, 10000) or length(column).`,
          );
        }
        if (signal.aborted)
          throw new ToolError('The call was cancelled; the statement was stopped on the database.');
        throw toToolError(error, errorContext(options)) ?? error;
      } finally {
        signal.removeEventListener('abort', onAbort);
        // Closing the connection also ends any transaction still open, which rolls it back.
        await connection?.close().catch((error: unknown) => {
          logger.debug('closing a connection failed', { error: String(error) });
        });
        release();
      }
    },
  };
}

/** `SET LOCAL` statements for the call's limits (integers, so nothing needs quoting). */
function setLocal(settings: readonly CallSetting[]): string[] {
  return settings.map(({ name, value }) => `SET LOCAL ${name} = ${Math.trunc(value)}`);
}

function catalogChanges(results: QueryResult | QueryResult[]): number {
  const last = Array.isArray(results) ? results[results.length - 1] : results;
  return Number((last?.rows[0] as { changes?: unknown } | undefined)?.changes ?? 0);
}

/** pg's `queryMode` (missing from its type declarations): `extended` never runs a second statement. */
type ExtendedQuery = QueryConfig<unknown[]> & { queryMode: 'extended' };

function extended(text: string, values: readonly unknown[]): ExtendedQuery {
  return { text, values: [...values], queryMode: 'extended' };
}

function createTransaction(client: Client, settings: readonly CallSetting[]): Transaction {
  return {
    async restoreLimits() {
      await client.query(setLocal(settings).join('; '));
    },
    async query<R extends QueryResultRow>(text: string, values: readonly unknown[] = []) {
      const result = await client.query<R>(extended(text, values));
      return result.rows;
    },
    fetch: (sql, options) => fetchBounded(client, sql, options),
  };
}

type ReadResult = { rows: unknown[][]; result: QueryResult };

function read(cursor: Cursor<unknown[]>, count: number): Promise<ReadResult> {
  return new Promise((resolve, reject) => {
    cursor.read(count, (error, rows, result) => {
      if (error !== undefined && error !== null) reject(error);
      else resolve({ rows, result });
    });
  });
}

/** Longest JSON size one value may take before it is cut, so one cell cannot eat the budget. */
function valueLimit(maxBytes: number, columns: number): number {
  return Math.min(8192, Math.max(256, Math.floor(maxBytes / (2 * Math.max(1, columns)))));
}

function cutValue(value: unknown, limit: number): { value: unknown; cut: boolean } {
  if (value === null || typeof value === 'number' || typeof value === 'boolean')
    return { value, cut: false };
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  if (text.length <= limit / 4 || utf8Length(text) <= limit) return { value, cut: false };
  let end = limit;
  while (utf8Length(text.slice(0, end)) > limit) end = Math.floor(end * 0.8);
  return {
    value: `${text.slice(0, end)}… [cut: ${utf8Length(text)} bytes in all; select substr(...) to read the rest]`,
    cut: true,
  };
}

/** A cursor that refuses COPY data: `pg-cursor` has no handlers for it, and `pg` would throw. */
interface GuardedCursor extends Cursor<unknown[]> {
  copyRefused: boolean;
}

async function openCursor(sql: string): Promise<GuardedCursor> {
  const { default: CursorClass } = await import('pg-cursor');
  class Guarded extends CursorClass<unknown[]> implements GuardedCursor {
    copyRefused = false;

    /** COPY FROM STDIN: fail the copy; the server then reports an error. */
    handleCopyInResponse(connection: Connection): void {
      this.copyRefused = true;
      // sendCopyFail exists on pg's Connection but not in its type declarations.
      const fail: unknown = Reflect.get(connection, 'sendCopyFail');
      if (typeof fail === 'function') fail.call(connection, 'this server does not relay COPY data');
      else connection.stream.destroy();
    }

    /** COPY TO STDOUT: end the connection rather than stream data nobody will read. */
    handleCopyData(_message: unknown, connection: Connection): void {
      if (this.copyRefused) return;
      this.copyRefused = true;
      // Fail the pending read now: the messages still buffered would otherwise end the cursor quietly.
      const handleError: unknown = Reflect.get(this, 'handleError');
      if (typeof handleError === 'function') handleError.call(this, new Error('COPY data refused'));
      connection.stream.destroy();
    }
  }
  return new Guarded(sql, [], { rowMode: 'array', types: typeParsers });
}

async function fetchBounded(
  client: Client,
  sql: string,
  options: FetchOptions,
): Promise<FetchedResult> {
  const cursor = client.query(await openCursor(sql));
  const rows: unknown[][] = [];
  const lines: string[] = [];
  let fields: FieldDef[] = [];
  let bytes = 0;
  let skipped = 0;
  let cutValues = 0;
  let truncated = false;
  let complete = false;
  let command: string | undefined;
  let rowCount: number | undefined;
  let batch = options.offset > 0 ? MAX_BATCH : FIRST_BATCH;
  let failed = false;
  try {
    fetching: for (;;) {
      const { rows: received, result } = await read(cursor, batch);
      fields = result.fields;
      const limit = valueLimit(options.maxBytes, fields.length);
      for (const raw of received) {
        if (skipped < options.offset) {
          skipped++;
          continue;
        }
        const row = raw.map((value) => {
          const { value: kept, cut } = cutValue(value, limit);
          if (cut) cutValues++;
          return kept;
        });
        const line = row.map(cellText).join('\t');
        // Both forms travel: the row in structuredContent and the line in the text block.
        const size = utf8Length(JSON.stringify(row)) + utf8Length(JSON.stringify(line));
        if (
          rows.length >= options.maxRows ||
          (rows.length > 0 && bytes + size > options.maxBytes)
        ) {
          truncated = true;
          break fetching;
        }
        rows.push(row);
        lines.push(line);
        bytes += size;
      }
      if (received.length > 0) options.onProgress?.(skipped + rows.length);
      if (received.length < batch) {
        complete = true;
        command = result.command === null ? undefined : result.command;
        rowCount = result.rowCount ?? undefined;
        break;
      }
      if (skipped >= options.offset && rows.length > 0) {
        const average = bytes / rows.length;
        const wanted = Math.ceil((options.maxBytes - bytes) / Math.max(1, average)) + 1;
        batch = Math.max(1, Math.min(MAX_BATCH, wanted, options.maxRows - rows.length + 1));
      }
    }
  } catch (error) {
    // After an error the portal is gone and the server is ready again: nothing to close.
    failed = true;
    if (cursor.copyRefused) {
      throw new ToolError(
        'COPY ... TO STDOUT and FROM STDIN move data outside the query protocol, which this server does not relay. Use SELECT (format CSV in SQL if needed), or INSERT through execute_sql.',
      );
    }
    throw error;
  } finally {
    if (!complete && !failed) await cursor.close();
  }
  return {
    columns: await columnTypes(client, fields),
    rows,
    lines,
    truncated,
    cutValues,
    command,
    rowCount,
    bytes,
  };
}

/** Column names with their type names; types outside the built-in table are looked up once. */
async function columnTypes(client: Client, fields: readonly FieldDef[]): Promise<Column[]> {
  const names = fields.map((field) =>
    field.dataTypeModifier === -1 ? BUILTIN_TYPE_NAMES.get(field.dataTypeID) : undefined,
  );
  if (names.some((name) => name === undefined)) {
    const { rows } = await client.query<{ name: string }>(
      extended(
        'SELECT format_type(o, NULLIF(m, -1)) AS name FROM unnest($1::oid[], $2::int[]) WITH ORDINALITY AS u(o, m, i) ORDER BY i',
        [fields.map((field) => field.dataTypeID), fields.map((field) => field.dataTypeModifier)],
      ),
    );
    rows.forEach((row, index) => {
      names[index] ??= row.name;
    });
  }
  return fields.map((field, index) => ({ name: field.name, type: names[index] ?? 'unknown' }));
}
