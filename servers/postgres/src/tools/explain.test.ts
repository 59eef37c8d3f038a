import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  createScratchDatabase,
  describeWithDatabase,
  type ScratchDatabase,
} from '../../test/support/database.js';
import { startHarness, type Harness } from '../../test/support/harness.js';

interface Explained {
  plan: string;
  format: string;
  analyzed: boolean;
  rolledBack: boolean;
  totalCost?: number;
  costWithoutHypotheticalIndexes?: number;
  hypotheticalIndexes?: { definition: string; name: string; used: boolean }[];
}

describeWithDatabase('explain_query', () => {
  let db: ScratchDatabase;
  let server: Harness;
  let hypopg = false;

  beforeAll(async () => {
    db = await createScratchDatabase('explain');
    await db.owner(`CREATE TABLE events (id int PRIMARY KEY, kind text, at timestamptz);
      INSERT INTO events SELECT g, 'k' || (g % 100), now() FROM generate_series(1, 20000) g;
      ANALYZE events;`);
    try {
      await db.admin('CREATE EXTENSION hypopg');
      hypopg = true;
    } catch {
      process.stderr.write(
        'NOTE: hypopg is not installed here; the hypothetical-index plan test checks the refusal instead\n',
      );
    }
    server = await startHarness({ env: { DATABASE_URL: db.ownerUrl } });
  });

  afterAll(async () => {
    await server?.close();
    await db?.drop();
  });

  it('shows the plan as text with its estimated cost', async () => {
    const result = await server.call('explain_query', {
      sql: "SELECT * FROM events WHERE kind = 'k7'",
    });
    const data = result.structuredContent as unknown as Explained;
    expect(data.plan).toMatch(/^Seq Scan on events/);
    expect(data).toMatchObject({ format: 'text', analyzed: false, rolledBack: true });
    expect(data.totalCost).toBeGreaterThan(0);
  });

  it('returns the JSON plan on request', async () => {
    const result = await server.call('explain_query', {
      sql: 'SELECT * FROM events WHERE id = 5',
      format: 'json',
    });
    const data = result.structuredContent as unknown as Explained;
    const plan = JSON.parse(data.plan) as [{ Plan: { 'Node Type': string } }];
    expect(plan[0].Plan['Node Type']).toBe('Index Scan');
  });

  it('measures a read with ANALYZE inside the read-only transaction', async () => {
    const result = await server.call('explain_query', {
      sql: 'SELECT count(*) FROM events',
      analyze: true,
    });
    const data = result.structuredContent as unknown as Explained;
    expect(data.analyzed).toBe(true);
    expect(data.plan).toContain('actual time=');
    expect(data.plan).toContain('Execution Time');
  });

  it('refuses ANALYZE of a write when writes are not allowed, and changes nothing', async () => {
    const result = await server.call('explain_query', { sql: 'DELETE FROM events', analyze: true });
    expect(result.isError).toBe(true);
    expect(server.text(result)).toContain('25006');
    expect(await db.scalar('SELECT count(*)::int FROM events')).toBe(20000);
  });

  it('runs ANALYZE of a write only when writes are allowed, and rolls it back', async () => {
    const writable = await startHarness({
      env: { DATABASE_URL: db.ownerUrl },
      args: ['--allow-write'],
    });
    try {
      const result = await writable.call('explain_query', {
        sql: 'DELETE FROM events WHERE id <= 10',
        analyze: true,
      });
      const data = result.structuredContent as unknown as Explained;
      expect(data.plan).toContain('Delete on events');
      expect(data.plan).toContain('actual');
      expect(data.rolledBack).toBe(true);
      expect(await db.scalar('SELECT count(*)::int FROM events')).toBe(20000);
    } finally {
      await writable.close();
    }
  });

  it('marks the error position in the statement, not in the EXPLAIN around it', async () => {
    const result = await server.call('explain_query', { sql: 'SELECT nope FROM events' });
    expect(server.text(result)).toContain(
      'at line 1, column 8:\n  SELECT nope FROM events\n         ^',
    );
  });

  it('refuses a statement that already starts with EXPLAIN, and more than one statement', async () => {
    expect(server.text(await server.call('explain_query', { sql: 'EXPLAIN SELECT 1' }))).toContain(
      'without EXPLAIN',
    );
    expect(
      server.text(await server.call('explain_query', { sql: 'SELECT 1; DROP TABLE events' })),
    ).toContain('42601');
    expect(await db.scalar("SELECT to_regclass('public.events') IS NOT NULL")).toBe(true);
  });

  it('plans with hypothetical indexes when hypopg is installed, and says how to get it when not', async () => {
    const result = await server.call('explain_query', {
      sql: "SELECT * FROM events WHERE kind = 'k7'",
      hypotheticalIndexes: [{ table: 'events', columns: ['kind'] }],
    });
    if (!hypopg) {
      expect(result.isError).toBe(true);
      expect(server.text(result)).toContain('CREATE EXTENSION hypopg');
      return;
    }
    const data = result.structuredContent as unknown as Explained;
    expect(data.hypotheticalIndexes).toEqual([
      {
        definition: 'CREATE INDEX ON "public"."events" USING btree ("kind")',
        name: expect.stringContaining('events'),
        used: true,
      },
    ]);
    expect(data.totalCost).toBeLessThan(data.costWithoutHypotheticalIndexes!);
    expect(server.text(result)).toContain('Used: CREATE INDEX');
    expect(await db.scalar("SELECT count(*)::int FROM pg_indexes WHERE tablename = 'events'")).toBe(
      1,
    );
  });

  it('does not combine hypothetical indexes with ANALYZE', async () => {
    const result = await server.call('explain_query', {
      sql: 'SELECT 1',
      analyze: true,
      hypotheticalIndexes: [{ table: 'events', columns: ['kind'] }],
    });
    expect(server.text(result)).toContain('analyze: false');
  });
});
