import { describe, expect, it } from 'vitest';
import { timeSlicer } from './slices.js';

/** Spins the CPU for `ms` milliseconds, as heavy work does between two ticks. */
function busy(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end);
}

describe('timeSlicer', () => {
  it('yields to the event loop once a slice is used up', async () => {
    const slicer = timeSlicer({
      signal: new AbortController().signal,
      budgetMs: 60_000,
      overBudget: 'too slow',
    });
    let ran = false;
    setImmediate(() => (ran = true));
    busy(20);
    await slicer.tick();
    expect(ran).toBe(true);
  });

  it('stops with the given reason past its budget, and on cancellation', async () => {
    const overBudget = timeSlicer({
      signal: new AbortController().signal,
      budgetMs: 0,
      overBudget: 'did not finish within 0 s',
    });
    busy(20);
    await expect(overBudget.tick()).rejects.toThrow('did not finish within 0 s');
    const controller = new AbortController();
    const cancelled = timeSlicer({
      signal: controller.signal,
      budgetMs: 60_000,
      overBudget: 'too slow',
    });
    controller.abort();
    busy(20);
    await expect(cancelled.tick()).rejects.toThrow(/abort/i);
  });
});
