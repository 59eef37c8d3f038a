/**
 * @module
 * The PostgreSQL the tests run against. `TEST_DATABASE_URL` (a superuser URL, as CI's scripts
 * set it) wins; otherwise this starts a throwaway cluster from the machine's PostgreSQL binaries
 * on a free loopback port, with its data and socket in a temp dir, and stops it afterwards. As
 * root it runs the server as the `postgres` user, since PostgreSQL refuses to run as root. Only
 * when PostgreSQL is not installed at all do the database tests skip, saying why.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A superuser URL of the test cluster; empty when there is none. */
    databaseUrl: string;
    /** Why there is no database, when there is none. */
    databaseSkipReason: string;
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

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (typeof address === 'object' && address !== null) resolve(address.port);
        else reject(new Error('no port'));
      });
    });
  });
}

function say(line: string): void {
  process.stderr.write(`[server-postgres tests] ${line}\n`);
}

export default async function setup(project: TestProject): Promise<(() => void) | undefined> {
  const given = process.env.TEST_DATABASE_URL;
  if (given !== undefined && given !== '') {
    project.provide('databaseUrl', given);
    project.provide('databaseSkipReason', '');
    return undefined;
  }
  const bin = postgresBin();
  if (bin === undefined) {
    const reason =
      'PostgreSQL is not installed (apt-get install -y postgresql) and TEST_DATABASE_URL is not set: SKIPPING every test that needs a database';
    say(`!!! ${reason}`);
    project.provide('databaseUrl', '');
    project.provide('databaseSkipReason', reason);
    return undefined;
  }
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'server-postgres-test-'));
  chmodSync(dir, 0o755);
  const run = (program: string, args: readonly string[]): void => {
    const argv = asRoot ? ['-u', 'postgres', '--', join(bin, program), ...args] : args;
    execFileSync(asRoot ? 'runuser' : join(bin, program), argv, { stdio: 'pipe' });
  };
  if (asRoot) {
    const uid = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
    const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
    if (uid.status !== 0)
      throw new Error('Running as root, but there is no postgres user to run PostgreSQL as');
    chownSync(dir, Number(uid.stdout.trim()), Number(gid.stdout.trim()));
  }
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
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200 -c shared_preload_libraries=pg_stat_statements`,
    'start',
  ]);
  say(`started a throwaway PostgreSQL from ${bin} on 127.0.0.1:${port}`);
  project.provide('databaseUrl', `postgresql://postgres@127.0.0.1:${port}/postgres`);
  project.provide('databaseSkipReason', '');
  return () => {
    try {
      run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}
