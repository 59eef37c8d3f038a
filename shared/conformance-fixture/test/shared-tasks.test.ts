/**
 * Tasks in hosted mode on a real Redis (`--store`): two instances of one server, each with its
 * own connection to one `redis-server`, as two processes behind a balancer. A task created on A
 * is polled and its result read on B, cancelled from B it stops on A, and when A goes away
 * without cleaning up (its store connection closed, so its lease lapses) B reports it failed.
 * Callers sign in with opaque tokens that a local authorization server answers for (RFC 8414
 * metadata, RFC 7662 introspection): another user reaches none of them on either instance. What
 * Redis holds is read back raw: nothing in it is readable.
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
  fakeHttp,
  findRedisServer,
  openHttpSession,
  startRedis,
  TASKS_EXTENSION,
  waitFor,
  type FakeHttp,
  type RedisServer,
} from '@plugboard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';

const binary = findRedisServer();
if (binary === undefined)
  process.stderr.write('SKIP [shared tasks] redis-server is missing and could not be installed\n');

const KEYS = ['shared-tasks-key-for-tests'];
const RESOURCE = 'http://127.0.0.1/mcp';
/** The opaque tokens the authorization server knows, and whose they are. */
const USERS: Record<string, string> = { 'token-of-alice': 'alice', 'token-of-mallory': 'mallory' };
const ALICE = 'token-of-alice';
const MALLORY = 'token-of-mallory';

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

const ticking = defineTool({
  name: 'ticking',
  description: 'Reports progress three times, then answers.',
  input: z.object({}),
  annotations: {
    readOnlyHint: true,
    destructiveHint: false,
    idempotentHint: true,
    openWorldHint: false,
  },
  async run(_args, ctx) {
    for (let step = 1; step <= 3; step++) await ctx.progress(step, 3);
    return text('ticked three times');
  },
});

interface Instance {
  readonly url: string;
  readonly store: Store;
  readonly listening: HttpListening;
}

let redis: RedisServer | undefined;
let authorization: FakeHttp;
/** What the run opened, closed in order at its end. */
const opened: { close(): Promise<void> }[] = [];

/** One instance with its own connection to the shared Redis. */
async function instance(): Promise<Instance> {
  const store = await openStore(new URL(redis!.url), nullLogger);
  const server = createServer({
    name: 'shared-tasks',
    version: '1.0.0',
    tools: [gated, ticking],
    tasks: { leaseMs: 600, pollIntervalMs: 50 },
  });
  const listening = await serveHttp(server, {
    host: '127.0.0.1',
    port: 0,
    store,
    storeKeys: KEYS,
    signIn: {
      issuer: authorization.url,
      resource: RESOURCE,
      introspection: {
        endpoint: `${authorization.url}/introspect`,
        clientId: 'shared-tasks',
        clientSecret: 'shared-tasks-secret',
      },
    },
  });
  opened.push(listening, store);
  return { url: listening.url, store, listening };
}

let a: Instance;
let b: Instance;

beforeAll(async () => {
  if (binary === undefined) return;
  redis = await startRedis(binary);
  authorization = await fakeHttp({
    'GET /.well-known/oauth-authorization-server': () => ({
      body: {
        issuer: authorization.url,
        introspection_endpoint: `${authorization.url}/introspect`,
      },
    }),
    'POST /introspect': ({ body }) => {
      const sub = USERS[(body as { token?: string }).token ?? ''];
      return {
        body: sub === undefined ? { active: false } : { active: true, sub, aud: RESOURCE },
      };
    },
  });
  opened.push(authorization);
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
  token = ALICE,
): Promise<Record<string, unknown>> {
  const body = await send(url, method, params, token);
  if (body.result === undefined) throw new Error(`${method} failed: ${JSON.stringify(body)}`);
  return body.result;
}

async function send(
  url: string,
  method: string,
  params: Record<string, unknown>,
  token: string,
): Promise<{ result?: Record<string, unknown>; error?: { code: number; message: string } }> {
  const name = params.taskId ?? params.name;
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2026-07-28',
      'mcp-method': method,
      authorization: `Bearer ${token}`,
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
  return (await response.json()) as {
    result?: Record<string, unknown>;
    error?: { code: number; message: string };
  };
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

  it('are unknown to another user, who can neither read nor cancel them on any instance', async () => {
    const taskId = await start(a.url, 'private');
    for (const url of [a.url, b.url]) {
      for (const method of ['tasks/get', 'tasks/cancel']) {
        const stolen = await send(url, method, { taskId }, MALLORY);
        expect(stolen.error, `${method} on ${url}`).toMatchObject({
          code: -32602,
          message: expect.stringContaining('Unknown task'),
        });
      }
    }
    expect(aborted).not.toContain('private');
    expect((await ask(b.url, 'tasks/get', { taskId })).status).toBe('working');
    await release('private');
    await until(b.url, taskId, 'completed');
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
    for (const secret of [taskId, 'secret result', 'completed', '"status"', 'alice'])
      expect(held).not.toContain(secret);
    // Opened with the key ring, it is the task's record.
    const unsealed = await sealStore(raw, KEYS).scope('mcp:shared-tasks').scope('tasks').get(key);
    expect(JSON.parse(unsealed!)).toMatchObject({ detail: { taskId, status: 'completed' } });
  });
});

