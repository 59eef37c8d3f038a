/**
 * `--approve ddl` on the built server: a schema change waits for a person, who sees the SQL; the
 * table exists only after an approval (both eras), and a data change runs without asking.
 */
import { fileURLToPath } from 'node:url';
import { connectApproving, type ApprovalAnswer } from '@plugboard/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  createScratchDatabase,
  describeWithDatabase,
  type ScratchDatabase,
} from './support/database.js';

const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));

describeWithDatabase('mcp-server-postgres --approve ddl', () => {
  let db: ScratchDatabase;
  const tableExists = async (name: string): Promise<boolean> =>
    (await db.scalar('SELECT to_regclass($1) IS NOT NULL', [`public.${name}`])) === true;

  beforeAll(async () => {
    db = await createScratchDatabase('approval');
    await db.owner('CREATE TABLE fruit (id int PRIMARY KEY, name text)');
  });
  afterAll(async () => {
    await db?.drop();
  });

  const approving = (era: 'handshake' | '2026-07-28', answers: ApprovalAnswer[]) =>
    connectApproving({
      command: process.execPath,
      args: [MAIN, '--allow-write', '--allow-ddl', '--approve', 'ddl'],
      env: { DATABASE_URL: db.ownerUrl },
      era,
      answers,
    });

  it('handshake era: creates nothing when denied, creates the table when approved', async () => {
    await using server = await approving('handshake', ['refuse', 'approve']);
    const sql = 'CREATE TABLE approved_one (id int)';
    const denied = await server.callTool('execute_sql', { sql });
    expect(denied.isError).toBe(true);
    expect(await tableExists('approved_one')).toBe(false);
    expect(server.asked[0]).toContain(`it may change the schema:\n\n${sql}`);
    const approved = await server.callTool('execute_sql', { sql });
    expect(approved.isError).toBeFalsy();
    expect(await tableExists('approved_one')).toBe(true);
    const insert = await server.callTool('execute_sql', {
      sql: "INSERT INTO fruit VALUES (1, 'apple')",
    });
    expect(insert.isError).toBeFalsy();
    expect(server.asked).toHaveLength(2);
    expect(await db.scalar('SELECT count(*)::int FROM fruit')).toBe(1);
  });

  it('2026-07-28: creates the table on the retry that carries the approval', async () => {
    await using server = await approving('2026-07-28', ['approve']);
    expect(await tableExists('approved_two')).toBe(false);
    const approved = await server.callTool('run_sql_transaction', {
      sqlStatements: ['CREATE TABLE approved_two (id int)', 'INSERT INTO approved_two VALUES (1)'],
    });
    expect(approved.isError).toBeFalsy();
    expect(server.asked).toHaveLength(1);
    expect(await db.scalar('SELECT count(*)::int FROM approved_two')).toBe(1);
  });
});
