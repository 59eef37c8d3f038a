/**
 * @module
 * A built server spawned to listen on HTTP (`--transport http --port 0` among its arguments):
 * resolves once it prints its `listening on <url>` line, with that URL, everything it wrote on
 * stderr, and a stop that waits for the exit. For tests that need the process itself (several
 * instances, a kill, a store outage); {@link connectHttp} adds the SDK client on top.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { defaultEnvironment } from './raw-stdio.js';

export interface HttpServerOptions {
  readonly command: string;
  /** Must make the server listen on HTTP, e.g. `[SERVER, '--transport', 'http', '--port', '0']`. */
  readonly args: readonly string[];
  /** Added to the minimal environment (PATH, HOME, ...). */
  readonly env?: Readonly<Record<string, string>>;
}

export interface HttpServerProcess {
  /** The MCP endpoint, `http://127.0.0.1:<port>/mcp`. */
  readonly url: string;
  readonly port: number;
  readonly child: ChildProcessWithoutNullStreams;
  /** Everything it wrote on stderr so far. */
  stderr(): string;
  /** True while the process runs. */
  alive(): boolean;
  /** Sends `signal` (SIGTERM by default) unless it has exited, and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export async function spawnHttpServer(options: HttpServerOptions): Promise<HttpServerProcess> {
  const child = spawn(options.command, [...options.args], {
    env: { ...defaultEnvironment(), ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  child.stdin.end();
  child.stdout.resume();
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const alive = (): boolean => child.exitCode === null && child.signalCode === null;
  const stop = async (signal: NodeJS.Signals = 'SIGTERM'): Promise<void> => {
    if (alive()) child.kill(signal);
    await exited;
  };
  try {
    const listening = await new Promise<string>((resolve, reject) => {
      const look = (): void => {
        const found = /listening on (http:\/\/\S+)/.exec(stderr);
        if (found?.[1] !== undefined) resolve(found[1]);
      };
      child.stderr.on('data', look);
      child.once('exit', () => reject(new Error(`server exited: ${stderr}`)));
      child.once('error', reject);
    });
    const url = listening.endsWith('/mcp') ? listening : `${listening}/mcp`;
    return { url, port: Number(new URL(url).port), child, stderr: () => stderr, alive, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
