import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../jsonrpc/error-code.js';
import { TaskStore } from './store.js';

const question = { method: 'elicitation/create' as const, params: { message: 'Name?' } };
const accept = (name: string) => ({ action: 'accept', content: { name } });

describe('TaskStore', () => {
  it('stores a task before handing it out and finds it by id', () => {
    const store = new TaskStore();
    const task = store.create();
    expect(store.get(task.id)).toBe(task);
    expect(task.describe()).toMatchObject({ taskId: task.id, status: 'working' });
    expect(store.get('guessed')).toBeUndefined();
  });

  it('refuses a new task when every slot holds a running one', () => {
    const store = new TaskStore({ maxTasks: 2 });
    store.create();
    store.create();
    expect(() => store.create()).toThrow(
      expect.objectContaining({ code: ErrorCode.InternalError }),
    );
  });

  it('makes room by forgetting the earliest-created finished task, never a running one', () => {
    const store = new TaskStore({ maxTasks: 3 });
    const running = store.create();
    const older = store.create();
    const newer = store.create();
    newer.complete({ content: [] });
    older.complete({ content: [] });
    const fourth = store.create();
    expect(store.get(running.id)).toBe(running);
    expect(store.get(older.id)).toBeUndefined();
    expect(store.get(newer.id)).toBe(newer);
    expect(store.get(fourth.id)).toBe(fourth);
  });

  it('forgets a task once its ttl has passed, stopping it if it still runs', async () => {
    const store = new TaskStore({ ttlMs: 1 });
    const task = store.create();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(store.get(task.id)).toBeUndefined();
    expect(task.signal.aborted).toBe(true);
    expect(store.size).toBe(0);
  });

  it('stops every running task at shutdown and leaves finished ones as they were', () => {
    const store = new TaskStore();
    const running = store.create();
    const finished = store.create();
    finished.complete({ content: [] });
    store.cancelAll();
    expect(running.signal.aborted).toBe(true);
    expect(running.status).toBe('cancelled');
    expect(finished.status).toBe('completed');
  });

  it('keeps a finished outcome: the first one wins and cancellation cannot overwrite it', () => {
    const task = new TaskStore().create();
    task.fail({ code: -32603, message: 'boom' });
    task.complete({ content: [] });
    task.cancel();
    expect(task.detail()).toMatchObject({
      status: 'failed',
      error: { code: -32603, message: 'boom' },
    });
    expect(task.signal.aborted).toBe(false);
  });

  it('is input_required while any question is open and lists only the open ones', async () => {
    const task = new TaskStore().create();
    const answered = task.input(
      new Map([
        ['a', question],
        ['b', question],
      ]),
    );
    expect(task.detail()).toMatchObject({
      status: 'input_required',
      inputRequests: { a: question, b: question },
    });
    task.answer({ a: accept('Ada') });
    expect(task.detail()).toMatchObject({ status: 'input_required' });
    expect(Object.keys(task.detail().inputRequests as object)).toEqual(['b']);
    task.answer({ b: accept('Grace') });
    expect(task.status).toBe('working');
    expect(Object.fromEntries(await answered)).toEqual({ a: accept('Ada'), b: accept('Grace') });
    expect(task.detail()).not.toHaveProperty('inputRequests');
  });

  it('rejects open questions and aborts the signal when cancelled', async () => {
    const task = new TaskStore().create();
    const answered = task.input(new Map([['a', question]]));
    task.cancel();
    await expect(answered).rejects.toMatchObject({ name: 'AbortError' });
    expect(task.signal.aborted).toBe(true);
    expect(task.detail()).toMatchObject({ status: 'cancelled' });
    expect(task.detail()).not.toHaveProperty('inputRequests');
  });

  it('refuses an answer that is not a result of the question asked, delivering nothing', async () => {
    const task = new TaskStore().create();
    const answered = task.input(
      new Map([
        ['a', question],
        ['b', question],
      ]),
    );
    expect(() => task.answer({ a: accept('Ada'), b: { action: 'maybe' } })).toThrow(
      expect.objectContaining({ code: ErrorCode.InvalidParams }),
    );
    expect(Object.keys(task.detail().inputRequests as object)).toEqual(['a', 'b']);
    task.cancel();
    await expect(answered).rejects.toMatchObject({ name: 'AbortError' });
  });
});
