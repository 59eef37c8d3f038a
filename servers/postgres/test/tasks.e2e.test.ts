/**
 * @module
 * Long work as tasks (the 2026-07-28 tasks extension) in the built server, against the real
 * PostgreSQL: `query`, `explain_query` and `check_database_health` declare task support; a long
 * query (`pg_sleep`) runs as a task that is polled and finishes, or is cancelled, and the
 * cancellation reaches the database: the statement leaves `pg_stat_activity`.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { rawStdio, taskDriver, type RawStdioPeer } from '@plugboard/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  createScratchDatabase,
  describeWithDatabase,
  type ScratchDatabase,
} from './support/database.js';
import { eventually } from './support/eventually.js';

const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));

describeWithDatabase('long queries as tasks', () => {
  let db: ScratchDatabase;
  let peer: RawStdioPeer;

  beforeAll(async () => {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run pnpm build first`);
    db = await createScratchDatabase('tasks');
    peer = rawStdio({
      command: process.execPath,
      args: [MAIN],
      env: { DATABASE_URL: db.ownerUrl },
    });
  });

  afterAll(async () => {
    await peer?.close();
    await db?.drop();
  });

  const sleeping = (seconds: number): Promise<unknown> =>
    db.scalar(
      `SELECT count(*)::int FROM pg_stat_activity WHERE usename = $1 AND state = 'active' AND query LIKE $2`,
      [db.role, `%pg_sleep(${seconds})%`],
    );

  it('lists the query, explain and health tools as task-capable', async () => {
    expect(await taskDriver(peer).taskCapableTools()).toEqual([
      ['query', { taskSupport: 'optional' }],
      ['explain_query', { taskSupport: 'optional' }],
      ['check_database_health', { taskSupport: 'optional' }],
    ]);
  });

  it('runs a long query as a task, polled while it sleeps, until it finishes', async () => {
    const tasks = taskDriver(peer);
    const created = await tasks.start('query', { sql: 'SELECT pg_sleep(1.5), 42 AS answer' });
    await eventually(async () => (await sleeping(1.5)) === 1);
    expect((await tasks.get(created.taskId)).status).toBe('working');
    const done = await tasks.until(created.taskId, 'completed');
    expect(done).toMatchObject({
      status: 'completed',
      result: { structuredContent: { rows: [['', 42]] } },
    });
  });

  it('cancels a long query task, and the statement stops on the database', async () => {
    const tasks = taskDriver(peer);
    const created = await tasks.start('query', { sql: 'SELECT pg_sleep(57)' });
    await eventually(async () => (await sleeping(57)) === 1);
    await tasks.cancel(created.taskId);
    expect(await tasks.get(created.taskId)).toMatchObject({ status: 'cancelled' });
    // Well before the 57 seconds: only the cancel request reaching PostgreSQL ends it this soon.
    await eventually(async () => (await sleeping(57)) === 0, 20_000);
    const after = await tasks.start('query', { sql: 'SELECT 7 AS n' });
    expect(await tasks.until(after.taskId, 'completed')).toMatchObject({
      result: { structuredContent: { rows: [[7]] } },
    });
  });

  it('runs explain with analyze and the health checks as tasks too', async () => {
    const tasks = taskDriver(peer);
    const explained = await tasks.start('explain_query', {
      sql: 'SELECT pg_sleep(0.2)',
      analyze: true,
    });
    const health = await tasks.start('check_database_health', {});
    expect(await tasks.until(explained.taskId, 'completed')).toMatchObject({
      status: 'completed',
      result: { content: [{ type: 'text' }] },
    });
    const checked = await tasks.until(health.taskId, 'completed');
    expect(checked.status).toBe('completed');
    expect(checked.result).not.toHaveProperty('isError');
  });
});
