/**
 * @module
 * deploy/nginx.conf works as written: two instances of an installed server in stateless HTTP
 * mode, sharing MCP_REQUEST_STATE_KEY, behind nginx on 127.0.0.1. A 2026-07-28 client (the
 * official v2 client pinned to that revision) lists and calls tools through the balancer, both
 * instances answer, and calls keep working after one instance stops. nginx is installed by the
 * test run (`scripts/test.sh`) when missing; without it the suite is skipped loudly.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { findNginx, freePort, waitFor } from '@plugboard/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { cleanEnv } from './support/npm.js';
import { profiles, type Prepared } from './support/profiles.js';
import { repoRoot } from './support/workspace.js';

const installs = inject('installs');
const git = installs.installed.find((candidate) => candidate.id === 'git');

const nginx = git === undefined ? undefined : findNginx();
if (git === undefined)
  process.stderr.write('SKIP [load-balancer] the git server is not installed\n');
else if (nginx === undefined)
  process.stderr.write(
    'SKIP [load-balancer] nginx is missing (scripts/test.sh installs it when run as root)\n',
  );

async function healthy(url: string): Promise<boolean> {
  try {
    return (await fetch(url)).ok;
  } catch {
    return false;
  }
}

describe.skipIf(git === undefined || nginx === undefined)(
  'deploy/nginx.conf with two instances',
  () => {
    const children: ChildProcess[] = [];
    const ports = { a: 0, b: 0, front: 0 };
    let work = '';
    let prepared: Prepared | undefined;

    beforeAll(async () => {
      if (git === undefined || nginx === undefined || profiles.git === undefined) return;
      work = await mkdtemp(join(tmpdir(), 'plugboard-lb-'));
      prepared = await profiles.git();
      ports.a = await freePort();
      ports.b = await freePort();
      ports.front = await freePort();
      const stateKey = randomBytes(32).toString('hex');
      for (const port of [ports.a, ports.b]) {
        const child = spawn(
          git.bin,
          ['--transport', 'http', '--port', String(port), ...prepared.args],
          {
            env: cleanEnv({ ...prepared.env, MCP_REQUEST_STATE_KEY: stateKey }),
            stdio: ['ignore', 'ignore', 'inherit'],
          },
        );
        children.push(child);
      }
      const example = readFileSync(join(repoRoot, 'deploy/nginx.conf'), 'utf8')
        .replace('127.0.0.1:3101', `127.0.0.1:${ports.a}`)
        .replace('127.0.0.1:3102', `127.0.0.1:${ports.b}`)
        .replace('listen 127.0.0.1:8080', `listen 127.0.0.1:${ports.front}`);
      await mkdir(join(work, 'logs'));
      const config = join(work, 'nginx.conf');
      await writeFile(
        config,
        [
          'daemon off;',
          'worker_processes 1;',
          `pid ${join(work, 'nginx.pid')};`,
          `error_log ${join(work, 'logs/error.log')} warn;`,
          'events { worker_connections 64; }',
          'http {',
          `  log_format upstream '$upstream_addr $status';`,
          `  access_log ${join(work, 'logs/access.log')} upstream;`,
          ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(
            (kind) => `  ${kind}_temp_path ${join(work, kind)};`,
          ),
          example,
          '}',
        ].join('\n'),
      );
      children.push(
        spawn(nginx, ['-p', work, '-c', config], { stdio: ['ignore', 'ignore', 'inherit'] }),
      );
      await waitFor(
        async () =>
          (await healthy(`http://127.0.0.1:${ports.a}/healthz`)) &&
          (await healthy(`http://127.0.0.1:${ports.b}/healthz`)),
        { timeoutMs: 30_000 },
      );
      await waitFor(() => healthy(`http://127.0.0.1:${ports.front}/healthz`), {
        timeoutMs: 30_000,
      });
    });

    afterAll(async () => {
      for (const child of children) child.kill('SIGTERM');
      await prepared?.cleanup();
      if (work !== '') await rm(work, { recursive: true, force: true });
    });

    async function connect(): Promise<Client> {
      const client = new Client(
        { name: 'plugboard-lb', version: '0.0.0' },
        { versionNegotiation: { mode: { pin: '2026-07-28' } } },
      );
      await client.connect(
        new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${ports.front}/mcp`)),
      );
      return client;
    }

    it('spreads 2026-07-28 requests over both instances and every call succeeds', async () => {
      if (prepared === undefined) throw new Error('setup did not run');
      const client = await connect();
      try {
        const { tools } = await client.listTools();
        expect(tools.map((tool) => tool.name)).toContain(prepared.call.name);
        for (let round = 0; round < 6; round += 1) {
          const result = await client.callTool({
            name: prepared.call.name,
            arguments: prepared.call.arguments,
          });
          expect(result.isError, JSON.stringify(result.content)).not.toBe(true);
          expect(JSON.stringify(result.content)).toContain(prepared.expectText);
        }
      } finally {
        await client.close();
      }
      const upstreams = readFileSync(join(work, 'logs/access.log'), 'utf8');
      expect(upstreams).toContain(`127.0.0.1:${ports.a} 200`);
      expect(upstreams).toContain(`127.0.0.1:${ports.b} 200`);
    });

    it('keeps answering after one instance stops', async () => {
      if (prepared === undefined) throw new Error('setup did not run');
      const [first] = children;
      first?.kill('SIGTERM');
      await waitFor(async () => !(await healthy(`http://127.0.0.1:${ports.a}/healthz`)), {
        timeoutMs: 10_000,
      });
      const client = await connect();
      try {
        for (let round = 0; round < 4; round += 1) {
          const result = await client.callTool({
            name: prepared.call.name,
            arguments: prepared.call.arguments,
          });
          expect(result.isError, JSON.stringify(result.content)).not.toBe(true);
        }
      } finally {
        await client.close();
      }
    });
  },
);
