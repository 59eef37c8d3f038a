import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createScratchDatabase,
  describeWithDatabase,
  type ScratchDatabase,
} from '../test/support/database.js';
import { startHarness, type Harness } from '../test/support/harness.js';
import { outsideEffect } from './outside-effects.js';

describe('effects outside the transaction', () => {
  it.each([
    ["PREPARE TRANSACTION 'slot'", 'two-phase commit'],
    ["commit prepared 'slot'", 'two-phase commit'],
    ['SELECT pg_terminate_backend(123)', 'signalling'],
    ['SELECT pg_catalog.pg_cancel_backend(123)', 'signalling'],
    ['SELECT "pg_terminate_backend"(123)', 'signalling'],
    ['SELECT U&"\\0070g_terminate_backend"(123)', 'signalling'],
    ['SELECT * FROM pg_terminate_backend (123)', 'signalling'],
    ['/* hi */ SELECT/**/pg_terminate_backend(1)', 'signalling'],
    ['DO $$ BEGIN PERFORM pg_terminate_backend(1); END $$', 'signalling'],
    ['DO $body$ BEGIN PERFORM pg_advisory_lock(1); END $body$', 'advisory lock'],
    ['SELECT pg_advisory_lock(1)', 'advisory lock'],
    ['SELECT pg_try_advisory_lock_shared(1, 2)', 'advisory lock'],
    ['LISTEN jobs', 'LISTEN/NOTIFY'],
    ["NOTIFY jobs, 'x'", 'LISTEN/NOTIFY'],
    ["SELECT pg_notify('jobs', 'x')", 'LISTEN/NOTIFY'],
    ['PREPARE leftover AS SELECT 1', 'prepared statements'],
    ['DEALLOCATE ALL', 'prepared statements'],
    ['SELECT pg_stat_reset()', 'server'],
    ["SELECT dblink_exec('dbname=x', 'DELETE FROM t')", 'other databases'],
    ["SELECT pg_create_logical_replication_slot('s', 'pgoutput')", 'server'],
    ['  ; LISTEN x', 'LISTEN/NOTIFY'],
  ])('refuses %s', (sql, what) => {
    expect(outsideEffect(sql)).toContain(what);
  });

  it.each([
    'SELECT 1',
    'SELECT pg_advisory_xact_lock(1)',
    "SELECT 'pg_terminate_backend(1)' AS quoted",
    "SELECT E'it\\'s pg_cancel_backend(' AS escaped",
    '-- pg_terminate_backend(1)\nSELECT 1',
    '/* nested /* pg_terminate_backend(1) */ still comment */ SELECT 1',
    'SELECT pg_terminate_backend_count FROM stats',
    'SELECT pid FROM pg_stat_activity',
    'COMMIT',
    'EXPLAIN SELECT * FROM t WHERE prepare = 1',
    "SELECT nextval('s')",
  ])('lets %s through (the database judges it)', (sql) => {
    expect(outsideEffect(sql)).toBeUndefined();
  });
});

/**
 * The same refusals against the real PostgreSQL, with an application session of the same role
 * beside the server: what the model tries must leave that session, its locks, its prepared
 * transaction slots and its notifications alone, and the server must keep answering.
 */
describeWithDatabase('effects outside the transaction, on a real database', () => {
  let db: ScratchDatabase;
  let server: Harness;
  let app: pg.Client;

  beforeAll(async () => {
    db = await createScratchDatabase('effects');
    await db.owner(`CREATE TABLE jobs (id int); CREATE SEQUENCE ticket;
      CREATE FUNCTION kill(pid int) RETURNS boolean LANGUAGE sql AS 'SELECT pg_terminate_backend(pid)';`);
    server = await startHarness({ env: { DATABASE_URL: db.ownerUrl } });
    app = new pg.Client({ connectionString: db.ownerUrl });
    await app.connect();
  });

  afterAll(async () => {
    await app?.end().catch(() => undefined);
    await server?.close();
    await db?.drop();
  });

  const refusedBecause = async (sql: string, reason: string): Promise<void> => {
    const result = await server.call('query', { sql });
    expect(result.isError, `${sql} should be refused`).toBe(true);
    expect(server.text(result)).toContain(reason);
    await server.client.ping();
  };

  const appPid = async (): Promise<number> =>
    (await app.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;

  it.each([
    'SELECT pg_terminate_backend($PID)',
    'SELECT pg_catalog.pg_cancel_backend($PID)',
    'DO $$ BEGIN PERFORM pg_terminate_backend($PID); END $$',
    'EXPLAIN ANALYZE SELECT pg_terminate_backend($PID)',
  ])('leaves the application session alone: %s', async (template) => {
    await refusedBecause(
      template.replace('$PID', String(await appPid())),
      'signalling other sessions',
    );
    expect((await app.query('SELECT 1 AS alive')).rows).toEqual([{ alive: 1 }]);
  });

  it('refuses a hidden signal through the database once the operator revoked the function', async () => {
    await db.admin('REVOKE EXECUTE ON FUNCTION pg_terminate_backend(integer, bigint) FROM PUBLIC');
    await refusedBecause(`SELECT kill(${await appPid()})`, 'PostgreSQL error 42501');
    expect((await app.query('SELECT 1 AS alive')).rows).toEqual([{ alive: 1 }]);
  });

  it('keeps the prepared-transaction slots free for the application', async () => {
    await refusedBecause("PREPARE TRANSACTION 'model'", 'two-phase commit');
    expect(await db.scalar('SELECT count(*)::int FROM pg_prepared_xacts')).toBe(0);
    await app.query("BEGIN; INSERT INTO jobs VALUES (1); PREPARE TRANSACTION 'app'");
    await app.query("ROLLBACK PREPARED 'app'");
  });

  it('holds no advisory lock past the call; transaction-level locks are allowed', async () => {
    await refusedBecause('SELECT pg_advisory_lock(77)', 'session-level advisory lock');
    const xact = await server.call('query', { sql: 'SELECT pg_advisory_xact_lock(78) AS locked' });
    expect(xact.isError, server.text(xact)).toBeFalsy();
    const { rows } = await app.query<{ a: boolean; b: boolean }>(
      'SELECT pg_try_advisory_lock(77) AS a, pg_try_advisory_lock(78) AS b',
    );
    expect(rows).toEqual([{ a: true, b: true }]);
    await app.query('SELECT pg_advisory_unlock_all()');
  });

  it('sends and listens to no notifications', async () => {
    await app.query('LISTEN jobs');
    await refusedBecause("NOTIFY jobs, 'from the model'", 'LISTEN/NOTIFY');
    await refusedBecause("SELECT pg_notify('jobs', 'from the model')", 'LISTEN/NOTIFY');
    await refusedBecause('LISTEN jobs', 'LISTEN/NOTIFY');
  });

  it('lets the database refuse a sequence advance, leaving the sequence where it was', async () => {
    await refusedBecause("SELECT nextval('ticket')", 'PostgreSQL error 25006');
    expect(await db.scalar('SELECT is_called FROM ticket')).toBe(false);
  });
});
