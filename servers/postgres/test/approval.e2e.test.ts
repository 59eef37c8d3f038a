/**
 * `--approve ddl` on the built server: a schema change waits for a person, who sees the SQL; the
 * table exists only after an approval (both eras), and a data change runs without asking.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { connectStdio } from '@plugboard/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  createScratchDatabase,
  describeWithDatabase,
  type ScratchDatabase,
} from './support/database.js';

const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const ARGS = [MAIN, '--allow-write', '--allow-ddl', '--approve', 'ddl'];

beforeAll(() => {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run pnpm build first`);
});

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

  it('handshake era: creates nothing when denied, creates the table when approved', async () => {
    const answers = [
      { action: 'accept', content: { approve: false } },
      { action: 'accept', content: { approve: true } },
    ];
    const messages: string[] = [];
    await using connection = await connectStdio({
      command: process.execPath,
      args: ARGS,
      env: { DATABASE_URL: db.ownerUrl },
      capabilities: { elicitation: {} },
      beforeConnect: (client) =>
        client.setRequestHandler(ElicitRequestSchema, (request) => {
          messages.push(request.params.message);
          return answers.shift() as never;
        }),
    });
    const sql = 'CREATE TABLE approved_one (id int)';
    const denied = await connection.client.callTool({ name: 'execute_sql', arguments: { sql } });
    expect(denied.isError).toBe(true);
    expect(await tableExists('approved_one')).toBe(false);
    expect(messages[0]).toContain(`it may change the schema:\n\n${sql}`);
    const approved = await connection.client.callTool({ name: 'execute_sql', arguments: { sql } });
    expect(approved.isError).toBeFalsy();
    expect(await tableExists('approved_one')).toBe(true);
    const insert = await connection.client.callTool({
      name: 'execute_sql',
      arguments: { sql: "INSERT INTO fruit VALUES (1, 'apple')" },
    });
    expect(insert.isError).toBeFalsy();
    expect(messages).toHaveLength(2);
    expect(await db.scalar('SELECT count(*)::int FROM fruit')).toBe(1);
  });

  it('2026-07-28: creates the table on the retry that carries the approval', async () => {
    await using connection = await connectStdio({
      command: process.execPath,
      args: ARGS,
      env: { DATABASE_URL: db.ownerUrl },
      sdk: 'v2',
      versionNegotiation: { pin: '2026-07-28' },
      capabilities: { elicitation: {} },
      beforeConnect: (client) =>
        client.setRequestHandler('elicitation/create', () => ({
          action: 'accept',
          content: { approve: true },
        })),
    });
    expect(await tableExists('approved_two')).toBe(false);
    const approved = await connection.client.callTool({
      name: 'run_sql_transaction',
      arguments: {
        sqlStatements: [
          'CREATE TABLE approved_two (id int)',
          'INSERT INTO approved_two VALUES (1)',
        ],
      },
    });
    expect(approved.isError).toBeFalsy();
    expect(await db.scalar('SELECT count(*)::int FROM approved_two')).toBe(1);
  });
});
