import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  createScratchDatabase,
  describeWithDatabase,
  type ScratchDatabase,
} from '../../test/support/database.js';
import { startHarness, type Harness } from '../../test/support/harness.js';

interface AdviceData {
  proposals: { definition: string; estimatedBytes: number; helps: number[] }[];
  queries: { costWithout: number; costWith: number; planWithout: string; planWith: string }[];
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
    // Here pg_stat_statements is not installed in the scratch database, or (before PostgreSQL 16)
    // its normalised queries carry parameters that cannot be planned without their values.
    expect(server.text(result)).toMatch(
      /pg_stat_statements extension|no query to analyse|hypopg extension/,
    );
  });
});
