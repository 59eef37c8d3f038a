/**
 * @module
 * A PostgreSQL server reached with `pg`: a new connection for every call, its limits sent as
 * start-up parameters (so they hold before the first statement and no statement can lift them for
 * itself), cancellation through `pg_cancel_backend` on a second connection.
 */
import type { Logger } from '@plugboard/protocol';
import type { Client, ClientConfig } from 'pg';
import type { Limits, ServerTarget } from '../config.js';
import { typeParsers } from '../values.js';
import { backendProcessId, type Database, type DatabaseConnection } from './database.js';

const CONNECT_TIMEOUT_MS = 10_000;
const CLOSE_GRACE_MS = 1000;

/** Start-up parameters for every connection: the timeouts and a read-only default. */
export function sessionParameters(limits: Limits, options: string | undefined): ClientConfig {
  return {
    statement_timeout: limits.statementTimeoutMs,
    lock_timeout: limits.lockTimeoutMs,
    idle_in_transaction_session_timeout: limits.idleInTransactionTimeoutMs,
    options: [options, '-c default_transaction_read_only=on'].filter(Boolean).join(' '),
    types: typeParsers,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
  };
}

/** Connections to the server at `target`; `pg` itself is loaded on the first one. */
export function createServerDatabase(
  target: ServerTarget,
  limits: Limits,
  logger: Logger,
): Database {
  const config: ClientConfig = {
    application_name: 'mcp-server-postgres',
    ...target.client,
    ...sessionParameters(limits, target.client.options),
  };
  const open = new Set<DatabaseConnection>();

  const newClient = async (): Promise<Client> => {
    const pg = (await import('pg')).default;
    const client = new pg.Client(config);
    // Errors reach callers through the pending query; an unheard 'error' event would end the process.
    client.on('error', (error) => logger.debug('connection error', { error: error.message }));
    try {
      await client.connect();
    } catch (error) {
      client.connection.stream.destroy();
      throw error;
    }
    return client;
  };

  return {
    kind: 'server',
    async connect() {
      const client = await newClient();
      let closed = false;
      const connection: DatabaseConnection = {
        client,
        async cancel() {
          const pid = backendProcessId(client);
          if (pid === undefined || closed) return;
          let canceller: Client | undefined;
          try {
            canceller = await newClient();
            await canceller.query({ text: 'SELECT pg_cancel_backend($1)', values: [pid] });
          } catch (error) {
            logger.warn('could not cancel a statement', {
              error: error instanceof Error ? error.message : String(error),
            });
          } finally {
            await canceller?.end().catch(() => undefined);
          }
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
    },
  };
}

/** Ends a client politely, and destroys its socket when the server does not answer in time. */
export async function endClient(client: Client): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const grace = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      client.connection.stream.destroy();
      resolve();
    }, CLOSE_GRACE_MS);
  });
  try {
    await Promise.race([client.end().catch(() => undefined), grace]);
  } finally {
    clearTimeout(timer);
  }
}
