/**
 * @module
 * A real nginx in front of several instances of a server, for the hosted-mode tests: round
 * robin with no stickiness, as a plain load balancer is, SSE unbuffered, and a request whose
 * connection an instance refused (a killed one) tried on the next. It runs in the foreground as
 * a child process with its own config, prefix and temp files, never as the system service.
 * Installed by the test run (`scripts/test.sh`) when missing; {@link findNginx} is undefined
 * otherwise and the suite should skip loudly.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { freePort } from './free-port.js';
import { tmpDir } from './tmp-dir.js';
import { waitFor } from './wait-for.js';

const CANDIDATES = ['/usr/sbin/nginx', '/usr/bin/nginx', '/usr/local/sbin/nginx'];

export function findNginx(): string | undefined {
  return CANDIDATES.find((candidate) => existsSync(candidate));
}

export interface Nginx {
  /** The balanced MCP endpoint, `http://127.0.0.1:<port>/mcp`. */
  readonly url: string;
  close(): Promise<void>;
}

function config(dir: string, port: number, upstreams: readonly number[]): string {
  const servers = upstreams
    .map((upstream) => `    server 127.0.0.1:${upstream} max_fails=1 fail_timeout=30s;`)
    .join('\n');
  return `daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  upstream mcp {
${servers}
  }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://mcp;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_buffering off;
      proxy_read_timeout 1h;
      proxy_next_upstream error timeout non_idempotent;
      proxy_next_upstream_tries 3;
    }
  }
}
`;
}

/** nginx on a free loopback port, balancing over the instances listening on `upstreams`. */
export async function startNginx(binary: string, upstreams: readonly number[]): Promise<Nginx> {
  const port = await freePort();
  const dir = await tmpDir('plugboard-nginx-');
  const file = path.join(dir.path, 'nginx.conf');
  await writeFile(file, config(dir.path, port, upstreams));
  const child: ChildProcess = spawn(binary, ['-c', file, '-p', dir.path], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}/mcp`;
  try {
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`nginx exited: ${stderr}`);
        const response = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined);
        return response !== undefined;
      },
      { timeoutMs: 10_000, description: 'nginx to listen' },
    );
  } catch (error) {
    child.kill('SIGKILL');
    await dir.cleanup();
    throw error;
  }
  return {
    url,
    async close() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
      await dir.cleanup();
    },
  };
}
