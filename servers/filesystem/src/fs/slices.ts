/**
 * @module
 * Time slices for CPU work that runs on the event loop: the work calls `tick()` often, and every
 * {@link SLICE_MS} it yields so that pings, cancellations and other requests are answered; it
 * stops when the request is cancelled or its deadline passes, with the reason the caller gives.
 */
import { ToolError } from '@plugboard/protocol';

const SLICE_MS = 12;

export interface Slicer {
  /** Yields when the current slice is used up; throws when cancelled or past the deadline. */
  tick(): Promise<void>;
}

export function timeSlicer(options: {
  signal: AbortSignal;
  /** How long the whole job may take, in milliseconds. */
  budgetMs: number;
  /** The error message when the budget runs out. */
  overBudget: string;
}): Slicer {
  const deadline = performance.now() + options.budgetMs;
  let sliceStart = performance.now();
  return {
    async tick() {
      const now = performance.now();
      if (now - sliceStart < SLICE_MS) return;
      if (now > deadline) throw new ToolError(options.overBudget);
      await new Promise((resolve) => setImmediate(resolve));
      options.signal.throwIfAborted();
      sliceStart = performance.now();
    },
  };
}
