import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createScratchDatabase,
  describeWithDatabase,
  type ScratchDatabase,
} from '../../test/support/database.js';
import { startHarness, type Harness } from '../../test/support/harness.js';
import { splitStatements } from '../sql-lexer.js';

describe('splitting a migration script', () => {
  it('splits at the semicolons that end statements, not those in strings, comments or bodies', () => {
    expect(
      splitStatements(`CREATE TABLE a (x text DEFAULT ';');
        -- a comment; with a semicolon
        CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN 1; END $$;
        /* ; */ INSERT INTO a VALUES ('it''s; fine');;
        -- trailing comment only`),
    ).toEqual([
      "CREATE TABLE a (x text DEFAULT ';')",
      '-- a comment; with a semicolon\n        CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN 1; END $$',
      "/* ; */ INSERT INTO a VALUES ('it''s; fine')",
    ]);
  });
});

interface Listed {
  migrations: { name: string; appliedBy: string; statements: number }[];
}

describeWithDatabase('migrations', () => {
  let db: ScratchDatabase;
  let server: Harness;

  const listed = async (): Promise<Listed['migrations']> =>
    ((await server.call('list_migrations')).structuredContent as unknown as Listed).migrations;

  beforeAll(async () => {
    db = await createScratchDatabase('migrations');
    server = await startHarness({
      env: { DATABASE_URL: db.ownerUrl },
      args: ['--allow-write', '--allow-ddl'],
    });
  });

  afterAll(async () => {
    await server?.close();
    await db?.drop();
  });

  it('lists nothing before the first migration, without creating anything', async () => {
    expect(await listed()).toEqual([]);
    expect(await db.scalar("SELECT to_regnamespace('mcp_migrations') IS NULL")).toBe(true);
  });

  it('shows a dry run without changing or recording anything', async () => {
    const result = await server.call('apply_migration', {
      name: '001_orders',
      query: 'CREATE TABLE orders (id int PRIMARY KEY); INSERT INTO orders VALUES (1), (2);',
      dryRun: true,
    });
    expect(result.isError, server.text(result)).toBeFalsy();
    expect(result.structuredContent).toMatchObject({
      committed: false,
      statements: [{ command: 'CREATE' }, { command: 'INSERT', affectedRows: 2 }],
    });
    expect(await db.scalar("SELECT to_regclass('public.orders') IS NULL")).toBe(true);
    expect(await listed()).toEqual([]);
  });

  it('applies a migration and records it, once', async () => {
    const result = await server.call('apply_migration', {
      name: '001_orders',
      query: 'CREATE TABLE orders (id int PRIMARY KEY); INSERT INTO orders VALUES (1), (2);',
    });
    expect(result.isError, server.text(result)).toBeFalsy();
    expect(await db.scalar('SELECT count(*)::int FROM orders')).toBe(2);
    expect(await listed()).toMatchObject([
      { name: '001_orders', appliedBy: db.role, statements: 2 },
    ]);
    const again = await server.call('apply_migration', {
      name: '001_orders',
      query: 'INSERT INTO orders VALUES (3)',
    });
    expect(again.isError).toBe(true);
    expect(server.text(again)).toContain('already applied');
    expect(await db.scalar('SELECT count(*)::int FROM orders')).toBe(2);
  });

  it('applies nothing and records nothing when a statement fails, naming it', async () => {
    const result = await server.call('apply_migration', {
      name: '002_broken',
      query: 'ALTER TABLE orders ADD COLUMN note text;\nINSERT INTO orders VALUES (1);',
    });
    expect(result.isError).toBe(true);
    expect(server.text(result)).toContain('Statement 2 of 2 failed');
    expect(server.text(result)).toContain('23505');
    expect(
      await db.scalar(
        "SELECT count(*)::int FROM information_schema.columns WHERE table_name = 'orders' AND column_name = 'note'",
      ),
    ).toBe(0);
    expect((await listed()).map((migration) => migration.name)).toEqual(['001_orders']);
  });

  it('refuses transaction control inside the script before anything runs', async () => {
    const result = await server.call('apply_migration', {
      name: '003_sneaky',
      query: 'CREATE TABLE partial (x int); COMMIT; DROP TABLE orders;',
    });
    expect(server.text(result)).toContain('Statement 2 is COMMIT');
    expect(await db.scalar("SELECT to_regclass('public.partial') IS NULL")).toBe(true);
  });
});

describe('apply_migration without --allow-ddl', () => {
  it('is not offered; list_migrations is', async () => {
    const server = await startHarness({ args: ['--embedded', '--allow-write'], waitReady: false });
    try {
      const names = (await server.client.listTools()).tools.map((tool) => tool.name);
      expect(names).not.toContain('apply_migration');
      expect(names).toContain('list_migrations');
    } finally {
      await server.close();
    }
  });
});
