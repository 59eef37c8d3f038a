import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../../../test/support/harness.js';

const STARTUP_MS = 240_000;

/**
 * The embedded engine (PGlite in a worker) behind the same tools. These tests need no PostgreSQL
 * installation. A data directory keeps them fast: after the first start, reopening takes well
 * under a second, so the restarts that stop runaway statements are cheap.
 */
describe('embedded PostgreSQL', () => {
  let dir: string;
  let server: Harness;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'server-postgres-embedded-'));
    server = await startHarness({
      args: [
        '--embedded',
        '--allow-write',
        '--allow-ddl',
        '--statement-timeout',
        '3000',
        join(dir, 'db'),
      ],
    });
  }, STARTUP_MS);

  afterAll(async () => {
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('runs real PostgreSQL in the process, reached through the same tools', async () => {
    const created = await server.call('execute_sql', {
      sql: 'CREATE TABLE pets (id serial PRIMARY KEY, name text NOT NULL, born date)',
    });
    expect(created.isError, server.text(created)).toBeFalsy();
    const inserted = await server.call('execute_sql', {
      sql: "INSERT INTO pets (name, born) VALUES ('Rex', '2020-01-02'), ('Tom', NULL) RETURNING id",
    });
    expect(inserted.structuredContent).toMatchObject({
      command: 'INSERT',
      affectedRows: 2,
      rows: [[1], [2]],
    });
    const rows = await server.call('query', {
      sql: 'SELECT name, born, version() LIKE $$%PGlite%$$ AS embedded FROM pets ORDER BY id',
    });
    expect(rows.structuredContent).toMatchObject({
      columns: [
        { name: 'name', type: 'text' },
        { name: 'born', type: 'date' },
        { name: 'embedded', type: 'boolean' },
      ],
      rows: [
        ['Rex', '2020-01-02', true],
        ['Tom', null, true],
      ],
    });
  });

  it('enforces read-only and one statement per call exactly as a server does', async () => {
    expect(server.text(await server.call('query', { sql: 'DELETE FROM pets' }))).toContain('25006');
    expect(
      server.text(await server.call('query', { sql: 'SELECT 1; COMMIT; DROP TABLE pets' })),
    ).toContain('42601');
    expect(
      server.text(await server.call('query', { sql: 'SET TRANSACTION READ WRITE' })),
    ).toContain('25001');
    const count = await server.call('query', { sql: 'SELECT count(*) AS n FROM pets' });
    expect(count.structuredContent).toMatchObject({ rows: [[2]] });
  });

  it('stops a runaway statement at the timeout, restarts the engine, and keeps the data', async () => {
    const result = await server.call('query', { sql: 'SELECT pg_sleep(120)' });
    expect(result.isError).toBe(true);
    expect(server.text(result)).toContain('57014');
    expect(server.text(result)).toContain('3 s limit');
    expect(server.logs()).toContain('embedded database restarted to stop a statement');
    const after = await server.call('query', { sql: 'SELECT count(*) AS n FROM pets' });
    expect(after.structuredContent).toMatchObject({ rows: [[2]] });
  });

  it('cancels a running statement when the call is cancelled', async () => {
    const controller = new AbortController();
    const call = server.call(
      'query',
      { sql: 'SELECT pg_sleep(120)' },
      { signal: controller.signal },
    );
    setTimeout(() => controller.abort(), 500);
    await expect(call).rejects.toThrow();
    const after = await server.call('query', { sql: "SELECT 'alive' AS state" });
    expect(after.structuredContent).toMatchObject({ rows: [['alive']] });
    expect(server.logs()).toContain('canceling statement due to user request');
  });

  it('gives each call a clean session: settings and locks do not carry over', async () => {
    await server.call('query', {
      sql: "SELECT set_config('app.marker', 'left over', false), pg_advisory_xact_lock(7)",
    });
    // Named prepared statements would outlive the call; the read-only tool refuses them.
    expect(
      server.text(await server.call('query', { sql: 'PREPARE leftover AS SELECT 1' })),
    ).toContain('prepared statements');
    const next = await server.call('query', {
      sql: "SELECT coalesce(current_setting('app.marker', true), '') AS marker, (SELECT count(*) FROM pg_locks WHERE locktype = 'advisory') AS locks",
    });
    expect(next.structuredContent).toMatchObject({ rows: [['', 0]] });
    expect(server.text(await server.call('query', { sql: 'EXECUTE leftover' }))).toContain('26000');
  });

  it('serves the schema tools and resources from the embedded catalog', async () => {
    const described = await server.call('describe_object', { name: 'pets' });
    expect(described.structuredContent).toMatchObject({ schema: 'public', type: 'table' });
    const { resources } = await server.client.listResources();
    expect(resources.map((resource) => resource.uri)).toContain('postgres://embedded/pets/schema');
  });

  it(
    'keeps a data directory across server restarts',
    async () => {
      await server.close();
      server = await startHarness({ args: ['--embedded', join(dir, 'db')] });
      const rows = await server.call('query', { sql: 'SELECT name FROM pets ORDER BY id' });
      expect(rows.structuredContent).toMatchObject({ rows: [['Rex'], ['Tom']] });
      const { tools } = await server.client.listTools();
      expect(tools.map((tool) => tool.name)).not.toContain('execute_sql');
    },
    STARTUP_MS,
  );
});
