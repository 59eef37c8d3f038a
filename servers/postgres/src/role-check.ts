/**
 * @module
 * The start-up check of the database role. Read-only transactions stop writes to tables, but a
 * superuser, a member of a superuser role (SET ROLE), or a role with pg_read_server_files,
 * pg_write_server_files or pg_execute_server_program can step outside the database (read and
 * write server files, run programs, open connections that are not read-only). The server refuses
 * to run with such a role unless the operator accepts it with --allow-privileged-role. The check
 * starts with the server, while the host initializes and lists the tools, and every call and
 * resource read waits for it (again, until it has passed, when the database was not reachable
 * yet). A refused role answers the calls that were waiting with the reason, and the process
 * exits 2 with the reason on stderr, so a host shows why the server stopped.
 */
import { ToolError, type Logger } from '@plugboard/protocol';
import type { PostgresConfig } from './config.js';
import type { Executor } from './executor.js';

const ROLE_SQL = `SELECT current_user AS role, current_setting('server_version') AS version,
    current_setting('track_counts') AS track_counts,
    (SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user) AS superuser,
    coalesce((SELECT json_agg(r.rolname ORDER BY r.rolname) FROM pg_catalog.pg_roles r
      WHERE r.rolname <> current_user AND pg_catalog.pg_has_role(current_user, r.oid, 'MEMBER')
        AND (r.rolsuper OR r.rolname IN ('pg_read_server_files', 'pg_write_server_files', 'pg_execute_server_program'))),
      '[]'::json) AS powers,
    current_setting('max_prepared_transactions')::int AS prepared_slots,
    coalesce((SELECT bool_or(pg_catalog.has_function_privilege(p.oid, 'EXECUTE')) FROM pg_catalog.pg_proc p
      WHERE p.pronamespace = 'pg_catalog'::regnamespace AND p.proname IN ('pg_terminate_backend', 'pg_cancel_backend')),
      false) AS can_signal`;

const POWERS: Readonly<Record<string, string>> = {
  pg_read_server_files: 'can read any file on the database server (pg_read_server_files)',
  pg_write_server_files: 'can write files on the database server (pg_write_server_files)',
  pg_execute_server_program: 'can run programs on the database server (pg_execute_server_program)',
};

export interface RoleReport {
  role: string;
  version: string;
  trackCounts: boolean;
  /** Why the role can bypass read-only; empty when it cannot. */
  bypasses: string[];
  /**
   * Effects outside a transaction the database would still allow this role (the statement
   * classifier refuses them; the README says how to make the database refuse them too).
   */
  outsideEffects: string[];
}

/** Reads the role and what it can do beyond the database's own tables. */
export async function inspectRole(executor: Executor, signal: AbortSignal): Promise<RoleReport> {
  const [row] = await executor.run({ mode: 'read-only', end: 'rollback', signal }, (tx) =>
    tx.query<{
      role: string;
      version: string;
      track_counts: string;
      superuser: boolean;
      powers: string[];
      prepared_slots: number;
      can_signal: boolean;
    }>(ROLE_SQL),
  );
  if (row === undefined) throw new Error('the role query returned nothing');
  const bypasses = row.superuser ? ['is a superuser'] : [];
  for (const power of row.powers) {
    bypasses.push(POWERS[power] ?? `is a member of the superuser role "${power}" (SET ROLE)`);
  }
  const outsideEffects = [
    ...(row.can_signal ? ['signal other sessions (pg_terminate_backend, pg_cancel_backend)'] : []),
    ...(row.prepared_slots > 0
      ? [`prepare transactions (max_prepared_transactions = ${row.prepared_slots})`]
      : []),
  ];
  return {
    role: row.role,
    version: row.version,
    trackCounts: row.track_counts === 'on',
    bypasses,
    outsideEffects,
  };
}

