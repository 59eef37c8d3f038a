import { describe, expect, it } from 'vitest';
import { InflightRequests } from './inflight.js';

const later = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('InflightRequests', () => {
  it('is idle once nothing has been open for the quiet period', async () => {
    const inflight = new InflightRequests();
    const request = {};
    inflight.started(request);
    let idle = false;
    const waiting = inflight.idle(30, 2000).then(() => {
      idle = true;
    });
    await later(60);
    expect(idle).toBe(false);
    inflight.ended(request);
    await waiting;
    expect(inflight.size).toBe(0);
  });

  it('forgets what the previous document left open when the main frame navigates', async () => {
    const inflight = new InflightRequests();
    inflight.started({});
    inflight.started({});
    inflight.navigated();
    expect(inflight.size).toBe(0);
    await inflight.idle(10, 1000);
  });

  it('times out with a TimeoutError while a request stays open, and stops when aborted', async () => {
    const inflight = new InflightRequests();
    inflight.started({});
    await expect(inflight.idle(10, 50)).rejects.toMatchObject({ name: 'TimeoutError' });
    const controller = new AbortController();
    const waiting = inflight.idle(10, 5000, controller.signal);
    controller.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
  });
});
