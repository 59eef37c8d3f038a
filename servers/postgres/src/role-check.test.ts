import { createServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createScratchDatabase,
  describeWithDatabase,
  type ScratchDatabase,
} from '../test/support/database.js';
import { startHarness } from '../test/support/harness.js';

describeWithDatabase('roles that can bypass read-only', () => {
  let db: ScratchDatabase;

  beforeAll(async () => {
    db = await createScratchDatabase('roles');
    await db.owner('CREATE TABLE t (x int); INSERT INTO t VALUES (1)');
  });

  afterAll(async () => {
    await db?.drop();
  });

  const refusedFor = async (url: string, reason: RegExp): Promise<void> => {
    const server = await startHarness({ env: { DATABASE_URL: url }, waitReady: false });
    try {
      await expect(server.running.ready()).rejects.toThrow(/Refusing to run/);
      expect(await server.exited).toBe(2);
      expect(server.exits).toEqual([2]);
      expect(server.logs()).toMatch(reason);
      expect(server.logs()).toContain('--allow-privileged-role');
      const call = await server.call('query', { sql: 'SELECT 1' });
      expect(call.isError).toBe(true);
      expect(server.text(call)).toContain('Refusing to run');
    } finally {
      await server.close();
    }
  };

  it('refuses to run as a superuser', async () => {
    await refusedFor(
      db.superuserUrl,
      /ERROR Refusing to run\. The database role "\w+" can bypass read-only: it is a superuser/,
    );
  });

  it('refuses a role that can read server files, write them, or run programs', async () => {
    for (const power of [
      'pg_read_server_files',
      'pg_write_server_files',
      'pg_execute_server_program',
    ]) {
      const { role, url } = await db.createRole(power.slice(3, 13));
      await db.admin(`GRANT ${power} TO "${role}"`);
      await refusedFor(url, new RegExp(`\\(${power}\\)`));
    }
  });

  it('refuses a role that can SET ROLE to a superuser', async () => {
    const admin = await db.createRole('admin', 'SUPERUSER NOLOGIN');
    const { role, url } = await db.createRole('climber');
    await db.admin(`GRANT "${admin.role}" TO "${role}"`);
    await refusedFor(url, /member of the superuser role/);
  });

  it('runs with a loud warning when the operator accepts the privileged role', async () => {
    const server = await startHarness({
      env: { DATABASE_URL: db.superuserUrl },
      args: ['--allow-privileged-role'],
    });
    try {
      expect(server.exits).toEqual([]);
      expect(server.logs()).toMatch(/WARN WARNING: The database role "\w+" can bypass read-only/);
      const result = await server.call('query', { sql: 'SELECT count(*) AS n FROM t' });
      expect(result.structuredContent).toMatchObject({ rows: [[1]] });
      expect(server.text(await server.call('query', { sql: 'DELETE FROM t' }))).toContain('25006');
    } finally {
      await server.close();
    }
  });

  it('starts quietly for an ordinary role and logs who it is connected as', async () => {
    const server = await startHarness({ env: { DATABASE_URL: db.ownerUrl } });
    try {
      expect(server.exits).toEqual([]);
      expect(server.logs()).toContain(`INFO connected database=`);
      expect(server.logs()).toContain(`role=${db.role}`);
      expect(server.logs()).not.toContain('WARN');
      // What the database would still allow the role: the operator's hardening hint.
      expect(server.logs()).toContain(
        `The database lets role "${db.role}" signal other sessions (pg_terminate_backend, pg_cancel_backend)`,
      );
    } finally {
      await server.close();
    }
  });
});

describe('a database that is not reachable yet', () => {
  it('starts, and every call says why it cannot run', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const server = await startHarness({
      env: { DATABASE_URL: `postgresql://nobody@127.0.0.1:${port}/nothing` },
      waitReady: false,
    });
    try {
      for (let attempt = 0; attempt < 2; attempt++) {
        const call = await server.call('query', { sql: 'SELECT 1' });
        expect(call.isError).toBe(true);
        expect(server.text(call)).toContain('Cannot reach the database (ECONNREFUSED)');
      }
      // The check runs beside start-up; the first call waited for it.
      expect(server.logs()).toContain('could not check the database role yet');
      expect(server.exits).toEqual([]);
    } finally {
      await server.close();
    }
  });
});
