/**
 * @module
 * A PostgreSQL server reached with `pg`, directly or through a pooler (PgBouncer in session or
 * transaction mode, hosted poolers): a new connection for every call that sends no start-up
 * parameter beyond the ones poolers accept, the call's limits set inside its own transaction (see
 * {@link CallSetting}), and cancellation by the protocol's cancel request, which a pooler forwards
 * to whichever server session runs the statement. Opening a connection costs a backend start on
 * the server, so one unused connection is kept ready after the first call and handed to the next
 * one; it is never used twice, and it is closed when idle.
 */
import type { Logger } from '@plugboard/protocol';
import type { Client, ClientConfig } from 'pg';
import type { Limits, ServerTarget } from '../config.js';
import { typeParsers } from '../values.js';
import { sendCancelRequest } from './cancel-request.js';
import {
  backendProcessId,
  type CallSetting,
  type Database,
  type DatabaseConnection,
} from './database.js';

const CONNECT_TIMEOUT_MS = 10_000;
const CLOSE_GRACE_MS = 1000;
/** How long the spare connection may wait for a call before it is closed. */
const SPARE_IDLE_MS = 30_000;

/** The limits a call on a server sets in its transaction. */
export function serverCallSettings(limits: Limits): CallSetting[] {
  return [
    { name: 'statement_timeout', value: limits.statementTimeoutMs },
    { name: 'lock_timeout', value: limits.lockTimeoutMs },
    { name: 'idle_in_transaction_session_timeout', value: limits.idleInTransactionTimeoutMs },
  ];
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
    // PgBouncer and hosted poolers accept application_name; settings go into each transaction.
    application_name: 'mcp-server-postgres',
    ...target.client,
    types: typeParsers,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
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
    callSettings: serverCallSettings(limits),
    async connect() {
      const client = await takeClient();
      prepareSpare();
      let done = false;
      const connection: DatabaseConnection = {
        client,
        async cancel() {
          const processId = backendProcessId(client);
          const secretKey: unknown = Reflect.get(client, 'secretKey');
          if (processId === undefined || typeof secretKey !== 'number' || done) return;
          try {
            await sendCancelRequest(client, processId, secretKey);
          } catch (error) {
            logger.warn('could not cancel a statement', {
              error: error instanceof Error ? error.message : String(error),
            });
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
