/**
 * @module
 * A real nginx in front of several instances of a server, for the hosted-mode tests and the bench, with a
 * site configuration as `deploy/` ships it (its ports swapped for free ones). It runs in the foreground as
 * a child process with its own config, prefix and temp files, never as the system service.
 * Installed by the test run (`scripts/test.sh`) when missing; {@link findNginx} is undefined
 * otherwise and the suite (or the bench) should skip loudly.
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

/**
 * A whole nginx.conf around `site` (an upstream and a server block, as `deploy/` ships them):
 * its upstream servers become `upstreams`, its listen address the free `port`, and every file
 * nginx writes goes under `dir`.
 */
function config(dir: string, port: number, site: string, upstreams: readonly number[]): string {
  const servers = site.match(/^[ \t]*server 127\.0\.0\.1:\d+[^;\n]*;$/gm) ?? [];
  if (servers.length === 0) throw new Error('the nginx site names no upstream server');
  const template = servers[0]!;
  let placed = site.replace(servers[0]!, () =>
    upstreams
      .map((upstream) => template.replace(/127\.0\.0\.1:\d+/, `127.0.0.1:${upstream}`))
      .join('\n'),
  );
  for (const extra of servers.slice(1)) placed = placed.replace(`${extra}\n`, '');
  placed = placed.replace(/listen 127\.0\.0\.1:\d+;/, `listen 127.0.0.1:${port};`);
  return `daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
${placed}
}
`;
}

/**
 * nginx on a free loopback port with the site configuration `site` (the text of a `deploy/`
 * example), balancing over the instances listening on `upstreams`.
 */
export async function startNginx(
  binary: string,
  site: string,
  upstreams: readonly number[],
): Promise<Nginx> {
  const port = await freePort();
  const dir = await tmpDir('plugboard-nginx-');
  const file = path.join(dir.path, 'nginx.conf');
  await writeFile(file, config(dir.path, port, site, upstreams));
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
