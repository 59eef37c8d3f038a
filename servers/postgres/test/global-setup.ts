/**
 * @module
 * The PostgreSQL the tests run against. `TEST_DATABASE_URL` (a superuser URL, as CI's scripts
 * set it) wins; otherwise this starts a throwaway cluster from the machine's PostgreSQL binaries
 * on a free loopback port, with its data and socket in a temp dir, and stops it afterwards. As
 * root it runs the server as the `postgres` user, since PostgreSQL refuses to run as root. Only
 * when PostgreSQL is not installed at all do the database tests skip, saying why. In front of
 * the cluster it starts PgBouncer twice, in session and in transaction pool mode; without
 * PgBouncer only the pooler tests skip, saying why.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@plugboard/testing';
import type { TestProject } from 'vitest/node';
import {
  pgbouncerBinary,
  startPgBouncer,
  type PoolMode,
  type RunningPgBouncer,
} from './support/pgbouncer.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A superuser URL of the test cluster; empty when there is none. */
    databaseUrl: string;
    /** Why there is no database, when there is none. */
    databaseSkipReason: string;
    /** The loopback port of PgBouncer in each pool mode; empty when there is none. */
    poolerPorts: Partial<Record<PoolMode, number>>;
    /** Why there is no pooler, when there is none. */
    poolerSkipReason: string;
  }
}

function postgresBin(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
  for (const version of versions) {
    const bin = join(root, version, 'bin');
    if (existsSync(join(bin, 'postgres')) && existsSync(join(bin, 'initdb'))) return bin;
  }
  return undefined;
}

function say(line: string): void {
  process.stderr.write(`[server-postgres tests] ${line}\n`);
}

/** The postgres user, which PostgreSQL and PgBouncer run as when the tests run as root. */
function postgresUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const uid = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (uid.status !== 0)
    throw new Error('Running as root, but there is no postgres user to run PostgreSQL as');
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

function scratchDir(owner: { uid: number; gid: number } | undefined): string {
  const dir = mkdtempSync(join(tmpdir(), 'server-postgres-test-'));
  chmodSync(dir, 0o755);
  if (owner !== undefined) chownSync(dir, owner.uid, owner.gid);
  return dir;
}

/** PgBouncer in both pool modes in front of `databaseUrl`; returns how to stop them. */
async function startPoolers(
  project: TestProject,
  databaseUrl: string,
  dir: string,
  owner: { uid: number; gid: number } | undefined,
): Promise<() => void> {
  const binary = pgbouncerBinary();
  if ('missing' in binary) {
    const reason = `${binary.missing}: SKIPPING the tests through a pooler`;
    say(`!!! ${reason}`);
    project.provide('poolerPorts', {});
    project.provide('poolerSkipReason', reason);
    return () => undefined;
  }
  const poolers: RunningPgBouncer[] = [];
  for (const mode of ['session', 'transaction'] as const) {
    poolers.push(
      await startPgBouncer({
        binary: binary.path,
        adminUrl: databaseUrl,
        mode,
        port: await freePort(),
        dir,
        ...(owner === undefined ? {} : { owner }),
      }),
    );
  }
  const [session, transaction] = poolers;
  say(
    `started PgBouncer in session mode on ${session!.port}, transaction mode on ${transaction!.port}`,
  );
  project.provide('poolerPorts', { session: session!.port, transaction: transaction!.port });
  project.provide('poolerSkipReason', '');
  return () => {
    for (const pooler of poolers) pooler.stop();
  };
}

export default async function setup(project: TestProject): Promise<(() => void) | undefined> {
  const given = process.env.TEST_DATABASE_URL;
  const owner = postgresUser();
  if (given !== undefined && given !== '') {
    project.provide('databaseUrl', given);
    project.provide('databaseSkipReason', '');
    const dir = scratchDir(owner);
    const stopPoolers = await startPoolers(project, given, dir, owner);
    return () => {
      stopPoolers();
      rmSync(dir, { recursive: true, force: true });
    };
  }
  const bin = postgresBin();
  if (bin === undefined) {
    const reason =
      'PostgreSQL is not installed (apt-get install -y postgresql) and TEST_DATABASE_URL is not set: SKIPPING every test that needs a database';
    say(`!!! ${reason}`);
    project.provide('databaseUrl', '');
    project.provide('databaseSkipReason', reason);
    project.provide('poolerPorts', {});
    project.provide('poolerSkipReason', reason);
    return undefined;
  }
  const asRoot = owner !== undefined;
  const dir = scratchDir(owner);
  const run = (program: string, args: readonly string[]): void => {
    const argv = asRoot ? ['-u', 'postgres', '--', join(bin, program), ...args] : args;
    execFileSync(asRoot ? 'runuser' : join(bin, program), argv, { stdio: 'pipe' });
  };
  const port = await freePort();
  const data = join(dir, 'data');
  run('initdb', [
    '-D',
    data,
    '-U',
    'postgres',
    '-A',
    'trust',
    '-E',
    'UTF8',
    '--no-locale',
    '--no-sync',
  ]);
  run('pg_ctl', [
    '-D',
    data,
    '-l',
    join(dir, 'server.log'),
    '-w',
    '-t',
    '60',
    '-o',
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200 -c max_prepared_transactions=8 -c shared_preload_libraries=pg_stat_statements`,
    'start',
  ]);
  say(`started a throwaway PostgreSQL from ${bin} on 127.0.0.1:${port}`);
  const databaseUrl = `postgresql://postgres@127.0.0.1:${port}/postgres`;
  project.provide('databaseUrl', databaseUrl);
  project.provide('databaseSkipReason', '');
  const stopCluster = (): void => {
    try {
      run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  let stopPoolers: () => void;
  try {
    stopPoolers = await startPoolers(project, databaseUrl, dir, owner);
  } catch (error) {
    stopCluster();
    throw error;
  }
  return () => {
    try {
      stopPoolers();
    } finally {
      stopCluster();
    }
  };
}
