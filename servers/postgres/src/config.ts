/**
 * @module
 * The server's configuration from its command line and environment, as a pure function: where the
 * database is (a PostgreSQL URL, the libpq environment variables, or an embedded data directory),
 * what the operator allows (writes, schema changes, a privileged role), and the limits every call
 * runs under. Nothing here connects; bad configuration is a {@link UsageError}.
 */
import { isAbsolute, resolve } from 'node:path';
import { type FlagValue, integerFlag, UsageError } from '@plugboard/kit/cli';
import type { ClientConfig } from 'pg';
import { parse as parseConnectionString } from 'pg-connection-string';

/** A PostgreSQL server reached over the network or a Unix socket. */
export interface ServerTarget {
  kind: 'server';
  /** Connection settings for `pg` (host, port, user, password, database, TLS). */
  client: ClientConfig;
  /** The URL without its password or query string, for logs and messages. */
  display: string;
}

/** PostgreSQL compiled to WebAssembly, running inside this process (PGlite). */
export interface EmbeddedTarget {
  kind: 'embedded';
  /** The data directory; undefined gives a private scratch directory, removed on close. */
  dataDir: string | undefined;
  display: string;
}

export type DatabaseTarget = ServerTarget | EmbeddedTarget;

/** Limits every call runs under; the database enforces the timeouts. */
export interface Limits {
  statementTimeoutMs: number;
  lockTimeoutMs: number;
  idleInTransactionTimeoutMs: number;
  /** Rows one result may carry. */
  maxRows: number;
  /** UTF-8 bytes one result may carry (its rows, counted as JSON plus text). */
  maxBytes: number;
}

export interface PostgresConfig {
  target: DatabaseTarget;
  /** Prefix of the per-table schema resources, e.g. `postgres://alice@db:5432/`. */
  resourceBase: string;
  /** Strings that must never leave the server (the password), for redaction. */
  secrets: readonly string[];
  allowWrite: boolean;
  allowDdl: boolean;
  allowPrivilegedRole: boolean;
  limits: Limits;
  /** Set when the password came on the command line, where the process list shows it. */
  passwordInArguments: boolean;
}

export const DEFAULT_LIMITS: Limits = {
  statementTimeoutMs: 30_000,
  lockTimeoutMs: 10_000,
  idleInTransactionTimeoutMs: 60_000,
  maxRows: 1000,
  maxBytes: 64 * 1024,
};

const USAGE_HINT =
  'Set DATABASE_URL=postgresql://user@host:5432/db (preferred), pass the URL as the argument, or use --embedded';

export interface ConfigInput {
  flags: ReadonlyMap<string, FlagValue>;
  positionals: readonly string[];
  env: Readonly<Record<string, string | undefined>>;
}

