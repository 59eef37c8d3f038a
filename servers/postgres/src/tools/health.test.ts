import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  createScratchDatabase,
  describeWithDatabase,
  type ScratchDatabase,
} from '../../test/support/database.js';
import { startHarness, type Harness } from '../../test/support/harness.js';

interface Check {
  name: string;
  status: string;
  summary: string;
  findings: string[];
}

describeWithDatabase('database health', () => {
  let db: ScratchDatabase;
  let server: Harness;

  beforeAll(async () => {
    db = await createScratchDatabase('health');
    await db.owner(`CREATE TABLE churn (id int PRIMARY KEY, v text);
      CREATE INDEX churn_v ON churn (v);
      CREATE INDEX churn_v_again ON churn (v);
      INSERT INTO churn SELECT g, 'x' FROM generate_series(1, 5000) g;
      CREATE TABLE unanalyzed (id int);
      INSERT INTO unanalyzed SELECT generate_series(1, 3000);`);
    await db.owner('DELETE FROM churn WHERE id > 1000');
    await db.admin('SELECT pg_stat_force_next_flush()').catch(() => undefined);
    server = await startHarness({ env: { DATABASE_URL: db.ownerUrl } });
  });

  afterAll(async () => {
    await server?.close();
    await db?.drop();
  });

  const check = async (name: string): Promise<Check> => {
    const result = await server.call('check_database_health', { checks: [name] });
    const checks = (result.structuredContent as { checks: Check[] }).checks;
    expect(checks).toHaveLength(1);
    return checks[0]!;
  };

  it('reports duplicate and unused indexes by name', async () => {
    const indexes = await check('indexes');
    expect(indexes.status).toBe('warning');
    expect(indexes.findings).toContain(
      'duplicate indexes on public.churn: churn_v, churn_v_again (keep one)',
    );
    expect(
      indexes.findings.some((finding) => finding.startsWith('unused index public.churn_v ')),
    ).toBe(true);
  });

  it('estimates bloat from dead rows', async () => {
    const bloat = await check('bloat');
    expect(bloat.status).toBe('warning');
    expect(bloat.findings[0]).toMatch(/^public\.churn: 4000 dead of 5000 rows \(80%\)/);
  });

  it('reports a sequence near the limit of the int column it feeds', async () => {
    await db.owner(`CREATE TABLE tickets (id serial PRIMARY KEY, roomy bigserial);
      SELECT setval('tickets_id_seq', 2000000000), setval('tickets_roomy_seq', 2000000000)`);
    const sequences = await check('sequences');
    expect(sequences.status).toBe('critical');
    expect(sequences.findings).toEqual([
      'public.tickets_id_seq: at 2000000000 of 2147483647 (93.1%; widen the column to bigint before it runs out)',
    ]);
  });

  it('reports constraints added NOT VALID and never validated', async () => {
    await db.owner(`CREATE TABLE checked (n int); INSERT INTO checked VALUES (-1);
      ALTER TABLE checked ADD CONSTRAINT positive CHECK (n > 0) NOT VALID`);
    const constraints = await check('constraints');
    expect(constraints.status).toBe('warning');
    expect(constraints.findings).toContain(
      'check positive on public.checked (ALTER TABLE ... VALIDATE CONSTRAINT checks the existing rows)',
    );
  });

  it('shows login roles, superusers and tables open to PUBLIC without row-level security', async () => {
    await db.owner(`CREATE TABLE open_to_all (x int); GRANT SELECT, INSERT ON open_to_all TO PUBLIC;
      CREATE TABLE guarded (x int); GRANT SELECT ON guarded TO PUBLIC; ALTER TABLE guarded ENABLE ROW LEVEL SECURITY`);
    const security = await check('security');
    expect(security.status).toBe('warning');
    expect(security.findings).toContain(
      'public.open_to_all grants INSERT, SELECT to PUBLIC (every role) with row-level security off',
    );
    expect(security.findings.join('\n')).not.toContain('guarded');
    expect(security.findings).toContain('superuser postgres can log in');
    expect(security.findings).toContain(`role ${db.role} can log in`);
  });

  it('reports an inactive replication slot holding WAL, and no replicas', async () => {
    const slot = `${db.name}_slot`;
    await db.admin(`SELECT pg_create_physical_replication_slot('${slot}', true)`);
    try {
      const replication = await check('replication');
      expect(replication.summary).toMatch(
        /^Primary: 0 connected replica\(s\), \d+ inactive slot\(s\)\.$/,
      );
      expect(replication.findings.join('\n')).toContain(
        `inactive physical replication slot ${slot} holds`,
      );
    } finally {
      await db.admin(`SELECT pg_drop_replication_slot('${slot}')`);
    }
  });

  it('reports connection use, cache hit rates and vacuum state', async () => {
    const result = await server.call('check_database_health', {});
    const checks = (result.structuredContent as { checks: Check[] }).checks;
    expect(checks.map((each) => each.name)).toEqual([
      'connections',
      'cache',
      'vacuum',
      'bloat',
      'indexes',
      'replication',
      'sequences',
      'constraints',
      'security',
    ]);
    expect(checks[0]!.summary).toMatch(/^\d+ of \d+ connections in use/);
    expect(checks[1]!.summary).toMatch(/^Buffer cache hit rate: tables /);
    expect(checks[2]!.summary).toMatch(/^Transaction ID age \d+/);
    expect(checks[2]!.findings).toContain(
      'public.unanalyzed: ~3000 rows, never analyzed (the planner guesses)',
    );
    expect(server.text(result)).toMatch(/^connections: (OK|WARNING|CRITICAL) /);
  });

  it('reports progress check by check when the client asks for it', async () => {
    const seen: number[] = [];
    await server.client.callTool({ name: 'check_database_health', arguments: {} }, undefined, {
      onprogress: (progress) => seen.push(progress.progress),
    });
    // The SDK client drops the notification that arrives last, just before the result.
    expect(seen.slice(0, 4)).toEqual([1, 2, 3, 4]);
  });
});

