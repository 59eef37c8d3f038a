/**
 * @module
 * Redis unavailable, with built filesystem servers in hosted mode (`--store redis://…`): two
 * instances start while Redis is down and stay up; requests that need no shared state (a
 * 2026-07-28 tool call) are answered as usual, a session the instance does not hold gets 503 with
 * a clear message, and once Redis is there the session opened on one instance is served by the
 * other. Redis then dies mid-run and comes back: the same again, and no process ever exits.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  findRedisServer,
  openHttpSession,
  spawnHttpServer,
  startRedis,
  tmpDir,
  waitFor,
  type HttpServerProcess,
  type RedisServer,
  type TmpDir,
} from '@plugboard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const SERVER = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const redisBinary = findRedisServer();
if (redisBinary === undefined)
  process.stderr.write('SKIP [store outage] redis-server is missing and could not be installed\n');

type Instance = HttpServerProcess;

function startInstance(directory: string, store: string): Promise<Instance> {
  return spawnHttpServer({
    command: process.execPath,
    args: [SERVER, directory, '--transport', 'http', '--port', '0', '--store', store],
    env: { MCP_REQUEST_STATE_KEY: 'store-outage-test-key-0123456789' },
  });
}

const JSON_HEADERS = {
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
};

let dir: TmpDir;
let redis: RedisServer;
let a: Instance;
let b: Instance;
let file: string;

/** A 2026-07-28 read: needs nothing shared. */
async function modernRead(instance: Instance): Promise<Response> {
  return fetch(instance.url, {
    method: 'POST',
    headers: {
      ...JSON_HEADERS,
      'mcp-protocol-version': '2026-07-28',
      'mcp-method': 'tools/call',
      'mcp-name': 'read_text_file',
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: {
        name: 'read_text_file',
        arguments: { path: file },
        _meta: {
          'io.modelcontextprotocol/protocolVersion': '2026-07-28',
          'io.modelcontextprotocol/clientCapabilities': {},
        },
      },
    }),
  });
}

/** `initialize` on `instance`; the session id, or undefined when it was refused. */
function initialize(instance: Instance): Promise<string | undefined> {
  return openHttpSession(instance.url).catch(() => undefined);
}

/** A handshake-era read on `session`, sent to `instance`. */
function sessionRead(instance: Instance, session: string): Promise<Response> {
  return fetch(instance.url, {
    method: 'POST',
    headers: {
      ...JSON_HEADERS,
      'mcp-session-id': session,
      'mcp-protocol-version': '2025-11-25',
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 2,
      method: 'tools/call',
      params: { name: 'read_text_file', arguments: { path: file } },
    }),
  });
}

/** Opens a session on A (retrying while the store reconnects) and reads through it on B. */
async function crossInstanceRead(): Promise<string> {
  const session = await waitFor(() => initialize(a), {
    timeoutMs: 20_000,
    description: 'a session to open once Redis is back',
  });
  const response = await waitFor(
    async () => {
      const answer = await sessionRead(b, session);
      return answer.status === 200 ? answer : undefined;
    },
    { timeoutMs: 20_000, description: 'B to serve the session A opened' },
  );
  return response.text();
}

function expectAlive(instance: Instance): void {
  expect(instance.alive()).toBe(true);
}

describe.skipIf(redisBinary === undefined)('Redis unavailable, with two instances', () => {
  beforeAll(async () => {
    dir = await tmpDir('plugboard-store-outage-');
    file = path.join(dir.path, 'hello.txt');
    await writeFile(file, 'hello through an outage\n');
    redis = await startRedis(redisBinary!);
    // Down before the instances start: they must come up all the same.
    await redis.stop();
    [a, b] = await Promise.all([
      startInstance(dir.path, redis.url),
      startInstance(dir.path, redis.url),
    ]);
  }, 60_000);

  afterAll(async () => {
    await Promise.all([a, b].map((instance) => instance?.stop()));
    await redis?.close();
    await dir?.cleanup();
  });

  it('start and serve 2026-07-28 requests while Redis is down at start-up', async () => {
    const response = await modernRead(a);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('hello through an outage');
    expectAlive(a);
    expectAlive(b);
  });

  it('answer a session they do not hold with 503 and a clear message while Redis is down', async () => {
    const response = await sessionRead(b, 'a-session-held-nowhere-but-in-the-store');
    expect(response.status).toBe(503);
    expect(await response.text()).toMatch(/store is unavailable/);
    expect(b.stderr()).toMatch(/shared store unavailable.*could not read/);
    expectAlive(b);
  });

  it('share sessions across instances once Redis comes up', async () => {
    await redis.start();
    expect(await crossInstanceRead()).toContain('hello through an outage');
  }, 60_000);

  it('keep serving what needs no store when Redis dies mid-run, and 503 for what does', async () => {
    const session = await openHttpSession(a.url);
    await redis.stop();
    const modern = await modernRead(b);
    expect(modern.status).toBe(200);
    expect(await modern.text()).toContain('hello through an outage');
    // B never saw this session: it must ask the store, which is gone.
    const refused = await sessionRead(b, session);
    expect(refused.status).toBe(503);
    expect(await refused.text()).toMatch(/store is unavailable/);
    expectAlive(a);
    expectAlive(b);
  }, 60_000);

  it('share sessions again once Redis is back, and no instance ever exited', async () => {
    await redis.start();
    expect(await crossInstanceRead()).toContain('hello through an outage');
    expectAlive(a);
    expectAlive(b);
  }, 60_000);
});
