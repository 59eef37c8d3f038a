/**
 * @module
 * The postgres stop: the server's embedded in-process PostgreSQL, so no database server is
 * needed. It runs read-only queries, lists schemas, explains a plan, and shows that a write is
 * refused by the database itself.
 */
import type { Showcase } from '../showcase.js';

export const postgresShowcase: Showcase = {
  name: 'postgres',
  packageName: '@plugboard/server-postgres',
  folder: 'servers/postgres',
  summary: 'Read-only SQL that the database enforces, on an embedded PostgreSQL.',
  prepare() {
    return Promise.resolve({
      args: ['--embedded'],
      notes: ['database: embedded, in memory (--embedded): nothing to install or start'],
      async run(session) {
        await session.call('query', { sql: 'SELECT version()' }, 'Which engine is this?');
        await session.call('list_schemas', {}, 'The schemas a model can explore.');
        await session.call(
          'query',
          {
            sql: 'SELECT n, n * n AS square, repeat($$*$$, n) AS bar FROM generate_series(1, 5) AS n',
          },
          'A small result set.',
        );
        await session.call(
          'explain_query',
          { sql: 'SELECT count(*) FROM generate_series(1, 1000) AS n WHERE n % 7 = 0' },
          'The plan PostgreSQL would use, without running the query.',
        );
        await session.call(
          'query',
          { sql: 'CREATE TABLE demo (id integer)' },
          'A write through the read-only tool: the database must refuse it.',
        );
      },
    });
  },
};