describeWithDatabase('top queries', () => {
  let db: ScratchDatabase;
  let server: Harness;
  let available = false;

  beforeAll(async () => {
    db = await createScratchDatabase('topq');
    server = await startHarness({ env: { DATABASE_URL: db.ownerUrl } });
  });

  afterAll(async () => {
    await server?.close();
    await db?.drop();
  });

  it('explains how to enable pg_stat_statements when it is not installed', async () => {
    const result = await server.call('list_top_queries', {});
    expect(result.isError).toBe(true);
    expect(server.text(result)).toContain('shared_preload_libraries');
    expect(server.text(result)).toContain('CREATE EXTENSION pg_stat_statements');
  });

  it('lists the costliest statements of this database when pg_stat_statements is loaded', async () => {
    await db.admin('CREATE EXTENSION pg_stat_statements');
    available =
      (await db.scalar(
        "SELECT current_setting('shared_preload_libraries') LIKE '%pg_stat_statements%'",
      )) === true;
    const result = await server.call('list_top_queries', { sortBy: 'calls', limit: 5 });
    if (!available) {
      process.stderr.write(
        'NOTE: pg_stat_statements is not preloaded on this cluster; checking the error instead\n',
      );
      expect(server.text(result)).toContain('shared_preload_libraries');
      return;
    }
    for (let i = 0; i < 3; i++)
      await db.owner('SELECT count(*) FROM pg_class WHERE relname = $1', ['marker_query']);
    const ranked = await server.call('list_top_queries', { sortBy: 'calls', limit: 50 });
    const queries = (ranked.structuredContent as { queries: { query: string; calls: number }[] })
      .queries;
    const marker = queries.find((entry) => entry.query.includes('relname = $1'));
    expect(marker?.calls).toBeGreaterThanOrEqual(3);
    expect(server.text(ranked)).toMatch(/^1\. \d+ calls/);
  });
});
