import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { connectStdio, rawStdio, startupBuiltins } from '@plugboard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createScratchDatabase,
  describeWithDatabase,
  type ScratchDatabase,
} from './support/database.js';

const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));

beforeAll(() => {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run pnpm build first`);
});

describe('the built command', () => {
  it('prints --help and exits 0 without waiting for stdin', () => {
    const run = spawnSync(process.execPath, [MAIN, '--help'], {
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Usage: mcp-server-postgres [options]');
    expect(run.stdout).toContain('--allow-write');
    expect(run.stdout).toContain('DATABASE_URL');
  });

  it('fails bad configuration with one line on stderr and exit code 2', () => {
    const run = spawnSync(process.execPath, [MAIN], {
      encoding: 'utf8',
      timeout: 20_000,
      env: { PATH: process.env.PATH },
    });
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain('No database given');
  });
});

describeWithDatabase('the built server over stdio', () => {
  let db: ScratchDatabase;

  beforeAll(async () => {
    db = await createScratchDatabase('e2e');
    await db.owner(
      "CREATE TABLE fruit (id int PRIMARY KEY, name text); INSERT INTO fruit VALUES (1, 'apple'), (2, 'pear')",
    );
  });

  afterAll(async () => {
    await db?.drop();
  });

  it('reaches tools/list without loading node:child_process', async () => {
    const builtins = await startupBuiltins({
      command: process.execPath,
      args: [MAIN],
      env: { DATABASE_URL: db.ownerUrl },
    });
    expect(builtins).toContain('fs');
    expect(builtins).not.toContain('child_process');
  });

  it('lists its tools and answers a query for the official SDK 1.x client', async () => {
    await using connection = await connectStdio({
      command: process.execPath,
      args: [MAIN],
      env: { DATABASE_URL: db.ownerUrl },
    });
    const { tools } = await connection.client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual([
      'query',
      'list_schemas',
      'list_objects',
      'describe_object',
      'explain_query',
      'check_database_health',
      'list_top_queries',
      'analyze_query_indexes',
      'analyze_workload_indexes',
      'list_migrations',
    ]);
    const result = (await connection.client.callTool({
      name: 'query',
      arguments: { sql: 'SELECT name FROM fruit ORDER BY id' },
    })) as CallToolResult;
    expect(result.structuredContent).toMatchObject({
      columns: [{ name: 'name', type: 'text' }],
      rows: [['apple'], ['pear']],
    });
    expect(connection.stderr()).not.toContain(db.password);
  });

  it('refuses a call to a write tool by name without --allow-write, naming the flag', async () => {
    await using connection = await connectStdio({
      command: process.execPath,
      args: [MAIN],
      env: { DATABASE_URL: db.ownerUrl },
    });
    await expect(
      connection.client.callTool({
        name: 'execute_sql',
        arguments: { sql: "INSERT INTO fruit (name) VALUES ('plum')" },
      }),
    ).rejects.toMatchObject({
      code: -32602,
      message: expect.stringMatching(
        /execute_sql is turned off on this server; the operator turns it on with --allow-write/,
      ),
    });
    const count = await connection.client.callTool({
      name: 'query',
      arguments: { sql: 'SELECT count(*) AS n FROM fruit' },
    });
    expect(count.structuredContent).toMatchObject({ rows: [[2]] });
  });

  it('serves the stateless 2026 revision to the SDK 2.x client', async () => {
    await using connection = await connectStdio({
      command: process.execPath,
      args: [MAIN],
      env: { DATABASE_URL: db.ownerUrl },
      sdk: 'v2',
      versionNegotiation: 'auto',
    });
    const result = await connection.client.callTool({
      name: 'query',
      arguments: { sql: 'SELECT count(*) AS n FROM fruit' },
    });
    expect(result.structuredContent).toMatchObject({ rows: [[2]] });
  });

  it('adds execute_sql and run_sql_transaction with --allow-write and commits through it', async () => {
    await using connection = await connectStdio({
      command: process.execPath,
      args: [MAIN, '--allow-write'],
      env: { DATABASE_URL: db.ownerUrl },
    });
    const names = (await connection.client.listTools()).tools.map((tool) => tool.name);
    expect(names.slice(-2)).toEqual(['execute_sql', 'run_sql_transaction']);
    // Migrations change the schema: they also need --allow-ddl.
    expect(names).not.toContain('apply_migration');
    const result = (await connection.client.callTool({
      name: 'execute_sql',
      arguments: { sql: "INSERT INTO fruit VALUES (3, 'plum')" },
    })) as CallToolResult;
    expect(result.isError).toBeFalsy();
    expect(await db.scalar('SELECT count(*)::int FROM fruit')).toBe(3);
    await db.owner('DELETE FROM fruit WHERE id = 3');
  });

  it('answers initialize and tools/list at once, then refuses a superuser: the waiting call gets the reason and the process exits 2', async () => {
    const peer = rawStdio({
      command: process.execPath,
      args: [MAIN],
      env: { DATABASE_URL: db.superuserUrl },
    });
    const request = (id: number, method: string, params: unknown = {}): string =>
      JSON.stringify({ jsonrpc: '2.0', id, method, params });
    // A host's first messages, in one write: the role check is still running when they are read.
    await peer.write(
      [
        request(1, 'initialize', {
          protocolVersion: '2025-11-25',
          capabilities: {},
          clientInfo: { name: 'host', version: '1' },
        }),
        JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }),
        request(2, 'tools/list'),
        request(3, 'tools/call', { name: 'query', arguments: { sql: 'SELECT 1' } }),
        '',
      ].join('\n'),
    );
    const status = await peer.exit;
    expect(status.code).toBe(2);
    const answer = (id: number) =>
      peer.messages.find((message) => 'id' in message && message.id === id);
    expect(answer(1)).toMatchObject({ result: { serverInfo: { name: 'mcp-server-postgres' } } });
    expect(answer(2)).toMatchObject({
      result: { tools: expect.arrayContaining([expect.objectContaining({ name: 'query' })]) },
    });
    // The call was held until the check had run, and answered with the refusal, not run.
    const call = answer(3) as { result?: CallToolResult } | undefined;
    expect(call?.result?.isError).toBe(true);
    expect(JSON.stringify(call?.result?.content)).toContain('Refusing to run');
    expect(peer.stderr()).toContain('Refusing to run');
    expect(peer.stderr()).toContain('is a superuser');
    expect(peer.stderr()).toContain('--allow-privileged-role');
  });

  it('warns when the password is on the command line, without printing it', async () => {
    const peer = rawStdio({ command: process.execPath, args: [MAIN, db.ownerUrl] });
    await peer.initialize();
    await peer.request('tools/call', { name: 'query', arguments: { sql: 'SELECT 1' } });
    peer.child.stdin.end();
    await peer.exit;
    expect(peer.stderr()).toContain('process list');
    expect(peer.stderr()).not.toContain(db.password);
  });
});

describe('the built server on the embedded engine', () => {
  it('answers queries from an in-memory PostgreSQL with no server installed', async () => {
    await using connection = await connectStdio({
      command: process.execPath,
      args: [MAIN, 'pglite:memory'],
    });
    const result = (await connection.client.callTool(
      {
        name: 'query',
        arguments: { sql: "SELECT version() LIKE '%PGlite%' AS embedded, 1 + 1 AS two" },
      },
      undefined,
      { timeout: 240_000 },
    )) as CallToolResult;
    expect(result.structuredContent).toMatchObject({ rows: [[true, 2]] });
  }, 300_000);
});