export interface StartupCheck {
  /** Resolves when calls may run; runs the check first if it has not passed yet. */
  wait: () => Promise<void>;
  /** Runs the check soon after start-up, in the background. */
  schedule: (delayMs: number) => void;
  cancel: () => void;
}

export interface StartupCheckOptions {
  config: PostgresConfig;
  /** An executor that does not wait for this check. */
  executor: Executor;
  logger: Logger;
  /** Ends the process (refusing to run); tests pass a recorder. */
  exit: (code: number) => void;
}

/** Why running with this role is refused, and how to fix it. */
export function refusal(report: RoleReport): string {
  return `The database role "${report.role}" can bypass read-only: it ${report.bypasses.join('; it ')}. Such a role can reach outside the database (server files, programs, connections that are not read-only), so read-only would not be a boundary. Connect as a role with only what the model needs (for example CREATE ROLE mcp_reader LOGIN PASSWORD '...'; GRANT pg_read_all_data TO mcp_reader), or accept the risk with --allow-privileged-role.`;
}

/** How long a refused server keeps answering (with the refusal) before it exits 2. */
const REFUSAL_GRACE_MS = 1000;

export function createStartupCheck({
  config,
  executor,
  logger,
  exit,
}: StartupCheckOptions): StartupCheck {
  let passed = false;
  let refused: string | undefined;
  let running: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  const controller = new AbortController();

  /**
   * Refuses every call from now on with `reason`, logs it, and ends the process once the calls
   * that came before the refusal have their answer. Those waiting for the check settle in this
   * turn; a call that arrived while the tools were still loading reaches the check only when
   * they are, which on a busy machine takes many turns: hence a grace of time, not of turns.
   * Calls that arrive during it are refused at once.
   */
  const refuse = (reason: string): void => {
    refused = reason;
    logger.error(reason);
    setTimeout(() => exit(2), REFUSAL_GRACE_MS);
  };

  const check = async (): Promise<void> => {
    let report: RoleReport;
    try {
      report = await inspectRole(executor, controller.signal);
    } catch (error) {
      // The calls themselves will report the connection problem; the check runs again next time.
      logger.warn('could not check the database role yet', {
        database: config.target.display,
        error: error instanceof Error ? error.message : String(error),
      });
      return;
    }
    logger.info('connected', {
      database: config.target.display,
      role: report.role,
      version: report.version,
      access: config.allowDdl
        ? 'read-write + DDL'
        : config.allowWrite
          ? 'read-write (DML)'
          : 'read-only',
    });
    if (config.target.kind === 'server' && report.outsideEffects.length > 0) {
      logger.info(
        `The database lets role "${report.role}" ${report.outsideEffects.join(' and ')}. Read-only calls refuse these statements; to make the database refuse them as well, see "Effects outside the transaction" in the README.`,
      );
    }
    if (config.target.kind === 'server' && report.bypasses.length > 0) {
      if (!config.allowPrivilegedRole) {
        refuse(`Refusing to run. ${refusal(report)}`);
        return;
      }
      logger.warn(
        `WARNING: ${refusal(report)} Running anyway because --allow-privileged-role was given.`,
      );
    }
    if (config.allowWrite && !config.allowDdl && !report.trackCounts) {
      refuse(
        'Refusing to run: track_counts is off, so execute_sql cannot tell data changes from schema changes. Turn track_counts on, or pass --allow-ddl as well.',
      );
      return;
    }
    passed = true;
  };

  const wait = async (): Promise<void> => {
    if (passed) return;
    if (refused !== undefined) throw new ToolError(refused);
    running ??= check().finally(() => {
      running = undefined;
    });
    await running;
    if (refused !== undefined) throw new ToolError(refused);
  };

  return {
    wait,
    schedule(delayMs) {
      timer = setTimeout(() => void wait().catch(() => undefined), delayMs);
      timer.unref();
    },
    cancel() {
      clearTimeout(timer);
      controller.abort();
    },
  };
}
