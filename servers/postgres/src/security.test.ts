import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  createScratchDatabase,
  describeWithDatabase,
  type ScratchDatabase,
} from '../test/support/database.js';
import { eventually } from '../test/support/eventually.js';
import { startHarness, type Harness } from '../test/support/harness.js';

/**
 * Every case of the red-team catalogue's Postgres section (PG-01 ... PG-09), against a real
 * PostgreSQL. The server connects as the role that owns the tables: if read-only failed, it could
 * drop them, so "the table is intact" is a real check.
 */
describeWithDatabase('read-only enforced by the database', () => {
  let db: ScratchDatabase;
  let server: Harness;
  const marker = join(tmpdir(), `server-postgres-pwn-${process.pid}`);

  const usersIntact = async (): Promise<void> => {
    expect(await db.scalar('SELECT count(*)::int AS n FROM public.users')).toBe(3);
  };

  const refused = async (sql: string, code: string): Promise<string> => {
    const result = await server.call('query', { sql });
    expect(result.isError, `${sql} should fail`).toBe(true);
    const text = server.text(result);
    expect(text).toContain(code);
    return text;
  };

  beforeAll(async () => {
    db = await createScratchDatabase('security');
    await db.owner(`CREATE TABLE users (id serial PRIMARY KEY, email text NOT NULL, secret text);
      INSERT INTO users (email, secret) VALUES ('a@x.io', 's1'), ('b@x.io', 's2'), ('c@x.io', 's3');
      CREATE TABLE audit (at timestamptz DEFAULT now(), what text);
      CREATE FUNCTION bump() RETURNS int LANGUAGE plpgsql AS $$ BEGIN INSERT INTO audit (what) VALUES ('bump'); RETURN 1; END $$;
      CREATE PROCEDURE commit_inside() LANGUAGE plpgsql AS $$ BEGIN INSERT INTO audit (what) VALUES ('proc'); COMMIT; END $$;`);
    await db.admin(`CREATE EXTENSION IF NOT EXISTS dblink;
      CREATE FUNCTION public.definer_write() RETURNS int LANGUAGE plpgsql SECURITY DEFINER AS $$ BEGIN DELETE FROM public.users; RETURN 1; END $$;
      GRANT EXECUTE ON FUNCTION public.definer_write() TO PUBLIC;`);
    server = await startHarness({
      env: { DATABASE_URL: db.ownerUrl },
      args: ['--statement-timeout', '2000'],
    });
  });

  afterAll(async () => {
    await server?.close();
    await db?.drop();
  });

  it.each([
    'SELECT 1; COMMIT; DROP TABLE users;',
    'COMMIT; DELETE FROM users',
    'END; DELETE FROM users',
    'ROLLBACK; CREATE ROLE x SUPERUSER',
    'SELECT 1; COMMIT AND CHAIN; UPDATE users SET email = NULL',
    'COMMIT; BEGIN READ WRITE; UPDATE users SET secret = NULL',
    '/* x */ COMMIT; DROP TABLE users',
    '-- x\nCOMMIT;\nDROP TABLE users',
    'SELECT 1;;DELETE FROM users',
  ])('refuses a second statement (PG-01): %s', async (sql) => {
    const text = await refused(sql, '42601');
    expect(text).toContain('cannot insert multiple commands into a prepared statement');
    expect(text).toContain('one statement per call');
    await usersIntact();
  });

  it.each([
    'WITH d AS (DELETE FROM users RETURNING *) SELECT * FROM d',
    'SELECT * INTO stolen FROM users',
    'SELECT * FROM users FOR UPDATE',
    "SELECT nextval('users_id_seq')",
    'EXPLAIN ANALYZE DELETE FROM users',
    '/**/DELETE FROM users',
    'CREATE TEMP TABLE t (x int)',
    'DO $$ BEGIN DELETE FROM users; END $$',
    'SELECT bump()',
    'SELECT definer_write()',
    'TRUNCATE users',
    'GRANT ALL ON users TO PUBLIC',
    'COPY users FROM STDIN',
    "CREATE SERVER loop FOREIGN DATA WRAPPER dblink_fdw OPTIONS (dbname 'x')",
  ])('fails a write that looks like a read with SQLSTATE 25006 (PG-02): %s', async (sql) => {
    const text = await refused(sql, '25006');
    expect(text).toContain('read-only');
    expect(text).toContain('--allow-write');
    await usersIntact();
    expect(await db.scalar('SELECT count(*)::int AS n FROM audit')).toBe(0);
  });

  it('keeps transaction control inside a function or procedure from ending the read-only transaction', async () => {
    await refused('CALL commit_inside()', '25006');
    await refused('DO $$ BEGIN COMMIT; END $$', '2D000');
    expect(await db.scalar('SELECT count(*)::int AS n FROM audit')).toBe(0);
  });

  it('rolls back what a read-only transaction still allows, such as creating a large object', async () => {
    const created = await server.call('query', { sql: 'SELECT lo_create(0) AS oid' });
    expect(created.isError).toBeFalsy();
    expect(await db.scalar('SELECT count(*)::int AS n FROM pg_largeobject_metadata')).toBe(0);
  });

  it('ends a lone COMMIT harmlessly: the next call is read-only again on a new connection', async () => {
    const commit = await server.call('query', { sql: 'COMMIT' });
    expect(commit.isError).toBeFalsy();
    await refused('DELETE FROM users', '25006');
    await usersIntact();
  });

  it('refuses to switch the transaction to read-write once the snapshot is taken', async () => {
    await refused('SET TRANSACTION READ WRITE', '25001');
    await refused("SELECT set_config('transaction_read_only', 'off', true)", '25001');
  });

  it.each([
    'SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE',
    'SET default_transaction_read_only = off',
    "SELECT set_config('default_transaction_read_only', 'off', false)",
    'RESET ALL',
    'SET statement_timeout = 0',
  ])('forgets session settings between calls: %s', async (sql) => {
    const flip = await server.call('query', { sql });
    expect(flip.isError, server.text(flip)).toBeFalsy();
    await refused('DELETE FROM users', '25006');
    await usersIntact();
  });

  it('keeps the statement timeout even when the statement turns it off for itself', async () => {
    const text = await refused(
      "SELECT set_config('statement_timeout', '0', false), pg_sleep(10)",
      '57014',
    );
    expect(text).toContain('2 s limit');
  });

  it('runs every call with the limits set in its own transaction, as the database reports', async () => {
    const result = await server.call('query', {
      sql: `SELECT current_setting('transaction_read_only') AS tx,
              current_setting('statement_timeout') AS st, current_setting('lock_timeout') AS lt,
              current_setting('idle_in_transaction_session_timeout') AS idle`,
    });
    expect(result.structuredContent?.rows).toEqual([['on', '2s', '1s', '1min']]);
  });

  it.each([
    "SELECT pg_read_file('/etc/passwd')",
    "SELECT * FROM pg_read_file('/etc/passwd')",
    "SELECT * FROM pg_ls_dir('.')",
    "SELECT lo_import('/etc/passwd')",
    `SELECT lo_export(0, '${marker}')`,
    `COPY users TO PROGRAM 'touch ${marker}'`,
    `COPY users TO '${marker}'`,
    'SELECT * FROM pg_authid',
  ])(
    'denies file, program and catalog-secret access to an ordinary role with 42501 (PG-02): %s',
    async (sql) => {
      const text = await refused(sql, '42501');
      expect(text).toContain('privilege');
      expect(existsSync(marker)).toBe(false);
    },
  );

  it('cannot write through a dblink connection to the same database (PG-02)', async () => {
    const port = new URL(db.ownerUrl).port || '5432';
    const sql = `SELECT dblink_exec('dbname=${db.name} user=${db.role} password=${db.password} host=127.0.0.1 port=${port}', 'DROP TABLE users')`;
    const result = await server.call('query', { sql });
    expect(result.isError).toBe(true);
    expect(server.text(result)).toMatch(
      /connections to other databases|password|2F003|42501|superuser/i,
    );
    expect(server.text(result)).not.toContain(db.password);
    await usersIntact();
  });

  it('refuses COPY TO STDOUT without losing the connection or the process', async () => {
    const result = await server.call('query', { sql: 'COPY users TO STDOUT' });
    expect(result.isError).toBe(true);
    expect(server.text(result)).toContain('Use SELECT');
    const after = await server.call('query', { sql: 'SELECT count(*) AS n FROM users' });
    expect(after.structuredContent?.rows).toEqual([[3]]);
  });

  it('stops a long statement at the timeout and leaves no backend running (PG-05)', async () => {
    const text = await refused('SELECT pg_sleep(3600) FROM users LIMIT 1', '57014');
    expect(text).toContain('explain_query');
    await refused(
      'WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r',
      '57014',
    );
    // A cancelled backend leaves asynchronously; it must be gone within seconds, not linger.
    await expect
      .poll(
        () =>
          db.scalar(
            `SELECT count(*)::int AS n FROM pg_stat_activity WHERE usename = $1 AND state = 'active'`,
            [db.role],
          ),
        { timeout: 5000, interval: 100 },
      )
      .toBe(0);
  });

  it('gives up on a lock held by another session with lock_not_available (PG-05)', async () => {
    const { default: pg } = await import('pg');
    const locker = new pg.Client({ connectionString: db.superuserUrl });
    await locker.connect();
    try {
      await locker.query('BEGIN; LOCK TABLE public.users IN ACCESS EXCLUSIVE MODE');
      const text = await refused('SELECT * FROM users', '55P03');
      expect(text).toContain('lock');
    } finally {
      await locker.query('ROLLBACK');
      await locker.end();
    }
  });

  it('cuts an endless result at the row limit with truncated and an offset (PG-06)', async () => {
    const result = await server.call('query', { sql: 'SELECT generate_series(1, 200000000) AS n' });
    expect(result.isError).toBeFalsy();
    const data = result.structuredContent as {
      rows: unknown[][];
      truncated: boolean;
      nextOffset: number;
    };
    expect(data.truncated).toBe(true);
    expect(data.rows.length).toBeGreaterThan(0);
    expect(data.rows.length).toBeLessThanOrEqual(1000);
    expect(data.nextOffset).toBe(data.rows.length);
    const next = await server.call('query', {
      sql: 'SELECT generate_series(1, 200000000) AS n',
      offset: data.nextOffset,
    });
    expect((next.structuredContent as { rows: unknown[][] }).rows[0]).toEqual([
      data.nextOffset + 1,
    ]);
  });

  it('keeps a cartesian blow-up and wide rows within the byte budget (PG-06)', async () => {
    for (const sql of [
      'SELECT * FROM users a, users b, users c, generate_series(1, 100000) g',
      "SELECT repeat('x', 1000) FROM generate_series(1, 100000)",
    ]) {
      const result = await server.call('query', { sql });
      expect(result.isError).toBeFalsy();
      const bytes =
        JSON.stringify(result.structuredContent).length + JSON.stringify(result.content).length;
      expect(bytes).toBeLessThan(80 * 1024);
      expect((result.structuredContent as { truncated: boolean }).truncated).toBe(true);
    }
  });

  it('refuses a single giant value before downloading it (PG-06)', async () => {
    const text = await refused("SELECT repeat('x', 20000000)", 'MiB');
    expect(text).toContain('left(column');
    const after = await server.call('query', { sql: 'SELECT 1 AS ok' });
    expect(after.structuredContent?.rows).toEqual([[1]]);
  });

  it('cuts one long value instead of dropping the row', async () => {
    const result = await server.call('query', {
      sql: "SELECT 1 AS id, repeat('y', 1000000) AS big",
    });
    const data = result.structuredContent as { rows: [number, string][]; cutValues: number };
    expect(data.cutValues).toBe(1);
    expect(data.rows[0]![1].length).toBeLessThan(20_000);
    expect(data.rows[0]![1]).toContain('1000000 bytes in all');
  });

  it('treats identifiers in helper tools as data, never as SQL (PG-08)', async () => {
    const injected = await server.call('describe_object', { name: 'users"; DROP TABLE users; --' });
    expect(injected.isError).toBe(true);
    expect(server.text(injected)).toContain('No table, view, sequence or function');
    const schema = await server.call('list_objects', { schema: "public'; DROP TABLE users; --" });
    expect(schema.isError).toBeFalsy();
    expect((schema.structuredContent as { objects: unknown[] }).objects).toEqual([]);
    await usersIntact();
  });

  it('serves odd table names through percent-encoded resource URIs, and nothing for path tricks (PG-08)', async () => {
    await db.owner('CREATE TABLE "we/ird?name" (a int); CREATE TABLE "x/../../y" (b int)');
    const { resources } = await server.client.listResources();
    const uris = resources.map((resource) => resource.uri);
    const weird = uris.find((uri) => uri.endsWith('/we%2Fird%3Fname/schema'));
    expect(weird).toBeDefined();
    const read = await server.client.readResource({ uri: weird! });
    expect(JSON.parse((read.contents[0] as { text: string }).text)).toEqual([
      { column_name: 'a', data_type: 'integer' },
    ]);
    const base = weird!.slice(0, -'we%2Fird%3Fname/schema'.length);
    for (const uri of [
      `${base}x/../../y/schema`,
      `${base}users'%3B%20DROP%20TABLE%20users/schema`,
      `${base}pg_catalog/pg_authid/schema`,
    ]) {
      await expect(server.client.readResource({ uri })).rejects.toThrow();
    }
    await usersIntact();
  });

  it('refuses security switches passed as tool arguments', async () => {
    const result = await server.call('query', { sql: 'DELETE FROM users', readOnly: false });
    expect(result.isError).toBe(true);
    expect(server.text(result)).toContain('readOnly');
    await usersIntact();
  });

  it('closes the connection after every call, so nothing of a session survives', async () => {
    await server.call('query', {
      sql: "SELECT pg_advisory_xact_lock(42), set_config('app.x', '1', false)",
    });
    // Only the unused spare connection may remain: a backend that never ran a statement.
    await eventually(
      async () =>
        (await db.scalar(
          `SELECT count(*)::int FROM pg_stat_activity WHERE usename = $1 AND backend_type = 'client backend' AND query <> ''`,
          [db.role],
        )) === 0,
    );
    expect(await db.scalar(`SELECT count(*)::int FROM pg_locks WHERE locktype = 'advisory'`)).toBe(
      0,
    );
    expect(
      await db.scalar(
        `SELECT count(*)::int FROM pg_stat_activity WHERE usename = $1 AND backend_type = 'client backend'`,
        [db.role],
      ),
    ).toBeLessThanOrEqual(1);
  });

  it('never shows the password in results, resource URIs or logs (PG-09)', async () => {
    const { resources } = await server.client.listResources();
    expect(JSON.stringify(resources)).not.toContain(db.password);
    expect(resources.every((resource) => resource.uri.startsWith(`postgres://${db.role}@`))).toBe(
      true,
    );
    const failing = await server.call('query', { sql: 'SELECT * FROM nowhere' });
    expect(server.text(failing)).not.toContain(db.password);
    expect(server.logs()).not.toContain(db.password);
  });
});

