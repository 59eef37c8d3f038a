import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createScratchDatabase,
  describeWithPooler,
  throughPooler,
  type ScratchDatabase,
} from '../../test/support/database.js';
import { eventually } from '../../test/support/eventually.js';
import { startHarness, type Harness } from '../../test/support/harness.js';

/**
 * The server behind PgBouncer, the common production set-up and the shape of hosted poolers. In
 * transaction mode consecutive transactions of one client may run on different server sessions,
 * and the pooler refuses start-up parameters it does not know.
 */
describeWithPooler('through PgBouncer', () => {
  let db: ScratchDatabase;

  beforeAll(async () => {
    db = await createScratchDatabase('pooler');
    await db.owner('CREATE TABLE t (x int); INSERT INTO t VALUES (1), (2)');
  });

  afterAll(async () => {
    await db?.drop();
  });

  describe.each(['session', 'transaction'] as const)('in %s mode', (mode) => {
    let server: Harness;

    beforeAll(async () => {
      server = await startHarness({
        env: { DATABASE_URL: throughPooler(db.ownerUrl, mode) },
        args: ['--statement-timeout', '60000'],
      });
    });

    afterAll(async () => {
      await server?.close();
    });

    it('is the strict pooler of the report: start-up settings are refused', async () => {
      const client = new pg.Client({
        connectionString: throughPooler(db.ownerUrl, mode),
        statement_timeout: 1000,
      });
      client.on('error', () => undefined);
      await expect(client.connect()).rejects.toThrow(/unsupported startup parameter/);
    });

    it('answers queries, with the limits set in each call', async () => {
      const result = await server.call('query', {
        sql: "SELECT count(*)::int AS n, current_setting('statement_timeout') AS timeout, current_setting('transaction_read_only') AS ro FROM t",
      });
      expect(result.isError, server.text(result)).toBeFalsy();
      expect(result.structuredContent).toMatchObject({ rows: [[2, '1min', 'on']] });
    });

    it('keeps read-only, and lets no session setting reach the next call', async () => {
      const refused = await server.call('query', { sql: 'DELETE FROM t' });
      expect(server.text(refused)).toContain('PostgreSQL error 25006');
      for (let round = 0; round < 3; round++) {
        await server.call('query', { sql: "SELECT set_config('app.leak', 'left over', false)" });
        await server.call('query', { sql: 'SET statement_timeout = 0' });
        const next = await server.call('query', {
          sql: "SELECT coalesce(current_setting('app.leak', true), '') AS leak, current_setting('statement_timeout') AS timeout",
        });
        expect(next.structuredContent).toMatchObject({ rows: [['', '1min']] });
      }
      expect(await db.scalar('SELECT count(*)::int FROM t')).toBe(2);
    });

    it('stops a statement at the timeout with the PostgreSQL error', async () => {
      const short = await startHarness({
        env: { DATABASE_URL: throughPooler(db.ownerUrl, mode) },
        args: ['--statement-timeout', '1000'],
      });
      try {
        const result = await short.call('query', { sql: 'SELECT pg_sleep(30)' });
        expect(result.isError).toBe(true);
        expect(short.text(result)).toContain(
          'PostgreSQL error 57014 (query_canceled): canceling statement due to statement timeout',
        );
      } finally {
        await short.close();
      }
    });

    const sleeping = (): Promise<unknown> =>
      db.scalar(
        `SELECT count(*)::int FROM pg_stat_activity WHERE usename = $1 AND query LIKE '%pg_sleep(50)%' AND state = 'active'`,
        [db.role],
      );

    it('cancels the statement on the database when the call is cancelled', async () => {
      // Well under the one-minute timeout: only the cancel request can stop it this soon.
      const controller = new AbortController();
      const call = server.call(
        'query',
        { sql: 'SELECT pg_sleep(50)' },
        { signal: controller.signal },
      );
      await eventually(async () => (await sleeping()) === 1);
      controller.abort();
      await expect(call).rejects.toThrow();
      await eventually(async () => (await sleeping()) === 0, 20_000);
      await server.client.ping();
      const after = await server.call('query', { sql: 'SELECT 2 AS n' });
      expect(after.structuredContent).toMatchObject({ rows: [[2]] });
    });

    it('runs the role check the same way: a superuser is refused, with the reason', async () => {
      const superuser = await db.createRole(`su_${mode}`, 'LOGIN SUPERUSER');
      const refused = await startHarness({
        env: { DATABASE_URL: throughPooler(superuser.url, mode) },
        waitReady: false,
      });
      try {
        await expect(refused.running.ready()).rejects.toThrow(/Refusing to run/);
        expect(await refused.exited).toBe(2);
        expect(refused.exits).toEqual([2]);
        expect(refused.logs()).toContain('is a superuser');
      } finally {
        await refused.close();
      }
    });
  });
});
