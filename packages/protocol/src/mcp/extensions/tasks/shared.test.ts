/**
 * Tasks in the shared store: two instances of one server on one store, signed in through a real
 * OpenID provider, as two processes behind a balancer would be. What the backing store receives
 * is recorded, so the test reads what Redis would hold. (The same run on a real Redis is in the
 * conformance fixture's `shared-tasks.test.ts`.)
 */
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODERN_META, modern } from '../../../../test/support/http-raw.js';
import { recordingStore } from '../../../../test/support/recording-store.js';
import {
  OTHER_CLIENT,
  startTestIssuer,
  type TestIssuer,
} from '@plugboard/test-issuer';
import { ErrorCode } from '../../../jsonrpc/error-code.js';
import { createMemoryStore } from '../../../store/memory.js';
import { StoreError, type Store } from '../../../store/store.js';
import { serveHttp, type HttpListening } from '../../../transport/http/index.js';
import { text } from '../../features/content.js';
import { defineTool } from '../../features/tool.js';
import { createServer } from '../../server.js';
import { STOPPED_MESSAGE } from './shared.js';
import { TASKS_EXTENSION } from './support.js';

const RESOURCE = 'http://127.0.0.1/mcp';
const SCOPE = 'echo:read';
const annotations = {
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: false,
  openWorldHint: false,
};

/** Calls waiting to be released by the test, and the labels whose signal aborted. */
const waiting = new Map<string, () => void>();
const aborted: string[] = [];

const tools = [
  defineTool({
    name: 'gated',
    description: 'Finishes with a secret word when the test releases it.',
    input: z.object({ label: z.string() }),
    annotations,
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
  }),
  defineTool({
    name: 'ask',
    description: 'Asks a name, then greets.',
    input: z.object({}),
    annotations,
    taskSupport: 'required',
    async run(_args, { elicit }) {
      const answer = await elicit({
        message: 'Name?',
        requestedSchema: { type: 'object', properties: { name: { type: 'string' } } },
      });
      return text(`hello ${String(answer.content?.name)}`);
    },
  }),
];

/** How an instance reaches the store: `cut` fails its writes, `down` its reads as well. */
interface Reach {
  cut: boolean;
  down?: boolean;
}

/** A store whose writes (or reads) can be cut off, as when an instance loses its connection. */
function cuttable(inner: Store, state: Reach): Store {
  const guard = <T>(write: () => Promise<T>): Promise<T> =>
    state.cut ? Promise.reject(new StoreError('The store is closed')) : write();
  return {
    kind: inner.kind,
    shared: true,
    scope: (name) => cuttable(inner.scope(name), state),
    get: (key) =>
      state.down === true ? Promise.reject(new StoreError('The store is closed')) : inner.get(key),
    set: (key, value, ttl) => guard(() => inner.set(key, value, ttl)),
    add: (key, value, ttl) => guard(() => inner.add(key, value, ttl)),
    delete: (key) => guard(() => inner.delete(key)),
    append: (key, value, options) => guard(() => inner.append(key, value, options)),
    items: (key) => inner.items(key),
    publish: (channel, message) => guard(() => inner.publish(channel, message)),
    subscribe: (channel, listener) => inner.subscribe(channel, listener),
    close: () => Promise.resolve(),
  };
}

const written: string[] = [];
let issuer: TestIssuer;
let owner: Record<string, string>;
let intruder: Record<string, string>;
const backing = createMemoryStore();
const running: HttpListening[] = [];

/** One instance on the shared store; `state.cut` stops everything it writes there. */
async function instance(state: Reach = { cut: false }): Promise<string> {
  const server = createServer({
    name: 'shared-tasks',
    version: '1.0.0',
    tools,
    tasks: { leaseMs: 300, pollIntervalMs: 50 },
  });
  const listening = await serveHttp(server, {
    host: '127.0.0.1',
    port: 0,
    store: cuttable(recordingStore(backing, written), state),
    storeKeys: ['shared-tasks-key-for-tests'],
    signIn: { issuer: issuer.issuer, resource: RESOURCE, requiredScopes: [SCOPE] },
  });
  running.push(listening);
  return listening.url;
}

let a: string;
let b: string;

beforeAll(async () => {
  issuer = await startTestIssuer();
  owner = { authorization: `Bearer ${await issuer.clientToken(RESOURCE, SCOPE)}` };
  intruder = {
    authorization: `Bearer ${await issuer.clientToken(RESOURCE, SCOPE, OTHER_CLIENT)}`,
  };
  a = await instance();
  b = await instance();
});
afterAll(async () => {
  for (const listening of running) await listening.close();
  await issuer.close();
});

const META = {
  ...MODERN_META,
  'io.modelcontextprotocol/clientCapabilities': {
    elicitation: {},
    extensions: { [TASKS_EXTENSION]: {} },
  },
};
let nextId = 1;

async function ask(
  url: string,
  method: string,
  params: Record<string, unknown>,
  as = owner,
): Promise<{ result?: Record<string, unknown>; error?: { code: number; message: string } }> {
  const taskId = params.taskId;
  const response = await modern(
    url,
    nextId++,
    method,
    { ...params, _meta: META },
    {
      ...as,
      ...(typeof taskId === 'string' ? { 'mcp-name': taskId } : {}),
    },
  );
  return response.json() as { result?: Record<string, unknown> };
}

