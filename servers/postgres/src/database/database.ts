/**
 * @module
 * The one seam between the two kinds of database: a PostgreSQL server reached over the network and
 * PGlite running in this process. Both hand out real `pg` clients (the embedded one speaks the
 * wire protocol through an in-process stream), so everything above this seam (transactions,
 * cursors, error mapping, every tool) runs the same code either way.
 */
import type { Client } from 'pg';

/** A setting every call's transaction applies with `SET LOCAL`, so it holds for that call only. */
export interface CallSetting {
  readonly name: 'statement_timeout' | 'lock_timeout' | 'idle_in_transaction_session_timeout';
  /** Milliseconds. */
  readonly value: number;
}

/** One connection, used for one call and then closed: no state survives from call to call. */
export interface DatabaseConnection {
  readonly client: Client;
  /** Stops the statement running on this connection, on the database side. */
  cancel(): Promise<void>;
  /** Ends the connection; safe to call twice and after a failure. */
  close(): Promise<void>;
}

export interface Database {
  readonly kind: 'server' | 'embedded';
  /**
   * The limits each call sets inside its own transaction. Nothing is sent as a start-up parameter
   * (poolers such as PgBouncer refuse those) and nothing lives in the session (a pooler hands the
   * same server session to other clients between transactions).
   */
  readonly callSettings: readonly CallSetting[];
  /** A connection with no state of its own: everything a call needs, it sets in its transaction. */
  connect(): Promise<DatabaseConnection>;
  /** Stops everything: open connections end, the embedded engine shuts down. */
  close(): Promise<void>;
}

/** The backend key a `pg` client received at start-up (not in pg's type declarations). */
export function backendProcessId(client: Client): number | undefined {
  const value: unknown = Reflect.get(client, 'processID');
  return typeof value === 'number' ? value : undefined;
}
