/**
 * @module
 * The embedded database behind the same {@link Database} seam as a server: `pg` clients whose
 * socket is an {@link EmbeddedSocket}. PGlite is imported by the worker only, so a server that
 * talks to a real PostgreSQL never loads it.
 */
import type { Logger } from '@plugboard/protocol';
import type { Client, ClientConfig } from 'pg';
import type { EmbeddedTarget, Limits } from '../../config.js';
import { backendProcessId, type Database, type DatabaseConnection } from '../database.js';
import { endClient, sessionParameters } from '../server-database.js';
import { createEmbeddedEngine, type EmbeddedEngine } from './engine.js';
import { EmbeddedSocket } from './socket.js';

/** The embedded database; `engine` is exposed for start-up and tests. */
export interface EmbeddedDatabase extends Database {
  readonly engine: EmbeddedEngine;
}

export function createEmbeddedDatabase(
  target: EmbeddedTarget,
  limits: Limits,
  logger: Logger,
): EmbeddedDatabase {
  const engine = createEmbeddedEngine({
    dataDir: target.dataDir,
    statementTimeoutMs: limits.statementTimeoutMs,
    logger,
  });
  const config: ClientConfig = {
    user: 'postgres',
    database: 'postgres',
    host: 'embedded',
    port: 5432,
    application_name: 'mcp-server-postgres',
    ...sessionParameters(limits, undefined),
    // The engine may still be starting (initdb takes seconds); it has its own start-up limit.
    connectionTimeoutMillis: 0,
    stream: () => new EmbeddedSocket(engine),
  };
  const open = new Set<DatabaseConnection>();
  return {
    kind: 'embedded',
    engine,
    async connect() {
      const pg = (await import('pg')).default;
      const client: Client = new pg.Client(config);
      client.on('error', (error) => logger.debug('connection error', { error: error.message }));
      await client.connect();
      let closed = false;
      const connection: DatabaseConnection = {
        client,
        cancel() {
          const processId = backendProcessId(client);
          const secretKey: unknown = Reflect.get(client, 'secretKey');
          if (!closed && processId !== undefined && typeof secretKey === 'number') {
            engine.cancel(processId, secretKey);
          }
          return Promise.resolve();
        },
        async close() {
          if (closed) return;
          closed = true;
          open.delete(connection);
          await endClient(client);
        },
      };
      open.add(connection);
      return connection;
    },
    async close() {
      await Promise.all([...open].map((connection) => connection.close()));
      await engine.close();
    },
  };
}