describeWithDatabase('cancellation', () => {
  let db: ScratchDatabase;
  let server: Harness;

  beforeAll(async () => {
    db = await createScratchDatabase('cancel');
    server = await startHarness({
      env: { DATABASE_URL: db.ownerUrl },
      args: ['--statement-timeout', '120000'],
    });
  });

  afterAll(async () => {
    await server?.close();
    await db?.drop();
  });

  const sleeping = (): Promise<unknown> =>
    db.scalar(
      `SELECT count(*)::int FROM pg_stat_activity WHERE usename = $1 AND query LIKE '%pg_sleep(60)%' AND state = 'active'`,
      [db.role],
    );

  it('cancels the statement on the database when the call is cancelled', async () => {
    const controller = new AbortController();
    const call = server.call(
      'query',
      { sql: 'SELECT pg_sleep(60), 1' },
      { signal: controller.signal },
    );
    await eventually(async () => (await sleeping()) === 1);
    controller.abort();
    await expect(call).rejects.toThrow();
    // Without the cancel the statement would sleep for a minute.
    await eventually(async () => (await sleeping()) === 0, 20_000);
    const after = await server.call('query', { sql: 'SELECT 2 AS n' });
    expect(after.structuredContent?.rows).toEqual([[2]]);
  });
});

describeWithDatabase('credentials in connection failures (PG-09)', () => {
  let db: ScratchDatabase;

  beforeAll(async () => {
    db = await createScratchDatabase('leak');
  });

  afterAll(async () => {
    await db?.drop();
  });

  it('reports a refused login, a missing database and an unreachable host without the password', async () => {
    const locked = await db.createRole('locked', 'NOLOGIN');
    const missing = new URL(db.ownerUrl);
    missing.pathname = '/no_such_database';
    const unreachable = new URL(db.ownerUrl);
    unreachable.port = '1';
    const password = new URL(locked.url).password;
    const cases = [
      [locked.url, '28000', password],
      [missing.href, '3D000', db.password],
      [unreachable.href, 'ECONNREFUSED', db.password],
    ] as const;
    for (const [url, code, secret] of cases) {
      const server = await startHarness({ args: [url] });
      try {
        const result = await server.call('query', { sql: 'SELECT 1' });
        expect(result.isError).toBe(true);
        expect(server.text(result)).toContain(code);
        expect(server.text(result)).not.toContain(secret);
        expect(server.logs()).not.toContain(secret);
        expect(server.logs()).toContain('process list');
      } finally {
        await server.close();
      }
    }
  });
});
