import { describe, expect, it } from 'vitest';
import { waitFor, WaitTimeoutError } from './wait-for.js';

describe('waitFor', () => {
  it('resolves with the first truthy value the predicate returns', async () => {
    let calls = 0;
    const value = await waitFor(() => (++calls >= 3 ? { calls } : undefined), { intervalMs: 1 });
    expect(value).toEqual({ calls: 3 });
  });

  it('treats a throwing predicate as not yet and names its last error on timeout', async () => {
    const attempt = waitFor(
      () => {
        throw new Error('file not there');
      },
      { timeoutMs: 30, intervalMs: 5, description: 'the file' },
    );
    await expect(attempt).rejects.toThrow(WaitTimeoutError);
    await expect(attempt).rejects.toThrow(/the file: last error: file not there/);
  });

  it('accepts a bare timeout and keeps polling while the value is false', async () => {
    await expect(waitFor(() => false, 20)).rejects.toThrow(/Timed out after 20 ms/);
  });
});
