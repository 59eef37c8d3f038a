/**
 * @module
 * PgBouncer in front of the test cluster, one instance per pool mode, as production databases and
 * hosted poolers sit behind one. Each instance checks the client's password itself (SCRAM, with
 * the secret looked up in `pg_shadow` through `auth_query`), forwards every database name to the
 * cluster, and, like hosted poolers, refuses start-up parameters it does not know. It refuses to
 * run as root, so as root it runs as the `postgres` user. The Debian package is installed when
 * missing and this is root, as the test setup does for PostgreSQL itself.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';

export type PoolMode = 'session' | 'transaction';

const PGBOUNCER = '/usr/sbin/pgbouncer';
const START_TIMEOUT_MS = 20_000;

/** The pgbouncer binary, installing the Debian package as root when it is missing. */
export function pgbouncerBinary(): { path: string } | { missing: string } {
  if (existsSync(PGBOUNCER)) return { path: PGBOUNCER };
  if (process.getuid?.() !== 0) {
    return { missing: 'PgBouncer is not installed (apt-get install -y pgbouncer)' };
  }
  const install = (): boolean =>
    spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'pgbouncer'], {
      stdio: 'ignore',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    }).status === 0;
  if (!install()) {
    spawnSync('apt-get', ['update', '-qq'], { stdio: 'ignore' });
    install();
  }
  return existsSync(PGBOUNCER)
    ? { path: PGBOUNCER }
    : { missing: 'PgBouncer is not installed and apt-get install pgbouncer failed' };
}

export interface PgBouncerOptions {
  binary: string;
  /** A superuser URL of the cluster; its user is the one that looks up passwords. */
  adminUrl: string;
  mode: PoolMode;
  port: number;
  /** A directory for the configuration, log and socket (owned by `owner` when given). */
  dir: string;
  owner?: { uid: number; gid: number };
}

export interface RunningPgBouncer {
  /** The loopback port it listens on. */
  readonly port: number;
  stop(): void;
}

function quote(value: string): string {
  return `"${value.replace(/"/g, '""')}"`;
}

function waitForPort(port: number, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    const attempt = (): void => {
      if (child.exitCode !== null) {
        reject(new Error(`pgbouncer exited with ${child.exitCode}: ${log()}`));
        return;
      }
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve();
      });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() > deadline) reject(new Error(`pgbouncer did not listen: ${log()}`));
        else setTimeout(attempt, 100);
      });
    };
    attempt();
  });
}

/** Starts one PgBouncer in `mode` on `port`; resolves once it accepts connections. */
export async function startPgBouncer(options: PgBouncerOptions): Promise<RunningPgBouncer> {
  const admin = new URL(options.adminUrl);
  const adminUser = decodeURIComponent(admin.username || 'postgres');
  const adminPassword = decodeURIComponent(admin.password);
  const dir = join(options.dir, `pgbouncer-${options.mode}`);
  mkdirSync(dir, { recursive: true });
  const file = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, text, { mode: 0o600 });
    if (options.owner !== undefined) chownSync(path, options.owner.uid, options.owner.gid);
    return path;
  };
  if (options.owner !== undefined) chownSync(dir, options.owner.uid, options.owner.gid);
  const authFile = file('users.txt', `${quote(adminUser)} ${quote(adminPassword)}\n`);
  const logFile = join(dir, 'pgbouncer.log');
  const config = file(
    'pgbouncer.ini',
    [
      '[databases]',
      `* = host=${admin.hostname} port=${admin.port || '5432'}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${options.port}`,
      `unix_socket_dir = ${dir}`,
      `logfile = ${logFile}`,
      `pool_mode = ${options.mode}`,
      'auth_type = scram-sha-256',
      `auth_file = ${authFile}`,
      `auth_user = ${adminUser}`,
      'max_client_conn = 500',
      'default_pool_size = 10',
      '',
    ].join('\n'),
  );
  const argv =
    options.owner === undefined ? [config] : ['-u', 'postgres', '--', options.binary, config];
  const child = spawn(options.owner === undefined ? options.binary : 'runuser', argv, {
    stdio: 'ignore',
  });
  const log = (): string => {
    try {
      return spawnSync('tail', ['-n', '20', logFile], { encoding: 'utf8' }).stdout;
    } catch {
      return '';
    }
  };
  await waitForPort(options.port, child, log);
  return {
    port: options.port,
    stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
    },
  };
}
