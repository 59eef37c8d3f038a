import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createScratchDatabase,
  describeWithDatabase,
  type ScratchDatabase,
} from '../../test/support/database.js';
import { startHarness, type Harness } from '../../test/support/harness.js';

interface Outcome {
  statements: { index: number; command?: string; affectedRows?: number; rows: unknown[][] }[];
  committed: boolean;
}

describeWithDatabase('run_sql_transaction', () => {
  let db: ScratchDatabase;
  let server: Harness;

  const balances = async (): Promise<unknown> =>
    (await db.admin('SELECT name, balance FROM accounts ORDER BY name')).rows;

  beforeAll(async () => {
    db = await createScratchDatabase('transaction');
    await db.owner(`CREATE TABLE accounts (name text PRIMARY KEY, balance int NOT NULL CHECK (balance >= 0));
      INSERT INTO accounts VALUES ('alice', 100), ('bob', 0)`);
    server = await startHarness({
      env: { DATABASE_URL: db.ownerUrl },
      args: ['--allow-write', '--statement-timeout', '1000'],
    });
  });

  afterAll(async () => {
    await server?.close();
    await db?.drop();
  });

  it('commits every statement together and reports each one', async () => {
    const result = await server.call('run_sql_transaction', {
      sqlStatements: [
        "UPDATE accounts SET balance = balance - 30 WHERE name = 'alice'",
        "UPDATE accounts SET balance = balance + 30 WHERE name = 'bob' RETURNING balance",
      ],
    });
    expect(result.isError, server.text(result)).toBeFalsy();
    expect(result.structuredContent as unknown as Outcome).toMatchObject({
      committed: true,
      statements: [
        { index: 1, command: 'UPDATE', affectedRows: 1 },
        { index: 2, command: 'UPDATE', affectedRows: 1, rows: [[30]] },
      ],
    });
    expect(await balances()).toEqual([
      { name: 'alice', balance: 70 },
      { name: 'bob', balance: 30 },
    ]);
  });

  it('rolls everything back when one fails, naming the statement and the error position', async () => {
    const result = await server.call('run_sql_transaction', {
      sqlStatements: [
        "UPDATE accounts SET balance = balance + 1000 WHERE name = 'bob'",
        "UPDATE accounts SET balance = balance - 1000 WHERE name = 'alice'",
        'SELECT 1',
      ],
    });
    expect(result.isError).toBe(true);
    const text = server.text(result);
    expect(text).toContain('Statement 2 of 3 failed');
    expect(text).toContain('nothing was committed');
    expect(text).toContain("balance = balance - 1000 WHERE name = 'alice'");
    expect(text).toContain('PostgreSQL error 23514 (check_violation)');
    expect(await balances()).toEqual([
      { name: 'alice', balance: 70 },
      { name: 'bob', balance: 30 },
    ]);
    const syntax = await server.call('run_sql_transaction', {
      sqlStatements: ["DELETE FROM accounts WHERE name = 'bob'", 'SELEC 1'],
    });
    expect(server.text(syntax)).toMatch(
      /Statement 2 of 2 failed[\s\S]*42601[\s\S]*line 1, column 1/,
    );
    expect(await db.scalar('SELECT count(*)::int FROM accounts')).toBe(2);
  });

  it.each(['COMMIT', 'rollback', 'BEGIN', '/* x */ END', 'SAVEPOINT a', 'START TRANSACTION'])(
    'refuses transaction control that would break all-or-nothing: %s',
    async (control) => {
      const result = await server.call('run_sql_transaction', {
        sqlStatements: ["DELETE FROM accounts WHERE name = 'bob'", control, 'SELECT 1'],
      });
      expect(result.isError).toBe(true);
      expect(server.text(result)).toContain('Statement 2 is');
      expect(await db.scalar('SELECT count(*)::int FROM accounts')).toBe(2);
    },
  );

  it('refuses a schema change without --allow-ddl, rolling back the whole transaction', async () => {
    const result = await server.call('run_sql_transaction', {
      sqlStatements: ["DELETE FROM accounts WHERE name = 'bob'", 'CREATE TABLE sneaky (x int)'],
    });
    expect(result.isError).toBe(true);
    expect(server.text(result)).toContain('--allow-ddl');
    expect(await db.scalar('SELECT count(*)::int FROM accounts')).toBe(2);
    expect(await db.scalar("SELECT to_regclass('public.sneaky') IS NULL")).toBe(true);
  });

  it('keeps the limits: a statement cannot lift the timeout for the next one', async () => {
    const result = await server.call('run_sql_transaction', {
      sqlStatements: ['SET LOCAL statement_timeout = 0', 'SELECT pg_sleep(30)'],
    });
    expect(result.isError).toBe(true);
    expect(server.text(result)).toContain('Statement 2 of 2 failed');
    expect(server.text(result)).toContain('57014');
    await server.client.ping();
  });

  it('rolls back a dry run after showing what it would do', async () => {
    const result = await server.call('run_sql_transaction', {
      sqlStatements: ["DELETE FROM accounts WHERE name = 'bob'", 'SELECT count(*) FROM accounts'],
      dryRun: true,
    });
    expect(result.structuredContent as unknown as Outcome).toMatchObject({
      committed: false,
      statements: [{ affectedRows: 1 }, { rows: [[1]] }],
    });
    expect(await db.scalar('SELECT count(*)::int FROM accounts')).toBe(2);
  });
});

describe('run_sql_transaction without --allow-write', () => {
  it('is not offered', async () => {
    const server = await startHarness({ args: ['--embedded'], waitReady: false });
    try {
      const { tools } = await server.client.listTools();
      expect(tools.map((tool) => tool.name)).not.toContain('run_sql_transaction');
    } finally {
      await server.close();
    }
  });
});
