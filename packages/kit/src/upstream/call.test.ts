import { ToolError } from '@plugboard/protocol';
import { describe, expect, it } from 'vitest';
import { BodyTooLargeError, capBody } from './body-cap.js';
import { callUpstream, type UpstreamCall } from './call.js';

class LibraryFailure extends Error {}

function upstreamCall(overrides: Partial<UpstreamCall> = {}): UpstreamCall {
  return {
    upstream: 'Example',
    signal: new AbortController().signal,
    deadline: new AbortController().signal,
    timeoutMs: 30_000,
    timeoutAdvice: 'Try again.',
    oversizeAdvice: 'Ask for a smaller page.',
    toToolError: (error) =>
      error instanceof LibraryFailure ? new ToolError(`mapped: ${error.message}`) : undefined,
    ...overrides,
  };
}

const never = (): Promise<never> => new Promise<never>(() => undefined);

describe('callUpstream', () => {
  it('returns what the request returns', async () => {
    await expect(callUpstream(upstreamCall(), () => Promise.resolve(42))).resolves.toBe(42);
  });

  it('hands the request a signal that aborts with the deadline', async () => {
    const deadline = new AbortController();
    let seen: AbortSignal | undefined;
    const pending = callUpstream(upstreamCall({ deadline: deadline.signal }), (signal) => {
      seen = signal;
      return never();
    });
    deadline.abort();
    await expect(pending).rejects.toThrow(
      new ToolError('Example did not answer within 30 seconds. Try again.'),
    );
    expect(seen?.aborted).toBe(true);
  });

  it('rethrows a cancellation as it is, even from a request that ignores its signal', async () => {
    const cancel = new AbortController();
    const reason = new Error('cancelled by the client');
    const pending = callUpstream(upstreamCall({ signal: cancel.signal }), never);
    cancel.abort(reason);
    await expect(pending).rejects.toBe(reason);
  });

  it('names the cap when the answer was too large, however the library wrapped it', async () => {
    const wrapped = new LibraryFailure('fetch failed', {
      cause: new BodyTooLargeError('Example', 2 * 1024 * 1024),
    });
    await expect(callUpstream(upstreamCall(), () => Promise.reject(wrapped))).rejects.toThrow(
      new ToolError(
        "Example's answer was larger than the 2 MiB cap on upstream responses, so it was not read. Ask for a smaller page.",
      ),
    );
  });

  it("gives the cap's own advice instead of the call's when the cap has one", async () => {
    const refused = new BodyTooLargeError('The token endpoint', 64 * 1024, 'Check the token URL.');
    await expect(callUpstream(upstreamCall(), () => Promise.reject(refused))).rejects.toThrow(
      new ToolError(
        "The token endpoint's answer was larger than the 64 KiB cap on upstream responses, so it was not read. Check the token URL.",
      ),
    );
  });

  it('fails with the cap even when the library swallows the failed read', async () => {
    const big = new Response(new Uint8Array(4096), { headers: { 'content-length': '4096' } });
    const pending = callUpstream(upstreamCall(), async (signal) => {
      const capped = capBody(big, { upstream: 'Example', maxBytes: 1024 }, signal);
      return capped.text().catch(() => ''); // as Octokit does
    });
    await expect(pending).rejects.toThrow(
      new ToolError(
        "Example's answer was larger than the 1 KiB cap on upstream responses, so it was not read. Ask for a smaller page.",
      ),
    );
  });

  it("converts the library's failures through the server's mapping", async () => {
    await expect(
      callUpstream(upstreamCall(), () => Promise.reject(new LibraryFailure('404'))),
    ).rejects.toThrow(new ToolError('mapped: 404'));
  });

  it('lets failures the mapping does not know surface unchanged, and ToolErrors pass', async () => {
    const bug = new TypeError('undefined is not a function');
    await expect(callUpstream(upstreamCall(), () => Promise.reject(bug))).rejects.toBe(bug);
    const refusal = new ToolError('refused before the request');
    await expect(callUpstream(upstreamCall(), () => Promise.reject(refusal))).rejects.toBe(refusal);
  });
});
