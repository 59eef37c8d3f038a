/**
 * @module
 * The embedded database behind the same {@link Database} seam as a server: `pg` clients whose
 * socket is an {@link EmbeddedSocket}. PGlite is imported by the worker only, so a server that
 * talks to a real PostgreSQL never loads it.
 *
 * A database "in memory" lives in a private temporary directory that is removed when the server
 * closes: stopping a runaway statement restarts the engine, and a directory is reopened with
 * everything committed so far, where memory would start empty.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '@plugboard/protocol';
import type { Client, ClientConfig } from 'pg';
import type { EmbeddedTarget, Limits } from '../../config.js';
import { typeParsers } from '../../values.js';
import {
  backendProcessId,
  type CallSetting,
  type Database,
  type DatabaseConnection,
} from '../database.js';
import { endClient } from '../server-database.js';
import { createEmbeddedEngine, type EmbeddedEngine } from './engine.js';
import { EmbeddedSocket } from './socket.js';

/** The embedded database; `engine` is exposed for start-up and tests. */
export interface EmbeddedDatabase extends Database {
  readonly engine: EmbeddedEngine;
  /** Where the data lives (for "in memory", a private directory removed on close). */
  readonly dataDir: string;
}

/** The prefix of the private directories that hold an "in memory" database. */
export const SCRATCH_DIR_PREFIX = 'mcp-server-postgres-embedded-';

/**
 * The limits a call on the embedded engine sets. No idle-in-transaction timeout: PGlite has one
 * session it cannot end, and when that timer fires the engine wedges on its next statement. There
 * is nothing for it to guard either, as every connection rolls back when it ends.
 */
export function embeddedCallSettings(limits: Limits): CallSetting[] {
  return [
    { name: 'statement_timeout', value: limits.statementTimeoutMs },
    { name: 'lock_timeout', value: limits.lockTimeoutMs },
  ];
}

export function createEmbeddedDatabase(
  target: EmbeddedTarget,
  limits: Limits,
  logger: Logger,
): EmbeddedDatabase {
  const scratch = target.dataDir === undefined;
  const dataDir = target.dataDir ?? mkdtempSync(join(tmpdir(), SCRATCH_DIR_PREFIX));
  const engine = createEmbeddedEngine({
    dataDir,
    statementTimeoutMs: limits.statementTimeoutMs,
    logger,
  });
  const config: ClientConfig = {
    user: 'postgres',
    database: 'postgres',
    host: 'embedded',
    port: 5432,
    application_name: 'mcp-server-postgres',
    types: typeParsers,
    // The engine may still be starting (initdb takes seconds); it has its own start-up limit.
    connectionTimeoutMillis: 0,
    stream: () => new EmbeddedSocket(engine),
  };
  const open = new Set<DatabaseConnection>();
  return {
    kind: 'embedded',
    callSettings: embeddedCallSettings(limits),
    engine,
    dataDir,
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
      if (scratch) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
