import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../jsonrpc/error-code.js';
import { ProtocolError } from '../../../jsonrpc/errors.js';
import { serveHttp, type HttpListening } from '../../../transport/http/index.js';
import { initialize, JSON_HEADERS, raw } from '../../../../test/support/http-raw.js';
import { text } from '../../features/content.js';
import { createServer, type McpServer } from '../../server.js';
import { TASKS_EXTENSION } from './support.js';
import { defineTool, ToolError } from '../../features/tool.js';

const annotations = {
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: false,
  openWorldHint: false,
};

/** Lets the test decide when a `gated` call finishes, and records which calls saw their signal abort. */
function createGates() {
  const waiting = new Map<string, () => void>();
  const aborted: string[] = [];
  return {
    aborted,
    wait(label: string, signal: AbortSignal): Promise<void> {
      return new Promise((resolve, reject) => {
        waiting.set(label, resolve);
        signal.addEventListener('abort', () => {
          aborted.push(label);
          reject(new Error('aborted'));
        });
      });
    },
    release(label: string): boolean {
      const release = waiting.get(label);
      release?.();
      return release !== undefined;
    },
  };
}

const gates = createGates();

const nameSchema = {
  type: 'object',
  properties: { name: { type: 'string' } },
  required: ['name'],
};

function nameIn(answer: { content?: Record<string, unknown> }): string {
  const name = answer.content?.name;
  return typeof name === 'string' ? name : '?';
}

const tools = [
  defineTool({
    name: 'plain',
    description: 'Answers at once.',
    input: z.object({}),
    annotations,
    run: () => text('plain answer'),
  }),
  defineTool({
    name: 'gated',
    description: 'Finishes when the test releases it.',
    input: z.object({ label: z.string() }),
    annotations,
    taskSupport: 'optional',
    async run({ label }, { signal }) {
      await gates.wait(label, signal);
      return text(`released ${label}`);
    },
  }),
  defineTool({
    name: 'fails',
    description: 'Always a tool error.',
    input: z.object({}),
    annotations,
    taskSupport: 'required',
    run: () => {
      throw new ToolError('it did not work');
    },
  }),
  defineTool({
    name: 'breaks',
    description: 'Always a protocol error.',
    input: z.object({}),
    annotations,
    taskSupport: 'optional',
    run: () => {
      throw new ProtocolError(-32000, 'upstream protocol failure', { upstream: 'x' });
    },
  }),
  defineTool({
    name: 'two_questions',
    description: 'Asks two things at once.',
    input: z.object({}),
    annotations,
    taskSupport: 'optional',
    async run(_args, { elicit }) {
      const [first, second] = await Promise.all([
        elicit({ message: 'First?', requestedSchema: nameSchema }),
        elicit({ message: 'Second?', requestedSchema: nameSchema }),
      ]);
      return text(`${nameIn(first)} and ${nameIn(second)}`);
    },
  }),
  defineTool({
    name: 'ask_then_task',
    description: 'Asks within the call, then continues as a task.',
    input: z.object({}),
    annotations,
    taskSupport: 'required',
    deferTask: true,
    async run(_args, ctx) {
      const answer = await ctx.elicit({ message: 'Who?', requestedSchema: nameSchema }, 'who');
      const becameTask = await ctx.continueAsTask();
      return text(`${nameIn(answer)} (task: ${String(becameTask)})`);
    },
  }),
];

const WITH_TASKS = { elicitation: {}, extensions: { [TASKS_EXTENSION]: {} } };
const WITHOUT_TASKS = { elicitation: {} };

let server: McpServer;
let listening: HttpListening;
let nextId = 1;

beforeAll(async () => {
  server = createServer({ name: 'tasks-test', version: '1.0.0', tools });
  listening = await serveHttp(server, { host: '127.0.0.1', port: 0 });
});
afterAll(() => listening.close());

interface Reply {
  status: number;
  result?: Record<string, unknown>;
  error?: { code: number; message: string; data?: unknown };
}

/** One 2026-07-28 request over HTTP with the headers the transport demands. */
async function send(
  method: string,
  params: Record<string, unknown> = {},
  capabilities: object = WITH_TASKS,
  headers: Record<string, string> = {},
): Promise<Reply> {
  const name = params.taskId ?? params.name;
  const response = await raw(listening.url, {
    headers: {
      ...JSON_HEADERS,
      'mcp-protocol-version': '2026-07-28',
      'mcp-method': method,
      ...(typeof name === 'string' ? { 'mcp-name': name } : {}),
      ...headers,
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: nextId++,
      method,
      params: {
        ...params,
        _meta: {
          'io.modelcontextprotocol/protocolVersion': '2026-07-28',
          'io.modelcontextprotocol/clientCapabilities': capabilities,
        },
      },
    }),
  });
  const body = response.json() as Omit<Reply, 'status'>;
  return { status: response.status, ...body };
}

