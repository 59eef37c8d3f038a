/**
 * @module
 * Polling for a condition that becomes true through some other process's doing (a file appears, a
 * fake server records a request). Tests use it instead of sleeping a fixed time, so they stay fast
 * on an idle machine and still pass on a loaded one.
 */

/** Why a `waitFor` gave up; the message says what was awaited, the last error what went wrong. */
export class WaitTimeoutError extends Error {
  override readonly name = 'WaitTimeoutError';
}

/** Options for {@link waitFor}. */
export interface WaitForOptions {
  /** Give up after this long. Generous by default: this is a liveness bound, not a speed check. */
  readonly timeoutMs?: number;
  /** Pause between attempts. */
  readonly intervalMs?: number;
  /** Named in the timeout message. */
  readonly description?: string;
}

/**
 * Calls `predicate` until it returns a value other than `undefined`, `false` or `null` and resolves
 * with that value. A predicate that throws counts as "not yet"; its last error is in the timeout
 * message. Accepts a bare timeout in milliseconds as the second argument.
 */
export async function waitFor<T>(
  predicate: () => T | Promise<T>,
  options: WaitForOptions | number = {},
): Promise<Exclude<T, undefined | null | false>> {
  const {
    timeoutMs = 10_000,
    intervalMs = 10,
    description = 'condition',
  } = typeof options === 'number' ? { timeoutMs: options } : options;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await predicate();
      if (value !== undefined && value !== null && value !== false) {
        return value as Exclude<T, undefined | null | false>;
      }
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const cause = lastError instanceof Error ? `: last error: ${lastError.message}` : '';
      throw new WaitTimeoutError(
        `Timed out after ${timeoutMs} ms waiting for ${description}${cause}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
