/**
 * Tasks in hosted mode on a real Redis (`--store`): two instances of one server, each with its
 * own connection to one `redis-server`, as two processes behind a balancer. A task created on A
 * is polled and its result read on B, cancelled from B it stops on A, and when A goes away
 * without cleaning up (its store connection closed, so its lease lapses) B reports it failed.
 * What Redis holds is read back raw: nothing in it is readable. (Two users on one store are in
 * the protocol's `shared.test.ts`, with a real OpenID provider.)
 */
import { createHash } from 'node:crypto';
import {
  createServer,
  defineTool,
  nullLogger,
  sealStore,
  text,
  type Store,
} from '@plugboard/protocol';
import { serveHttp, type HttpListening } from '@plugboard/protocol/http';
import { openStore } from '@plugboard/kit/store';
import {
  findRedisServer,
  startRedis,
  TASKS_EXTENSION,
  waitFor,
  type RedisServer,
} from '@plugboard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';

const binary = findRedisServer();
if (binary === undefined)
  process.stderr.write('SKIP [shared tasks] redis-server is missing and could not be installed\n');

const KEYS = ['shared-tasks-key-for-tests'];

/** Calls waiting to be released by the test, and the labels whose signal aborted. */
const waiting = new Map<string, () => void>();
const aborted: string[] = [];

const gated = defineTool({
  name: 'gated',
  description: 'Finishes with a secret word when the test releases it.',
  input: z.object({ label: z.string() }),
  annotations: {
    readOnlyHint: true,
    destructiveHint: false,
    idempotentHint: false,
    openWorldHint: false,
  },
  taskSupport: 'required',
  async run({ label }, { signal }) {
    await new Promise<void>((resolve, reject) => {
      waiting.set(label, resolve);
      signal.addEventListener('abort', () => {
        aborted.push(label);
        reject(new Error('aborted'));
      });
    });
    return text(`secret result of ${label}`);
  },
});

interface Instance {
  readonly url: string;
  readonly store: Store;
  readonly listening: HttpListening;
}

let redis: RedisServer | undefined;
/** What the run opened, closed in order at its end. */
const opened: { close(): Promise<void> }[] = [];

/** One instance with its own connection to the shared Redis. */
async function instance(): Promise<Instance> {
  const store = await openStore(new URL(redis!.url), nullLogger);
  const server = createServer({
    name: 'shared-tasks',
    version: '1.0.0',
    tools: [gated],
    tasks: { leaseMs: 600, pollIntervalMs: 50 },
  });
  const listening = await serveHttp(server, {
    host: '127.0.0.1',
    port: 0,
    store,
    storeKeys: KEYS,
  });
  opened.push(listening, store);
  return { url: listening.url, store, listening };
}

let a: Instance;
let b: Instance;

beforeAll(async () => {
  if (binary === undefined) return;
  redis = await startRedis(binary);
  a = await instance();
  b = await instance();
});
afterAll(async () => {
  for (const resource of opened) await resource.close();
  await redis?.close();
});

let nextId = 1;

/** One 2026-07-28 request of a client that declared the tasks extension. */
async function ask(
  url: string,
  method: string,
  params: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const name = params.taskId ?? params.name;
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2026-07-28',
      'mcp-method': method,
      ...(typeof name === 'string' ? { 'mcp-name': name } : {}),
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: nextId++,
      method,
      params: {
        ...params,
        _meta: {
          'io.modelcontextprotocol/protocolVersion': '2026-07-28',
          'io.modelcontextprotocol/clientCapabilities': {
            extensions: { [TASKS_EXTENSION]: {} },
          },
        },
      },
    }),
  });
  const body = (await response.json()) as { result?: Record<string, unknown>; error?: unknown };
  if (body.result === undefined) throw new Error(`${method} failed: ${JSON.stringify(body)}`);
  return body.result;
}

async function start(url: string, label: string): Promise<string> {
  const created = await ask(url, 'tools/call', { name: 'gated', arguments: { label } });
  expect(created).toMatchObject({ resultType: 'task', status: 'working' });
  return created.taskId as string;
}

async function until(url: string, taskId: string, status: string) {
  let last: Record<string, unknown> = {};
  await waitFor(
    async () => {
      last = await ask(url, 'tasks/get', { taskId });
      return last.status === status;
    },
    { description: `task ${taskId} to be ${status}` },
  );
  return last;
}

async function release(label: string): Promise<void> {
  await waitFor(() => waiting.has(label), { description: `${label} to run` });
  waiting.get(label)!();
}

describe.skipIf(binary === undefined)('tasks on a shared Redis', () => {
  it('created on A are polled on B, and the result A wrote is read on B', async () => {
    const taskId = await start(a.url, 'across');
    expect(await ask(b.url, 'tasks/get', { taskId })).toMatchObject({ taskId, status: 'working' });
    await release('across');
    const done = await until(b.url, taskId, 'completed');
    expect(done.result).toMatchObject({
      content: [{ type: 'text', text: 'secret result of across' }],
    });
  });

  it('cancelled from B stop on A: the tool sees its signal abort', async () => {
    const taskId = await start(a.url, 'cancel-from-b');
    expect(await ask(b.url, 'tasks/cancel', { taskId })).toMatchObject({
      resultType: 'complete',
    });
    await until(b.url, taskId, 'cancelled');
    expect(aborted).toContain('cancel-from-b');
  });

  it('are reported failed by B, saying the server stopped, when A goes away without cleanup', async () => {
    const doomed = await instance();
    const taskId = await start(doomed.url, 'orphan');
    expect((await ask(b.url, 'tasks/get', { taskId })).status).toBe('working');
    // Its connection to Redis gone, the instance can no longer renew the task's lease.
    await doomed.store.close();
    const failed = await until(b.url, taskId, 'failed');
    expect(failed.statusMessage).toMatch(/server running this task stopped/);
    expect(failed.error).toMatchObject({ code: -32603 });
    expect(aborted).not.toContain('orphan');
  });

  it('leave nothing readable in Redis: the record is sealed and named by a hash of the id', async () => {
    const taskId = await start(a.url, 'unreadable');
    await release('unreadable');
    await until(b.url, taskId, 'completed');
    const raw = await openStore(new URL(redis!.url), nullLogger);
    opened.push(raw);
    const hash = createHash('sha256').update(taskId).digest('base64url');
    const key = `task:${hash}`;
    const held = await raw.scope('mcp:shared-tasks').scope('tasks').get(key);
    expect(held).toBeDefined();
    for (const secret of [taskId, 'secret result', 'completed', '"status"'])
      expect(held).not.toContain(secret);
    // Opened with the key ring, it is the task's record.
    const unsealed = await sealStore(raw, KEYS).scope('mcp:shared-tasks').scope('tasks').get(key);
    expect(JSON.parse(unsealed!)).toMatchObject({ detail: { taskId, status: 'completed' } });
  });
});