/** Parses the command line and environment into the configuration, or throws a UsageError. */
export function parseConfig({ flags, positionals, env }: ConfigInput): PostgresConfig {
  if (positionals.length > 1) {
    throw new UsageError(
      `Expected one connection URL (or data directory with --embedded), got ${positionals.length} arguments`,
    );
  }
  const allowWrite = flags.get('allow-write') === true;
  const allowDdl = flags.get('allow-ddl') === true;
  if (allowDdl && !allowWrite) {
    throw new UsageError(
      '--allow-ddl needs --allow-write: schema changes are a step beyond data changes; pass both',
    );
  }
  const statementTimeoutMs = integerFlag(flags, 'statement-timeout', {
    fallback: DEFAULT_LIMITS.statementTimeoutMs,
    min: 100,
    max: 86_400_000,
  });
  const limits: Limits = {
    statementTimeoutMs,
    // Below the statement timeout, so a lock wait says so instead of looking like a slow query.
    lockTimeoutMs: Math.min(DEFAULT_LIMITS.lockTimeoutMs, Math.ceil(statementTimeoutMs / 2)),
    idleInTransactionTimeoutMs: Math.max(
      DEFAULT_LIMITS.idleInTransactionTimeoutMs,
      statementTimeoutMs,
    ),
    maxRows: integerFlag(flags, 'max-rows', {
      fallback: DEFAULT_LIMITS.maxRows,
      min: 1,
      max: 100_000,
    }),
    maxBytes: integerFlag(flags, 'max-bytes', {
      fallback: DEFAULT_LIMITS.maxBytes,
      min: 4096,
      max: 16 * 1024 * 1024,
    }),
  };
  const argument = positionals[0];
  const embedded = flags.get('embedded') === true;
  const base = {
    allowWrite,
    allowDdl,
    allowPrivilegedRole: flags.get('allow-privileged-role') === true,
    limits,
  };
  if (embedded) {
    return { ...base, ...embeddedTarget(argument), secrets: [], passwordInArguments: false };
  }
  const url = argument ?? nonEmpty(env.DATABASE_URL);
  if (url !== undefined && /^pglite:/i.test(url)) {
    return { ...base, ...embeddedTarget(pglitePath(url)), secrets: [], passwordInArguments: false };
  }
  if (url === undefined) {
    if (nonEmpty(env.PGHOST) === undefined && nonEmpty(env.PGDATABASE) === undefined) {
      throw new UsageError(`No database given. ${USAGE_HINT}`);
    }
    return { ...base, ...libpqEnvironmentTarget(env), passwordInArguments: false };
  }
  const server = serverTarget(url);
  const envPassword = nonEmpty(env.PGPASSWORD);
  return {
    ...base,
    target: server.target,
    resourceBase: server.resourceBase,
    secrets: [server.password, envPassword].filter((secret) => secret !== undefined),
    passwordInArguments: argument !== undefined && server.password !== undefined,
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

function embeddedTarget(dir: string | undefined): Pick<PostgresConfig, 'target' | 'resourceBase'> {
  const dataDir = dir === undefined ? undefined : isAbsolute(dir) ? dir : resolve(dir);
  return {
    target: {
      kind: 'embedded',
      dataDir,
      display:
        dataDir === undefined
          ? 'embedded PostgreSQL (in memory)'
          : `embedded PostgreSQL in ${dataDir}`,
    },
    resourceBase: 'postgres://embedded/',
  };
}

/**
 * The directory of a `pglite:` URL: `pglite:` or `pglite:memory` is in memory, `pglite:///abs/dir`
 * and `pglite:dir` name a directory.
 */
function pglitePath(url: string): string | undefined {
  let rest = url.slice('pglite:'.length);
  if (rest.startsWith('//')) {
    rest = rest.slice(2);
    if (rest !== '' && rest !== 'memory' && !rest.startsWith('/')) {
      throw new UsageError(
        `Cannot read the embedded database URL: use pglite:///absolute/dir, pglite:relative/dir or pglite:memory`,
      );
    }
  }
  return rest === '' || rest === 'memory' ? undefined : decodeURIComponent(rest);
}

function serverTarget(url: string): {
  target: ServerTarget;
  resourceBase: string;
  password: string | undefined;
} {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`The connection URL is not a URL. ${USAGE_HINT}`);
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new UsageError(
      `The connection URL must start with postgresql:// or postgres:// (or pglite: for an embedded database), got ${parsed.protocol}//`,
    );
  }
  const options = parseConnectionString(url);
  const password = nonEmpty(options.password);
  const client: ClientConfig = {};
  for (const [key, value] of Object.entries(options)) {
    // Timeouts are ours to set; the rest (host, TLS, options, application_name...) is the operator's.
    if (value === null || value === undefined || value === '' || TIMEOUT_KEYS.has(key)) continue;
    Object.assign(client, { [key]: key === 'port' ? Number(value) : value });
  }
  // The official server's resource base: the URL with scheme postgres: and no password.
  const base = new URL(url);
  base.protocol = 'postgres:';
  base.password = '';
  base.search = '';
  base.hash = '';
  const display = new URL(url);
  display.password = '';
  display.search = '';
  display.hash = '';
  return {
    target: { kind: 'server', client, display: display.href },
    resourceBase: new URL('.', base).href,
    password,
  };
}

const TIMEOUT_KEYS = new Set([
  'statement_timeout',
  'lock_timeout',
  'idle_in_transaction_session_timeout',
  'query_timeout',
]);

function libpqEnvironmentTarget(
  env: Readonly<Record<string, string | undefined>>,
): Pick<PostgresConfig, 'target' | 'resourceBase' | 'secrets'> {
  const host = nonEmpty(env.PGHOST) ?? 'localhost';
  const port = nonEmpty(env.PGPORT) ?? '5432';
  const user = nonEmpty(env.PGUSER) ?? nonEmpty(env.USER) ?? 'postgres';
  const database = nonEmpty(env.PGDATABASE) ?? user;
  const hostPart = host.startsWith('/') ? '' : `${host}:${port}`;
  const password = nonEmpty(env.PGPASSWORD);
  return {
    // pg reads PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE and PGSSLMODE itself.
    target: {
      kind: 'server',
      client: {},
      display: `postgresql://${encodeURIComponent(user)}@${hostPart}/${encodeURIComponent(database)}`,
    },
    resourceBase: `postgres://${encodeURIComponent(user)}@${hostPart}/`,
    secrets: password === undefined ? [] : [password],
  };
}
