/**
 * @module
 * A throwaway Redis for tests of the shared store: the Debian `redis-server` on a free loopback
 * port, no persistence, its files in a temp dir. Installed with apt-get when missing and the
 * tests run as root (as the test run installs PostgreSQL); otherwise {@link findRedisServer}
 * is undefined and the suite should skip loudly. It can be stopped and started again on the same
 * port, to test a store that goes away and comes back.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { freePort } from './free-port.js';
import { tmpDir, type TmpDir } from './tmp-dir.js';
import { waitFor } from './wait-for.js';

const CANDIDATES = [
  '/usr/bin/redis-server',
  '/usr/sbin/redis-server',
  '/usr/local/bin/redis-server',
];

/** The redis-server binary if it is installed; undefined otherwise. */
export function locateRedisServer(): string | undefined {
  return CANDIDATES.find((path) => existsSync(path));
}

/** The redis-server binary, installing the Debian package when it is missing and we are root. */
export function findRedisServer(): string | undefined {
  const known = locateRedisServer();
  if (known !== undefined || process.getuid?.() !== 0) return known;
  try {
    execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'redis-server'], {
      stdio: 'ignore',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  } catch {
    return undefined;
  }
  return locateRedisServer();
}

export interface RedisServer {
  /** `redis://127.0.0.1:<port>`. */
  readonly url: string;
  readonly port: number;
  /** Starts it again on the same port after {@link RedisServer.stop}. */
  start(): Promise<void>;
  /** Kills it at once (SIGKILL), as a crash or a network cut would. */
  stop(): Promise<void>;
  /** Stops it and removes its files. */
  close(): Promise<void>;
}

async function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.setTimeout(1000);
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString().startsWith('+PONG'));
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

export async function startRedis(binary: string): Promise<RedisServer> {
  const port = await freePort();
  const dir: TmpDir = await tmpDir('plugboard-redis-');
  let child: ChildProcess | undefined;
  const start = async (): Promise<void> => {
    if (child !== undefined) return;
    const started = spawn(
      binary,
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { cwd: dir.path, stdio: 'ignore' },
    );
    child = started;
    started.once('exit', () => {
      if (child === started) child = undefined;
    });
    await waitFor(() => answersPing(port), { description: `redis-server on port ${port}` });
  };
  const stop = async (): Promise<void> => {
    const running = child;
    if (running === undefined) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGKILL');
    await exited;
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    start,
    stop,
    async close() {
      await stop();
      await dir.cleanup();
    },
  };
}
