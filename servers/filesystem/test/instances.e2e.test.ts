/**
 * @module
 * Hosted mode with several instances: three built filesystem servers share one Redis
 * (`--store`) behind a real nginx that balances round robin with no stickiness. The official
 * SDK client runs one handshake-era session through nginx; its requests land on every instance,
 * one instance is killed with SIGKILL in the middle and the session goes on, and a stream
 * written by one instance is resumed with `Last-Event-ID` on another.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  findNginx,
  findRedisServer,
  openHttpSession,
  spawnHttpServer,
  startNginx,
  startRedis,
  tmpDir,
  type HttpServerProcess,
  type Nginx,
  type RedisServer,
  type TmpDir,
} from '@plugboard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const SERVER = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const nginxBinary = findNginx();
const redisBinary = findRedisServer();
const missing = [
  nginxBinary === undefined ? 'nginx' : '',
  redisBinary === undefined ? 'redis-server' : '',
]
  .filter((name) => name !== '')
  .join(' and ');
if (missing !== '')
  process.stderr.write(
    `SKIP [several instances] ${missing} is missing and could not be installed\n`,
  );

function startInstance(directory: string, store: string): Promise<HttpServerProcess> {
  return spawnHttpServer({
    command: process.execPath,
    args: [
      SERVER,
      directory,
      ...['--transport', 'http', '--port', '0', '--store', store, '--log-level', 'debug'],
    ],
    env: { MCP_REQUEST_STATE_KEY: 'several-instances-test-key-0123456789' },
  });
}

/** Tool calls an instance served, from its debug log. */
function callsServed(instance: HttpServerProcess): number {
  return (instance.stderr().match(/tool call/g) ?? []).length;
}

describe.skipIf(missing !== '')('three instances behind nginx, one Redis', () => {
  let dir: TmpDir;
  let redis: RedisServer;
  let instances: HttpServerProcess[];
  let nginx: Nginx;

  beforeAll(async () => {
    dir = await tmpDir('plugboard-instances-');
    await writeFile(path.join(dir.path, 'hello.txt'), 'hello from the shared tree\n');
    // Enough entries for a walk to report progress a few times (every 2000 entries).
    const many = path.join(dir.path, 'many');
    await mkdir(many);
    await Promise.all(
      Array.from({ length: 6500 }, (_, index) => writeFile(path.join(many, `f${index}.txt`), '')),
    );
    redis = await startRedis(redisBinary!);
    instances = await Promise.all([1, 2, 3].map(() => startInstance(dir.path, redis.url)));
    // The load balancer of the deploy/ example, as it is written there.
    const site = await readFile(
      fileURLToPath(new URL('../../../deploy/nginx-hosted.conf', import.meta.url)),
      'utf8',
    );
    nginx = await startNginx(
      nginxBinary!,
      site,
      instances.map((instance) => instance.port),
    );
  }, 120_000);

  afterAll(async () => {
    await nginx?.close();
    await Promise.all((instances ?? []).map((instance) => instance.stop()));
    await redis?.close();
    await dir?.cleanup();
  });

  it('runs one SDK session across the instances, and on after one is killed with SIGKILL', async () => {
    const client = new Client({ name: 'several-instances', version: '1.0.0' });
    const transport = new StreamableHTTPClientTransport(new URL(nginx.url));
    await client.connect(transport);
    const session = transport.sessionId;
    expect(session).toBeDefined();
    const read = async (): Promise<string> => {
      const result = await client.callTool({
        name: 'read_text_file',
        arguments: { path: path.join(dir.path, 'hello.txt') },
      });
      expect(result.isError).toBeFalsy();
      return JSON.stringify(result.content);
    };
    for (let call = 0; call < 6; call++)
      expect(await read()).toContain('hello from the shared tree');
    // Round robin with no stickiness: every instance served part of the one session.
    expect(instances.map(callsServed).every((count) => count > 0)).toBe(true);

    await instances[0]!.stop('SIGKILL');
    for (let call = 0; call < 6; call++)
      expect(await read()).toContain('hello from the shared tree');
    expect(transport.sessionId).toBe(session);
    const listed = await client.listTools();
    expect(listed.tools.map((tool) => tool.name)).toContain('read_text_file');
    await client.close();
  }, 60_000);

  it('resumes a stream with Last-Event-ID on another instance than the one that wrote it', async () => {
    const [, writer, resumer] = instances;
    const session = await openHttpSession(writer!.url);
    const headers = {
      'content-type': 'application/json',
      accept: 'text/event-stream',
      'mcp-session-id': session,
      'mcp-protocol-version': '2025-11-25',
    };
    // A walk that reports progress: the client reads the first event and goes away.
    const controller = new AbortController();
    const streamed = await fetch(writer!.url, {
      method: 'POST',
      headers,
      signal: controller.signal,
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: {
          name: 'search_files',
          arguments: { path: dir.path, pattern: '**/f649*.txt' },
          _meta: { progressToken: 'walk' },
        },
      }),
    });
    expect(streamed.headers.get('content-type')).toContain('text/event-stream');
    const reader = streamed.body!.getReader();
    let seen = '';
    while (!/"progress":\d+/.test(seen)) {
      const chunk = await reader.read();
      if (chunk.done) break;
      seen += new TextDecoder().decode(chunk.value);
    }
    controller.abort();
    // Resume after the first progress event, whatever else already arrived.
    const lastSeen = /^id: (\S+)\nevent: message\ndata: .*"progress":/m.exec(seen)![1]!;

    const resumed = await fetch(resumer!.url, {
      method: 'GET',
      headers: { ...headers, 'last-event-id': lastSeen },
    });
    expect(resumed.status).toBe(200);
    const text = await resumed.text();
    const ids = [...text.matchAll(/^id: (\S+)$/gm)].map((match) => match[1]!);
    const seq = (id: string) => Number(id.slice(id.lastIndexOf('.') + 1));
    expect(ids.length).toBeGreaterThan(0);
    expect(ids.map(seq)).toEqual(ids.map((_, index) => seq(lastSeen) + 1 + index));
    expect(text).toContain('"result"');
    expect(text).toContain('f6499.txt');
    // The resuming instance served the stream from the store: it never ran the call.
    expect(resumer!.stderr()).not.toContain('search_files');
  }, 60_000);
});