async function start(url: string, name: string, args: Record<string, unknown>): Promise<string> {
  const { result } = await ask(url, 'tools/call', { name, arguments: args });
  expect(result).toMatchObject({ resultType: 'task' });
  return result!.taskId as string;
}

/** Polls `tasks/get` on `url` until the task's status is `status`. */
async function until(url: string, taskId: string, status: string) {
  for (let attempt = 0; attempt < 400; attempt++) {
    const { result } = await ask(url, 'tasks/get', { taskId });
    if (result?.status === status) return result;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`task ${taskId} never became ${status} on ${url}`);
}

async function release(label: string): Promise<void> {
  while (!waiting.has(label)) await new Promise((resolve) => setTimeout(resolve, 5));
  waiting.get(label)!();
}

describe('tasks in the shared store', () => {
  it('created on A are polled on B, and their result written by A is read on B', async () => {
    const taskId = await start(a, 'gated', { label: 'across' });
    expect((await ask(b, 'tasks/get', { taskId })).result).toMatchObject({
      taskId,
      status: 'working',
    });
    await release('across');
    const done = await until(b, taskId, 'completed');
    expect(done).toMatchObject({
      result: { content: [{ type: 'text', text: 'secret result of across' }] },
      pollIntervalMs: 50,
    });
  });

  it('cancelled from B stop on A: the tool sees its signal abort', async () => {
    const taskId = await start(a, 'gated', { label: 'cancel-from-b' });
    expect((await ask(b, 'tasks/cancel', { taskId })).result).toMatchObject({
      resultType: 'complete',
    });
    await until(b, taskId, 'cancelled');
    expect(aborted).toContain('cancel-from-b');
    expect((await ask(a, 'tasks/get', { taskId })).result?.status).toBe('cancelled');
  });

  it('take the answer to their question from B while they wait on A', async () => {
    const taskId = await start(a, 'ask', {});
    const waitingTask = await until(b, taskId, 'input_required');
    const [key] = Object.keys(waitingTask.inputRequests as object);
    const wrong = await ask(b, 'tasks/update', { taskId, inputResponses: { [key!]: { nope: 1 } } });
    expect(wrong.error?.code).toBe(ErrorCode.InvalidParams);
    await ask(b, 'tasks/update', {
      taskId,
      inputResponses: { [key!]: { action: 'accept', content: { name: 'Ada' } } },
    });
    const done = await until(b, taskId, 'completed');
    expect(done.result).toMatchObject({ content: [{ text: 'hello Ada' }] });
  });

  it('are failed, saying their server stopped, once their instance stops renewing its lease', async () => {
    const state = { cut: false };
    const doomed = await instance(state);
    const taskId = await start(doomed, 'gated', { label: 'orphan' });
    expect((await ask(b, 'tasks/get', { taskId })).result?.status).toBe('working');
    state.cut = true;
    const failed = await until(b, taskId, 'failed');
    expect(failed).toMatchObject({
      statusMessage: STOPPED_MESSAGE,
      error: { code: ErrorCode.InternalError, message: STOPPED_MESSAGE },
    });
    expect((await ask(a, 'tasks/get', { taskId })).result?.status).toBe('failed');
  });

  it('are answered with a clear error while the store is unreachable, and again once it is back', async () => {
    const state: Reach = { cut: false };
    const cutOff = await instance(state);
    const taskId = await start(a, 'gated', { label: 'store-down' });
    state.down = true;
    const refused = await ask(cutOff, 'tasks/get', { taskId });
    expect(refused.error).toMatchObject({
      code: ErrorCode.InternalError,
      message: expect.stringContaining('store is unavailable'),
    });
    state.down = false;
    expect((await ask(cutOff, 'tasks/get', { taskId })).result?.status).toBe('working');
    await release('store-down');
    await until(cutOff, taskId, 'completed');
  });

  it('are unknown to another user, who can neither read nor cancel them', async () => {
    const taskId = await start(a, 'gated', { label: 'private' });
    for (const method of ['tasks/get', 'tasks/cancel']) {
      for (const url of [a, b]) {
        const stolen = await ask(url, method, { taskId }, intruder);
        expect(stolen.error?.code, `${method} on ${url}`).toBe(ErrorCode.InvalidParams);
        expect(stolen.error?.message).toContain('Unknown task');
      }
    }
    expect(aborted).not.toContain('private');
    expect((await ask(b, 'tasks/get', { taskId })).result?.status).toBe('working');
    await release('private');
    await until(b, taskId, 'completed');
  });

  it('leave nothing readable in the store: no task id, no owner, no result', async () => {
    const taskId = await start(a, 'gated', { label: 'unreadable' });
    await release('unreadable');
    await until(b, taskId, 'completed');
    const dump = written.join('\n');
    expect(dump).toContain('task:');
    expect(dump).toContain('lease:');
    expect(dump).not.toContain(taskId);
    expect(dump).not.toContain('secret result');
    expect(dump).not.toContain('plugboard-test');
    expect(dump).not.toContain('"status"');
  });
});