/** A handshake-era request with `token`'s bearer, raw: status, body and headers. */
async function handshake(
  url: string,
  token: string,
  init: { method?: string; session?: string; lastEventId?: string; body?: unknown },
): Promise<{ status: number; body: string }> {
  const response = await fetch(url, {
    method: init.method ?? 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      authorization: `Bearer ${token}`,
      ...(init.session === undefined
        ? {}
        : { 'mcp-session-id': init.session, 'mcp-protocol-version': '2025-11-25' }),
      ...(init.lastEventId === undefined ? {} : { 'last-event-id': init.lastEventId }),
    },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  return { status: response.status, body: await response.text() };
}

describe.skipIf(binary === undefined)(
  "another user, on either instance, reaches none of Alice's",
  () => {
    it('session: posting to it, resuming its stream with Last-Event-ID and ending it are refused', async () => {
      const session = await openHttpSession(a.url, { authorization: `Bearer ${ALICE}` });
      // A call that streams: its events are kept in the store, resumable on either instance.
      const streamed = await handshake(a.url, ALICE, {
        session,
        body: {
          jsonrpc: '2.0',
          id: 1,
          method: 'tools/call',
          params: { name: 'ticking', arguments: {}, _meta: { progressToken: 'tick' } },
        },
      });
      const firstEvent = /^id: (\S+)$/m.exec(streamed.body)?.[1];
      expect(firstEvent).toBeDefined();
      const call = {
        jsonrpc: '2.0',
        id: 2,
        method: 'tools/call',
        params: { name: 'ticking', arguments: {} },
      };
      for (const url of [a.url, b.url]) {
        const post = await handshake(url, MALLORY, { session, body: call });
        expect(post.status, `POST on ${url}`).toBe(404);
        expect(post.body).not.toContain('ticked');
        const resumed = await handshake(url, MALLORY, {
          method: 'GET',
          session,
          lastEventId: firstEvent!,
        });
        expect(resumed.status, `GET with Last-Event-ID on ${url}`).toBe(404);
        expect(resumed.body).not.toContain('ticked');
        const ended = await handshake(url, MALLORY, { method: 'DELETE', session });
        expect(ended.status, `DELETE on ${url}`).toBe(404);
      }
      // Alice's session and stream are still hers, on the other instance too.
      const own = await handshake(b.url, ALICE, {
        method: 'GET',
        session,
        lastEventId: firstEvent!,
      });
      expect(own.status).toBe(200);
      expect(own.body).toContain('ticked three times');
      expect((await handshake(b.url, ALICE, { session, body: call })).status).toBe(200);
    });

    it("task: its result, its questions' answers and the task methods this server lacks give nothing away", async () => {
      const taskId = await start(a.url, 'finished');
      await release('finished');
      await until(b.url, taskId, 'completed');
      for (const url of [a.url, b.url]) {
        for (const [method, params] of [
          ['tasks/get', { taskId }],
          ['tasks/update', { taskId, inputResponses: {} }],
          ['tasks/cancel', { taskId }],
        ] as const) {
          const stolen = await send(url, method, params, MALLORY);
          expect(stolen.error, `${method} on ${url}`).toMatchObject({
            code: -32602,
            message: expect.stringContaining('Unknown task'),
          });
          expect(JSON.stringify(stolen)).not.toContain('secret result');
        }
        // Not methods of this protocol revision (the result comes with tasks/get): refused as such.
        for (const method of ['tasks/result', 'tasks/list']) {
          const stolen = await send(url, method, { taskId }, MALLORY);
          expect(stolen.error?.code, `${method} on ${url}`).toBe(-32601);
          expect(JSON.stringify(stolen)).not.toContain('secret result');
        }
      }
      // Still Alice's, completed, with its result.
      const own = await ask(b.url, 'tasks/get', { taskId });
      expect(JSON.stringify(own)).toContain('secret result of finished');
    });
  },
);