async function result(
  method: string,
  params: Record<string, unknown> = {},
  capabilities: object = WITH_TASKS,
): Promise<Record<string, unknown>> {
  const reply = await send(method, params, capabilities);
  if (reply.result === undefined) throw new Error(`${method} failed: ${JSON.stringify(reply)}`);
  return reply.result;
}

async function startTask(name: string, args: Record<string, unknown> = {}): Promise<string> {
  const created = await result('tools/call', { name, arguments: args });
  expect(created.resultType).toBe('task');
  return created.taskId as string;
}

/** Polls `tasks/get` until the task reaches `status` or a terminal one. */
async function until(taskId: string, status: string): Promise<Record<string, unknown>> {
  for (let attempt = 0; attempt < 500; attempt++) {
    const task = await result('tasks/get', { taskId });
    if (
      task.status === status ||
      ['completed', 'failed', 'cancelled'].includes(String(task.status))
    )
      return task;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`task ${taskId} never reached ${status}`);
}

describe('the tasks extension over 2026-07-28 HTTP', () => {
  it('loads and allocates nothing for tasks while no task was created', async () => {
    const fresh = createServer({ name: 'cold', version: '1.0.0', tools });
    const coldListening = await serveHttp(fresh, { host: '127.0.0.1', port: 0 });
    try {
      const reply = await raw(coldListening.url, {
        headers: {
          ...JSON_HEADERS,
          'mcp-protocol-version': '2026-07-28',
          'mcp-method': 'tasks/get',
          'mcp-name': 'nothing',
        },
        body: JSON.stringify({
          jsonrpc: '2.0',
          id: 1,
          method: 'tasks/get',
          params: {
            taskId: 'nothing',
            _meta: {
              'io.modelcontextprotocol/protocolVersion': '2026-07-28',
              'io.modelcontextprotocol/clientCapabilities': WITH_TASKS,
            },
          },
        }),
      });
      expect(reply.json()).toMatchObject({ error: { code: ErrorCode.InvalidParams } });
      expect(fresh.existingTaskStore()).toBeUndefined();
    } finally {
      await coldListening.close();
    }
  });

  it('offers the extension only while some tool supports tasks, including tools added later', async () => {
    const plainOnly = createServer({ name: 'later', version: '1.0.0', tools: [tools[0]!] });
    const laterListening = await serveHttp(plainOnly, { host: '127.0.0.1', port: 0 });
    const ask = async (method: string, params: Record<string, unknown>, name?: string) =>
      (
        await raw(laterListening.url, {
          headers: {
            ...JSON_HEADERS,
            'mcp-protocol-version': '2026-07-28',
            'mcp-method': method,
            ...(name === undefined ? {} : { 'mcp-name': name }),
          },
          body: JSON.stringify({
            jsonrpc: '2.0',
            id: 1,
            method,
            params: {
              ...params,
              _meta: {
                'io.modelcontextprotocol/protocolVersion': '2026-07-28',
                'io.modelcontextprotocol/clientCapabilities': WITH_TASKS,
              },
            },
          }),
        })
      ).json() as { result?: { capabilities?: { extensions?: object } }; error?: { code: number } };
    try {
      expect((await ask('server/discover', {})).result?.capabilities?.extensions).toBeUndefined();
      expect((await ask('tasks/get', { taskId: 'x' }, 'x')).error?.code).toBe(
        ErrorCode.MethodNotFound,
      );
      plainOnly.tools.set(tools[1]!);
      expect((await ask('server/discover', {})).result?.capabilities?.extensions).toEqual({
        [TASKS_EXTENSION]: {},
      });
      expect((await ask('tasks/get', { taskId: 'x' }, 'x')).error?.code).toBe(
        ErrorCode.InvalidParams,
      );
    } finally {
      await laterListening.close();
    }
  });

  it('advertises the extension in discovery and each tool its task support', async () => {
    const discovered = await result('server/discover');
    expect(discovered.capabilities).toMatchObject({ extensions: { [TASKS_EXTENSION]: {} } });
    expect(discovered.capabilities).not.toHaveProperty('tasks');
    const listed = (await result('tools/list')).tools as {
      name: string;
      execution?: unknown;
    }[];
    const support = Object.fromEntries(listed.map((tool) => [tool.name, tool.execution]));
    expect(support).toMatchObject({
      plain: undefined,
      gated: { taskSupport: 'optional' },
      fails: { taskSupport: 'required' },
    });
  });

  it('answers a task-capable call with a flat task that tasks/get already knows, then inlines the result', async () => {
    const created = await result('tools/call', { name: 'gated', arguments: { label: 'one' } });
    expect(created).toMatchObject({
      resultType: 'task',
      taskId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      status: 'working',
      ttlMs: expect.any(Number),
      pollIntervalMs: expect.any(Number),
    });
    expect(Number.isInteger(created.ttlMs)).toBe(true);
    for (const key of ['task', 'result', 'error', 'inputRequests', 'requestState', 'ttl'])
      expect(created).not.toHaveProperty(key);
    expect(new Date(String(created.createdAt)).toISOString()).toBe(created.createdAt);
    const taskId = created.taskId as string;
    expect(await result('tasks/get', { taskId })).toMatchObject({
      resultType: 'complete',
      taskId,
      status: 'working',
    });
    expect(gates.release('one')).toBe(true);
    const done = await until(taskId, 'completed');
    expect(done).toMatchObject({
      status: 'completed',
      resultType: 'complete',
      result: { content: [{ type: 'text', text: 'released one' }] },
    });
    expect(done).not.toHaveProperty('error');
  });

  it('gives every task its own random id', async () => {
    const ids = await Promise.all(['a', 'b', 'c'].map((label) => startTask('gated', { label })));
    expect(new Set(ids).size).toBe(3);
    for (const [index, label] of ['a', 'b', 'c'].entries()) {
      gates.release(label);
      await until(ids[index]!, 'completed');
    }
  });

  it('runs a task-capable tool synchronously for a client without the extension', async () => {
    const called = send(
      'tools/call',
      { name: 'gated', arguments: { label: 'sync' } },
      WITHOUT_TASKS,
    );
    // The call answers only once the handler finishes, which it does when released.
    while (!gates.release('sync')) await new Promise((resolve) => setTimeout(resolve, 5));
    const reply = await called;
    expect(reply.result).toMatchObject({
      resultType: 'complete',
      content: [{ type: 'text', text: 'released sync' }],
    });
    expect(reply.result).not.toHaveProperty('taskId');
  });

  it('refuses a task-required tool with -32021 naming the extension when the client lacks it', async () => {
    const reply = await send('tools/call', { name: 'fails', arguments: {} }, WITHOUT_TASKS);
    expect(reply.error).toMatchObject({
      code: ErrorCode.MissingRequiredClientCapability,
      data: { requiredCapabilities: { extensions: { [TASKS_EXTENSION]: {} } } },
    });
  });

  it('gates tasks/get, tasks/update and tasks/cancel on the extension', async () => {
    for (const method of ['tasks/get', 'tasks/update', 'tasks/cancel']) {
      const reply = await send(method, { taskId: 'x', inputResponses: {} }, WITHOUT_TASKS);
      expect(reply.error?.code, method).toBe(ErrorCode.MissingRequiredClientCapability);
    }
  });

  it('answers -32602 for an unknown task and -32601 for the removed tasks/result and tasks/list', async () => {
    for (const method of ['tasks/get', 'tasks/cancel']) {
      const reply = await send(method, { taskId: 'no-such-task' });
      expect(reply.error?.code, method).toBe(ErrorCode.InvalidParams);
    }
    expect((await send('tasks/result', { taskId: 'x' })).error?.code).toBe(
      ErrorCode.MethodNotFound,
    );
    expect((await send('tasks/list')).error?.code).toBe(ErrorCode.MethodNotFound);
  });

  it('reports a tool error as completed with isError, and a protocol error as failed', async () => {
    const toolError = await until(await startTask('fails'), 'completed');
    expect(toolError).toMatchObject({
      status: 'completed',
      result: { isError: true, content: [{ type: 'text', text: 'it did not work' }] },
    });
    const protocolError = await until(await startTask('breaks'), 'failed');
    expect(protocolError).toMatchObject({
      status: 'failed',
      error: { code: -32000, message: 'upstream protocol failure', data: { upstream: 'x' } },
    });
    expect(protocolError).not.toHaveProperty('result');
  });

  it('cancels a running task: the handler sees its signal abort and the ack is empty', async () => {
    const taskId = await startTask('gated', { label: 'cancel-me' });
    const ack = await result('tasks/cancel', { taskId });
    expect(Object.keys(ack).sort()).toEqual(['_meta', 'resultType']);
    expect(ack.resultType).toBe('complete');
    expect(await result('tasks/get', { taskId })).toMatchObject({ status: 'cancelled' });
    expect(gates.aborted).toContain('cancel-me');
    // Cancelling again (a terminal task) is the same empty ack.
    expect(await result('tasks/cancel', { taskId })).toMatchObject({ resultType: 'complete' });
  });

  it('parks a task on two questions and resumes once both are answered, one at a time', async () => {
    const taskId = await startTask('two_questions');
    let task = await until(taskId, 'input_required');
    for (
      let attempt = 0;
      Object.keys(task.inputRequests ?? {}).length < 2 && attempt < 100;
      attempt++
    )
      task = await result('tasks/get', { taskId });
    const keys = Object.keys(task.inputRequests as object);
    expect(keys).toHaveLength(2);
    expect(task.inputRequests).toMatchObject({
      [keys[0]!]: { method: 'elicitation/create', params: { message: expect.any(String) } },
    });
    const answer = (name: string) => ({ action: 'accept', content: { name } });
    expect(
      await result('tasks/update', { taskId, inputResponses: { [keys[0]!]: answer('Ada') } }),
    ).toMatchObject({ resultType: 'complete' });
    const partial = await result('tasks/get', { taskId });
    expect(partial.status).toBe('input_required');
    expect(Object.keys(partial.inputRequests as object)).toEqual([keys[1]]);
    await result('tasks/update', { taskId, inputResponses: { [keys[1]!]: answer('Grace') } });
    const done = await until(taskId, 'completed');
    expect(done.result).toMatchObject({ content: [{ text: 'Ada and Grace' }] });
  });

  it('refuses an answer of the wrong shape and ignores answers to questions nobody asked', async () => {
    const taskId = await startTask('two_questions');
    const task = await until(taskId, 'input_required');
    const [key] = Object.keys(task.inputRequests as object);
    const wrong = await send('tasks/update', { taskId, inputResponses: { [key!]: { nope: 1 } } });
    expect(wrong.error?.code).toBe(ErrorCode.InvalidParams);
    const ignored = await result('tasks/update', {
      taskId,
      inputResponses: { 'not-asked': { action: 'accept' } },
    });
    expect(ignored.resultType).toBe('complete');
    expect((await result('tasks/get', { taskId })).status).toBe('input_required');
    await result('tasks/cancel', { taskId });
  });

  it('asks within the call first and creates the task only when the handler continues as one', async () => {
    const round = await result('tools/call', { name: 'ask_then_task', arguments: {} });
    expect(round).toMatchObject({ resultType: 'input_required', inputRequests: { who: {} } });
    expect(round).not.toHaveProperty('taskId');
    const created = await result('tools/call', {
      name: 'ask_then_task',
      arguments: {},
      inputResponses: { who: { action: 'accept', content: { name: 'Alice' } } },
      requestState: round.requestState,
    });
    expect(created.resultType).toBe('task');
    expect(created).not.toHaveProperty('requestState');
    const done = await until(created.taskId as string, 'completed');
    expect(done.result).toMatchObject({ content: [{ text: 'Alice (task: true)' }] });
  });

  it('requires Mcp-Name to match the task id on the tasks methods', async () => {
    const taskId = await startTask('gated', { label: 'headers' });
    const mismatched = await send('tasks/get', { taskId }, WITH_TASKS, { 'mcp-name': 'other' });
    expect(mismatched.status).toBe(400);
    expect(mismatched.error?.code).toBe(ErrorCode.HeaderMismatch);
    await result('tasks/cancel', { taskId });
  });
});

describe('task-capable tools in the handshake era', () => {
  it('run optional ones as plain calls and refuse required ones with a tool error', async () => {
    const session = await initialize(listening.url);
    const call = async (name: string) => {
      const response = await raw(listening.url, {
        headers: { ...JSON_HEADERS, 'mcp-session-id': session },
        body: JSON.stringify({
          jsonrpc: '2.0',
          id: nextId++,
          method: 'tools/call',
          params: { name, arguments: {} },
        }),
      });
      return (response.json() as { result: Record<string, unknown> }).result;
    };
    expect(await call('fails')).toMatchObject({
      isError: true,
      content: [{ text: expect.stringContaining(TASKS_EXTENSION) }],
    });
    expect(await call('plain')).toMatchObject({ content: [{ text: 'plain answer' }] });
  });
});
