import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  createScratchDatabase,
  describeWithDatabase,
  type ScratchDatabase,
} from '../../test/support/database.js';
import { startHarness, type Harness } from '../../test/support/harness.js';

interface AdviceData {
  proposals: { definition: string; estimatedBytes: number; helps: number[] }[];
  queries: {
    sql: string;
    costWithout: number;
    costWith: number;
    planWithout: string;
    planWith: string;
  }[];
  truncated: boolean;
}

describeWithDatabase('index advice', () => {
  let db: ScratchDatabase;
  let server: Harness;
  let hypopg = false;

  beforeAll(async () => {
    db = await createScratchDatabase('advice');
    await db.owner(`CREATE TABLE orders (id int PRIMARY KEY, customer int, status text, note text);
      INSERT INTO orders SELECT g, g % 5000, CASE WHEN g % 50 = 0 THEN 'open' ELSE 'done' END, 'n'
        FROM generate_series(1, 50000) g;
      ANALYZE orders;`);
    try {
      await db.admin('CREATE EXTENSION hypopg');
      hypopg = true;
    } catch {
      process.stderr.write(
        'NOTE: hypopg is not installed here; the index advice tests check the refusal instead\n',
      );
    }
    server = await startHarness({ env: { DATABASE_URL: db.ownerUrl } });
  });

  afterAll(async () => {
    await server?.close();
    await db?.drop();
  });

  it('proposes the index a filtered query needs, with plans and costs without and with it', async () => {
    const result = await server.call('analyze_query_indexes', {
      queries: [
        'SELECT id FROM orders WHERE customer = 42',
        "SELECT * FROM orders WHERE note = 'n'",
      ],
    });
    if (!hypopg) {
      expect(server.text(result)).toContain('hypopg extension');
      return;
    }
    expect(result.isError, server.text(result)).toBeFalsy();
    const data = result.structuredContent as unknown as AdviceData;
    expect(data.proposals.map((proposal) => proposal.definition)).toEqual([
      'CREATE INDEX ON "public"."orders" ("customer")',
    ]);
    expect(data.proposals[0]!.helps).toEqual([1]);
    expect(data.proposals[0]!.estimatedBytes).toBeGreaterThan(0);
    const [filtered, everything] = data.queries;
    expect(filtered!.planWithout).toContain('Seq Scan on orders');
    expect(filtered!.planWith).toMatch(/Index Scan on "<\d+>btree_orders_customer"/);
    expect(filtered!.costWith).toBeLessThan(filtered!.costWithout * 0.9);
    // Every row matches: no index helps, and the plan stays the same.
    expect(everything!.planWith).toBe(everything!.planWithout);
    // Nothing was created, and nothing hypothetical is left in a session.
    expect(await db.scalar("SELECT count(*)::int FROM pg_indexes WHERE tablename = 'orders'")).toBe(
      1,
    );
    const explained = await server.call('explain_query', {
      sql: 'SELECT id FROM orders WHERE customer = 42',
    });
    expect(server.text(explained)).toContain('Seq Scan on orders');
  });

  it('refuses queries with effects outside the transaction', async () => {
    const result = await server.call('analyze_query_indexes', {
      queries: ['SELECT 1', 'SELECT pg_terminate_backend(1)'],
    });
    expect(result.isError).toBe(true);
    expect(server.text(result)).toContain('Query 2: Refused pg_terminate_backend()');
  });

  it('analyses the costliest queries of the workload, or says why it cannot', async () => {
    const result = await server.call('analyze_workload_indexes', { limit: 3 });
    expect(result.isError).toBe(true);
    // pg_stat_statements is not installed in this scratch database.
    expect(server.text(result)).toMatch(/pg_stat_statements extension|hypopg extension/);
  });
});

/**
 * The workload path end to end: pg_stat_statements preloaded (the test cluster starts with it)
 * and installed in this database, a workload run by the application role, then the tool. Before
 * PostgreSQL 16 the recorded queries must plan without values, and pg_stat_statements turns every
 * constant into `$n`: the workload filters on `pg_backend_pid()`, a stable function, so its text
 * keeps no parameter and the planner still estimates one customer's rows.
 */
describeWithDatabase('index advice for the recorded workload', () => {
  const SLOW = 'SELECT id, status FROM orders WHERE customer = pg_backend_pid()';
  let db: ScratchDatabase;
  let server: Harness;
  let missing: string | undefined;

  beforeAll(async () => {
    db = await createScratchDatabase('workload');
    await db.owner(`CREATE TABLE orders (id int PRIMARY KEY, customer int, status text);
      INSERT INTO orders SELECT g, g % 5000, 'done' FROM generate_series(1, 50000) g;
      ANALYZE orders;`);
    await db.admin('CREATE EXTENSION pg_stat_statements');
    const preloaded = await db.scalar(
      "SELECT current_setting('shared_preload_libraries') LIKE '%pg_stat_statements%'",
    );
    if (preloaded !== true) missing = 'pg_stat_statements is not preloaded on this cluster';
    try {
      await db.admin('CREATE EXTENSION hypopg');
    } catch {
      missing ??= 'hypopg is not installed here';
    }
    if (missing !== undefined)
      process.stderr.write(`NOTE: ${missing}; the workload advice test checks the refusal\n`);
    // The costliest statement of this database by total time: 20 sequential scans of 50,000 rows.
    if (missing === undefined) for (let i = 0; i < 20; i++) await db.owner(SLOW);
    server = await startHarness({ env: { DATABASE_URL: db.ownerUrl } });
  });

  afterAll(async () => {
    await server?.close();
    await db?.drop();
  });

  it('proposes the index the costliest recorded query needs, with both plans', async () => {
    const result = await server.call('analyze_workload_indexes', { limit: 3 });
    if (missing !== undefined) {
      expect(result.isError).toBe(true);
      expect(server.text(result)).toMatch(/shared_preload_libraries|hypopg extension/);
      return;
    }
    expect(result.isError, server.text(result)).toBeFalsy();
    const data = result.structuredContent as unknown as AdviceData;
    const slow = data.queries.findIndex((query) => query.sql === SLOW);
    expect(slow, server.text(result)).toBeGreaterThanOrEqual(0);
    const proposal = data.proposals.find(
      (each) => each.definition === 'CREATE INDEX ON "public"."orders" ("customer")',
    );
    expect(proposal, server.text(result)).toBeDefined();
    expect(proposal!.helps).toContain(slow + 1);
    const query = data.queries[slow]!;
    expect(query.planWithout).toContain('Seq Scan on orders');
    expect(query.planWith).toMatch(/Index Scan on "<\d+>btree_orders_customer"/);
    expect(query.costWith).toBeLessThan(query.costWithout * 0.9);
    // Hypothetical only: the table still has just its primary key.
    expect(await db.scalar("SELECT count(*)::int FROM pg_indexes WHERE tablename = 'orders'")).toBe(
      1,
    );
  });
});
