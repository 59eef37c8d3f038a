/**
 * @module
 * Per-file scratch databases on the test cluster. Each test file creates its own database, owned
 * by its own non-superuser role with a password, so files never see each other's tables, and the
 * role the server connects as is an owner that could drop its tables if read-only failed.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, inject } from 'vitest';

/** The superuser URL of the test cluster; empty when PostgreSQL is missing. */
export const adminUrl = inject('databaseUrl');

if (adminUrl === '') process.stderr.write(`SKIPPED: ${inject('databaseSkipReason')}\n`);

/** `describe`, skipped (with the reason printed above) when there is no database. */
export const describeWithDatabase: ReturnType<typeof describe.skipIf> = describe.skipIf(
  adminUrl === '',
);

const poolerPorts = inject('poolerPorts');

if (adminUrl !== '' && inject('poolerSkipReason') !== '') {
  process.stderr.write(`SKIPPED: ${inject('poolerSkipReason')}\n`);
}

/** `describe`, skipped (with the reason printed above) when PgBouncer is not running. */
export const describeWithPooler: ReturnType<typeof describe.skipIf> = describe.skipIf(
  poolerPorts.session === undefined || poolerPorts.transaction === undefined,
);

/** `url` (a URL of the test cluster) pointed at PgBouncer in `mode` instead. */
export function throughPooler(url: string, mode: 'session' | 'transaction'): string {
  const port = poolerPorts[mode];
  if (port === undefined) throw new Error(`no PgBouncer in ${mode} mode`);
  const parsed = new URL(url);
  parsed.hostname = '127.0.0.1';
  parsed.port = String(port);
  return parsed.href;
}

export interface ScratchDatabase {
  readonly name: string;
  /** The owning role, a non-superuser. */
  readonly role: string;
  readonly password: string;
  /** Connects as the owner, with its password. */
  readonly ownerUrl: string;
  /** Connects to this database as the cluster's superuser. */
  readonly superuserUrl: string;
  /** Runs SQL as the superuser in this database (fixtures, extensions, checks). */
  admin(sql: string, values?: unknown[]): Promise<pg.QueryResult>;
  /** The first value of the first row, run as the superuser (counts and checks). */
  scalar(sql: string, values?: unknown[]): Promise<unknown>;
  /** Runs SQL as the owner. */
  owner(sql: string, values?: unknown[]): Promise<pg.QueryResult>;
  /** Creates another role (a login role by default) with a password; dropped with the database. */
  createRole(suffix: string, attributes?: string): Promise<{ role: string; url: string }>;
  drop(): Promise<void>;
}

function withCredentials(
  url: string,
  user: string,
  password: string | undefined,
  database: string,
): string {
  const parsed = new URL(url);
  parsed.username = encodeURIComponent(user);
  parsed.password = password === undefined ? '' : encodeURIComponent(password);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.href;
}

async function once(url: string, sql: string, values: unknown[] = []): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(sql, values);
  } finally {
    await client.end();
  }
}

/** Creates a database and owner role named after `label` plus random characters. */
export async function createScratchDatabase(label: string): Promise<ScratchDatabase> {
  const name = `mcp_${label}_${randomBytes(4).toString('hex')}`;
  const role = `${name}_owner`;
  const password = `pw-${randomBytes(9).toString('base64url')}`;
  const roles = [role];
  await once(adminUrl, `CREATE ROLE "${role}" LOGIN PASSWORD '${password}'`);
  await once(adminUrl, `CREATE DATABASE "${name}" OWNER "${role}"`);
  const superuserUrl = withCredentials(
    adminUrl,
    new URL(adminUrl).username || 'postgres',
    undefined,
    name,
  );
  const ownerUrl = withCredentials(adminUrl, role, password, name);
  await once(superuserUrl, `ALTER SCHEMA public OWNER TO "${role}"`);
  return {
    name,
    role,
    password,
    ownerUrl,
    superuserUrl,
    admin: (sql, values) => once(superuserUrl, sql, values),
    async scalar(sql, values) {
      const { rows } = await once(superuserUrl, sql, values);
      const first = rows[0] as Record<string, unknown> | undefined;
      return first === undefined ? undefined : Object.values(first)[0];
    },
    owner: (sql, values) => once(ownerUrl, sql, values),
    async createRole(suffix, attributes = 'LOGIN') {
      const extra = `${name}_${suffix}`;
      const secret = `pw-${randomBytes(9).toString('base64url')}`;
      await once(adminUrl, `CREATE ROLE "${extra}" ${attributes} PASSWORD '${secret}'`);
      await once(superuserUrl, `GRANT CONNECT ON DATABASE "${name}" TO "${extra}"`);
      roles.push(extra);
      return { role: extra, url: withCredentials(adminUrl, extra, secret, name) };
    },
    async drop() {
      await once(adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      for (const each of roles.reverse()) await once(adminUrl, `DROP ROLE IF EXISTS "${each}"`);
    },
  };
}
