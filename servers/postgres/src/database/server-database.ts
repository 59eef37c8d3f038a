/**
 * @module
 * A PostgreSQL server reached with `pg`: a new connection for every call, its limits sent as
 * start-up parameters (so they hold before the first statement and no statement can lift them for
 * itself), cancellation through `pg_cancel_backend` on a second connection. Opening a connection
 * costs a backend start on the server, so one unused connection is kept ready after the first
 * call and handed to the next one; it is never used twice, and it is closed when idle.
 */
import type { Logger } from '@plugboard/protocol';
import type { Client, ClientConfig } from 'pg';
import type { Limits, ServerTarget } from '../config.js';
import { typeParsers } from '../values.js';
import { backendProcessId, type Database, type DatabaseConnection } from './database.js';

const CONNECT_TIMEOUT_MS = 10_000;
const CLOSE_GRACE_MS = 1000;
/** How long the spare connection may wait for a call before it is closed. */
const SPARE_IDLE_MS = 30_000;

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

interface Spare {
  client: Promise<Client>;
  /** Set when the connection failed or the server closed it while it waited. */
  dead: boolean;
  timer: NodeJS.Timeout;
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
  const closing = new Set<Promise<void>>();
  let spare: Spare | undefined;
  let closed = false;

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

  const dispose = (client: Client): void => {
    const done = endClient(client);
    closing.add(done);
    void done.finally(() => closing.delete(done));
  };

  const prepareSpare = (): void => {
    if (closed || spare !== undefined) return;
    const entry: Spare = {
      client: newClient(),
      dead: false,
      timer: setTimeout(() => {
        if (spare !== entry) return;
        spare = undefined;
        void entry.client.then(dispose, () => undefined);
      }, SPARE_IDLE_MS),
    };
    entry.timer.unref();
    entry.client.then(
      (client) => client.once('end', () => (entry.dead = true)),
      () => (entry.dead = true),
    );
    spare = entry;
  };

  const takeClient = async (): Promise<Client> => {
    const ready = spare;
    spare = undefined;
    if (ready !== undefined) {
      clearTimeout(ready.timer);
      const client = await ready.client.catch(() => undefined);
      if (client !== undefined && !ready.dead) return client;
      if (client !== undefined) dispose(client);
    }
    return newClient();
  };

  return {
    kind: 'server',
    async connect() {
      const client = await takeClient();
      prepareSpare();
      let done = false;
      const connection: DatabaseConnection = {
        client,
        async cancel() {
          const pid = backendProcessId(client);
          if (pid === undefined || done) return;
          let canceller: Client | undefined;
          try {
            canceller = await newClient();
            await canceller.query({ text: 'SELECT pg_cancel_backend($1)', values: [pid] });
          } catch (error) {
            logger.warn('could not cancel a statement', {
              error: error instanceof Error ? error.message : String(error),
            });
          } finally {
            if (canceller !== undefined) dispose(canceller);
          }
        },
        close() {
          if (done) return Promise.resolve();
          done = true;
          open.delete(connection);
          // The call does not wait for the goodbye; close() of the database does.
          dispose(client);
          return Promise.resolve();
        },
      };
      open.add(connection);
      return connection;
    },
    async close() {
      closed = true;
      const last = spare;
      spare = undefined;
      if (last !== undefined) {
        clearTimeout(last.timer);
        const client = await last.client.catch(() => undefined);
        if (client !== undefined) dispose(client);
      }
      await Promise.all([...open].map((connection) => connection.close()));
      await Promise.all([...closing]);
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
