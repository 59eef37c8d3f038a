import { describe, expect, it } from 'vitest';
import { callDeadline, settleOrAbort } from './abort.js';

const never = new Promise<never>(() => undefined);

describe('settleOrAbort', () => {
  it('settles with the promise while the signal stays quiet', async () => {
    const controller = new AbortController();
    await expect(settleOrAbort(Promise.resolve(7), controller.signal)).resolves.toBe(7);
    await expect(
      settleOrAbort(Promise.reject(new RangeError('bad')), controller.signal),
    ).rejects.toThrow(RangeError);
  });

  it('wraps a rejection that is not an Error', async () => {
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- a library may reject with anything
    const rejected = settleOrAbort(Promise.reject('plain'), new AbortController().signal);
    await expect(rejected).rejects.toThrow(new Error('plain'));
  });

  it('rejects with the abort reason as soon as the signal aborts, without waiting for the promise', async () => {
    const controller = new AbortController();
    const pending = settleOrAbort(never, controller.signal);
    const reason = new Error('client cancelled');
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
  });

  it('rejects at once for a signal already aborted, with a generic error when the reason is no Error', async () => {
    await expect(settleOrAbort(never, AbortSignal.abort('gone'))).rejects.toThrow(
      'The request was cancelled',
    );
  });

  it('stops listening to the signal once the promise settles', async () => {
    const controller = new AbortController();
    const listeners: unknown[] = [];
    const add = controller.signal.addEventListener.bind(controller.signal);
    const remove = controller.signal.removeEventListener.bind(controller.signal);
    controller.signal.addEventListener = (...args: Parameters<typeof add>) => {
      listeners.push(args[1]);
      add(...args);
    };
    controller.signal.removeEventListener = (...args: Parameters<typeof remove>) => {
      listeners.splice(listeners.indexOf(args[1]), 1);
      remove(...args);
    };
    await settleOrAbort(Promise.resolve('done'), controller.signal);
    expect(listeners).toEqual([]);
  });
});

describe('callDeadline', () => {
  it('gives every request of one call the same deadline, and each call its own', () => {
    const deadlines = new WeakMap<AbortSignal, AbortSignal>();
    const first = new AbortController().signal;
    const second = new AbortController().signal;
    const deadline = callDeadline(deadlines, first, 60_000);
    expect(callDeadline(deadlines, first, 60_000)).toBe(deadline);
    expect(callDeadline(deadlines, second, 60_000)).not.toBe(deadline);
    expect(deadline.aborted).toBe(false);
  });

  it('aborts with a TimeoutError once the time has passed', async () => {
    const deadline = callDeadline(new WeakMap(), new AbortController().signal, 1);
    await new Promise((resolve) => deadline.addEventListener('abort', resolve, { once: true }));
    expect(deadline.reason).toBeInstanceOf(DOMException);
    expect((deadline.reason as DOMException).name).toBe('TimeoutError');
  });
});
