import { existsSync } from 'node:fs';
import { stderrLogger } from '@plugboard/protocol';
import { parseCommandLine } from '@plugboard/kit/cli';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../../../test/support/harness.js';
import { COMMAND } from '../../command.js';
import { DEFAULT_LIMITS, parseConfig, type Limits } from '../../config.js';
import { createExecutor, type Executor } from '../../executor.js';
import { createEmbeddedDatabase, type EmbeddedDatabase } from './embedded-database.js';

const STARTUP_MS = 240_000;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A desktop host leaves minutes between two questions. The embedded engine must answer the first
 * call after any quiet period as it answered the one before: no hang, no restart, no lost data.
 */
describe('the embedded database after idle time, with every timeout shortened', () => {
  // Shorter than the idle time below, so each of them would have fired had it been armed.
  const limits: Limits = {
    ...DEFAULT_LIMITS,
    // Room for a busy machine: the first statements after a restart are slow there.
    statementTimeoutMs: 3000,
    lockTimeoutMs: 500,
    idleInTransactionTimeoutMs: 1000,
  };
  const quietMs = 2 * Math.max(limits.statementTimeoutMs, limits.idleInTransactionTimeoutMs);
  const lines: string[] = [];
  let database: EmbeddedDatabase;
  let executor: Executor;
  const signal = new AbortController().signal;

  beforeAll(async () => {
    const parsed = parseCommandLine(
      { ...COMMAND, version: '0.0.0' },
      ['--embedded', '--allow-write', '--allow-ddl'],
      {},
    );
    if (parsed.kind !== 'run') throw new Error('not a run command line');
    const config = {
      ...parseConfig({ flags: parsed.flags, positionals: parsed.positionals, env: {} }),
      limits,
    };
    const logger = stderrLogger('debug', { name: 'test', write: (line) => lines.push(line) });
    database = createEmbeddedDatabase(
      { kind: 'embedded', dataDir: undefined, display: 'test' },
      limits,
      logger,
    );
    executor = createExecutor({ database, config, logger, ready: () => Promise.resolve() });
    await database.engine.ready();
  }, STARTUP_MS);

  afterAll(async () => {
    await database?.close();
  });

  const read = (sql: string): Promise<unknown[][]> =>
    executor.run({ mode: 'read-only', end: 'rollback', signal }, async (tx) =>
      (await tx.query<Record<string, unknown>>(sql)).map((row): unknown[] => Object.values(row)),
    );

  it('answers the first call after the quiet period without a restart, data intact', async () => {
    await executor.run({ mode: 'read-write', end: 'commit', signal }, (tx) =>
      tx.query('CREATE TABLE notes (body text)'),
    );
    await executor.run({ mode: 'read-write', end: 'commit', signal }, (tx) =>
      tx.query("INSERT INTO notes VALUES ('kept')"),
    );
    expect(await read('SELECT 1')).toEqual([[1]]);
    // A failed call ends without its own ROLLBACK: the connection's end must close the transaction.
    await expect(read('SELECT 1/0')).rejects.toThrow(/22012/);
    const generation = database.engine.generation;
    await sleep(quietMs);
    expect(await read('SELECT body FROM notes')).toEqual([['kept']]);
    expect(await read('SELECT 1')).toEqual([[1]]);
    expect(database.engine.generation).toBe(generation);
    expect(lines.join('')).not.toContain('restarted');
  });

  it('rolls back what a connection left open when it ends, so no idle timer fires on the session', async () => {
    const generation = database.engine.generation;
    const left = await database.connect();
    await left.client.query('BEGIN; SET LOCAL idle_in_transaction_session_timeout = 200; SELECT 1');
    await left.close();
    await sleep(1000);
    const next = await database.connect();
    try {
      const { rows } = await next.client.query<{ state: string }>("SELECT 'answered' AS state");
      expect(rows).toEqual([{ state: 'answered' }]);
    } finally {
      await next.close();
    }
    expect(database.engine.generation).toBe(generation);
  });

  it('keeps committed data of an "in memory" database when a runaway statement forces a restart', async () => {
    const generation = database.engine.generation;
    await expect(read('SELECT pg_sleep(60)')).rejects.toThrow(
      /PostgreSQL error 57014 \(query_canceled\): canceling statement due to statement timeout/,
    );
    expect(database.engine.generation).toBe(generation + 1);
    expect(lines.join('')).toContain('committed data is kept');
    expect(await read('SELECT body FROM notes')).toEqual([['kept']]);
  });

  it('removes the private directory of an "in memory" database when it closes', async () => {
    const dir = database.dataDir;
    expect(existsSync(dir)).toBe(true);
    await database.close();
    expect(existsSync(dir)).toBe(false);
  });
});

/**
 * The same at the real defaults (statement timeout 30 s, idle-in-transaction 60 s): about 70 s of
 * waiting, part of every run, because the defaults are what a host gets.
 */
describe('the embedded database after idle time, at the default limits', () => {
  let server: Harness;

  beforeAll(async () => {
    server = await startHarness({ args: ['--embedded', '--allow-write', '--allow-ddl'] });
  }, STARTUP_MS);

  afterAll(async () => {
    await server?.close();
  });

  it(
    'answers SELECT 1 after 70 s of quiet, keeping its tables',
    async () => {
      const created = await server.call('execute_sql', {
        sql: 'CREATE TABLE kept AS SELECT 42 AS answer',
      });
      expect(created.isError, server.text(created)).toBeFalsy();
      expect(
        (await server.call('query', { sql: 'SELECT 1 AS one' })).structuredContent,
      ).toMatchObject({ rows: [[1]] });
      await sleep(DEFAULT_LIMITS.idleInTransactionTimeoutMs + 10_000);
      const first = await server.call('query', { sql: 'SELECT 1 AS one' });
      expect(first.isError, server.text(first)).toBeFalsy();
      expect(first.structuredContent).toMatchObject({ rows: [[1]] });
      const kept = await server.call('query', { sql: 'SELECT answer FROM kept' });
      expect(kept.structuredContent).toMatchObject({ rows: [[42]] });
      expect(server.logs()).not.toContain('restarted');
    },
    DEFAULT_LIMITS.idleInTransactionTimeoutMs + 120_000,
  );
});
