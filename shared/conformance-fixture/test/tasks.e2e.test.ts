/**
 * The tasks-extension tools of the built fixture, over stdio with 2026-07-28 requests from the raw
 * driver: what the conformance scenarios rely on (a sync-only `greet`, a cancellable task, a task
 * that asks inside, and a call that asks first and then becomes a task), checked end to end.
 */
import { rawStdio, type RawStdioPeer } from '@plugboard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE } from './peer.js';

const TASKS = 'io.modelcontextprotocol/tasks';

function meta(extensions: boolean): Record<string, unknown> {
  return {
    'io.modelcontextprotocol/protocolVersion': '2026-07-28',
    'io.modelcontextprotocol/clientCapabilities': {
      elicitation: {},
      ...(extensions ? { extensions: { [TASKS]: {} } } : {}),
    },
  };
}

let peer: RawStdioPeer;

beforeAll(() => {
  peer = rawStdio({ command: process.execPath, args: [FIXTURE], env: { LOG_LEVEL: 'warn' } });
});
afterAll(async () => {
  await peer.close();
});

async function request(
  method: string,
  params: Record<string, unknown>,
  withTasks = true,
): Promise<Record<string, unknown>> {
  const response = await peer.request(method, { ...params, _meta: meta(withTasks) });
  if (response.result === undefined) throw new Error(JSON.stringify(response.error));
  return response.result as Record<string, unknown>;
}

async function until(taskId: string, status: string): Promise<Record<string, unknown>> {
  for (let attempt = 0; attempt < 300; attempt++) {
    const task = await request('tasks/get', { taskId });
    if (
      task.status === status ||
      ['completed', 'failed', 'cancelled'].includes(String(task.status))
    )
      return task;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`task ${taskId} never reached ${status}`);
}

describe('the fixture under the tasks extension', () => {
  it('answers greet at once even when the client supports tasks', async () => {
    const result = await request('tools/call', { name: 'greet', arguments: { name: 'World' } });
    expect(result).toMatchObject({
      resultType: 'complete',
      content: [{ type: 'text', text: 'Hello, World!' }],
    });
  });

  it('runs slow_compute as a task that tasks/cancel stops for good', async () => {
    const created = await request('tools/call', {
      name: 'slow_compute',
      arguments: { seconds: 60, label: 'long' },
    });
    expect(created).toMatchObject({ resultType: 'task', status: 'working' });
    const taskId = created.taskId as string;
    expect(await request('tasks/cancel', { taskId })).toMatchObject({ resultType: 'complete' });
    expect(await request('tasks/get', { taskId })).toMatchObject({ status: 'cancelled' });
  });

  it('runs slow_compute within the call for a client without the extension', async () => {
    const result = await request(
      'tools/call',
      { name: 'slow_compute', arguments: { seconds: 0, label: 'now' } },
      false,
    );
    expect(result).toMatchObject({ content: [{ text: 'Computed now in 0 s' }] });
  });

  it('parks confirm_delete on its question and completes with the answer', async () => {
    const created = await request('tools/call', {
      name: 'confirm_delete',
      arguments: { filename: 'notes.txt' },
    });
    const taskId = created.taskId as string;
    const waiting = await until(taskId, 'input_required');
    const [key] = Object.keys(waiting.inputRequests as object);
    await request('tasks/update', {
      taskId,
      inputResponses: { [key!]: { action: 'accept', content: { confirm: true } } },
    });
    expect((await until(taskId, 'completed')).result).toMatchObject({
      content: [{ text: 'Deleted notes.txt' }],
    });
  });

  it('asks for the name within test_tool_with_task, then finishes it as a task', async () => {
    const round = await request('tools/call', { name: 'test_tool_with_task', arguments: {} });
    expect(round).toMatchObject({ resultType: 'input_required', inputRequests: { user_name: {} } });
    const created = await request('tools/call', {
      name: 'test_tool_with_task',
      arguments: {},
      inputResponses: { user_name: { action: 'accept', content: { name: 'Alice' } } },
      requestState: round.requestState,
    });
    expect(created.resultType).toBe('task');
    const done = await until(created.taskId as string, 'completed');
    expect(done.result).toMatchObject({ content: [{ text: expect.stringContaining('Alice') }] });
  });

  it('refuses failing_job with -32021 for a client without the extension', async () => {
    const response = await peer.request('tools/call', {
      name: 'failing_job',
      arguments: {},
      _meta: meta(false),
    });
    expect(response.error).toMatchObject({
      code: -32021,
      data: { requiredCapabilities: { extensions: { [TASKS]: {} } } },
    });
  });
});
