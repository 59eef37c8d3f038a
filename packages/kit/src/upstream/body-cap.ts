/**
 * @module
 * A byte cap on every upstream response body. Client libraries read bodies whole (`text()`,
 * `json()`, `arrayBuffer()`), so one oversized answer would otherwise be held in memory at full
 * size. {@link capResponseBodies} wraps a `fetch` so that each body is counted as it streams and
 * the read fails with {@link BodyTooLargeError} the moment it passes the cap; the rest is never
 * transferred, because the connection is cancelled.
 *
 * Some libraries swallow a failed body read (Octokit turns it into an empty body), so the failure
 * also travels by the request's signal: a signal made by {@link abortableByCap} (which
 * `callUpstream` hands every request) is aborted with the {@link BodyTooLargeError}, and the call
 * fails with it whatever the library made of the read.
 */

/** Bytes one upstream response body may have unless a server says otherwise. */
export const DEFAULT_MAX_BODY_BYTES = 32 * 1024 * 1024;

/** "32 MiB", "512 KiB", "900 bytes": a cap in the words an error message uses. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

/** A response body was larger than the cap; nothing past the cap was read. */
export class BodyTooLargeError extends Error {
  override readonly name = 'BodyTooLargeError';
  /** Who answered, for the message ("GitHub"). */
  readonly upstream: string;
  readonly maxBytes: number;
  /** What to do about it, when the cap knows better than the call (see {@link BodyCap.advice}). */
  readonly advice: string | undefined;

  constructor(upstream: string, maxBytes: number, advice?: string) {
    super(
      `${upstream}'s response was larger than the ${formatBytes(maxBytes)} cap on upstream responses, so it was not read`,
    );
    this.upstream = upstream;
    this.maxBytes = maxBytes;
    this.advice = advice;
  }
}

/**
 * The {@link BodyTooLargeError} behind `error`, if any. Client libraries wrap what a body read
 * throws (`cause`, slack's `original`, gaxios' `error`), so the chain is followed a few links.
 */
export function findBodyTooLarge(error: unknown): BodyTooLargeError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    if (current instanceof BodyTooLargeError) return current;
    const links = current as { cause?: unknown; original?: unknown; error?: unknown };
    current = links.cause ?? links.original ?? links.error;
  }
  return undefined;
}

const ABORT_BY_CAP = Symbol('plugboard.upstream.abortByCap');

interface CapAbortable {
  readonly [ABORT_BY_CAP]?: (error: BodyTooLargeError) => void;
}

/**
 * `signal`, or a signal that follows it, that a capped body may abort with its
 * {@link BodyTooLargeError}. Give it to the request as its signal.
 */
export function abortableByCap(signal: AbortSignal): AbortSignal {
  const cap = new AbortController();
  const combined = AbortSignal.any([signal, cap.signal]);
  Object.defineProperty(combined, ABORT_BY_CAP, {
    value: (error: BodyTooLargeError) => cap.abort(error),
  });
  return combined;
}

function abortByCap(signal: AbortSignal | null | undefined, error: BodyTooLargeError): void {
  (signal as (AbortSignal & CapAbortable) | null | undefined)?.[ABORT_BY_CAP]?.(error);
}

export interface BodyCap {
  /** Who answers, named in the error ("GitHub", "Slack", "Google Drive"). */
  readonly upstream: string;
  readonly maxBytes: number;
  /**
   * What the person should do when this cap trips, said instead of the call's own advice: a cap on
   * one endpoint (a token endpoint, say) knows that "ask for a smaller page" does not apply.
   */
  readonly advice?: string;
}

const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

/**
 * `response` with its body counted and cut off past `cap.maxBytes`; `signal` is the request's,
 * aborted with the error when it came from {@link abortableByCap}.
 */
export function capBody(response: Response, cap: BodyCap, signal?: AbortSignal | null): Response {
  const source = response.body;
  // A Response with these statuses cannot be built with a body; they have none worth capping.
  if (source === null || NULL_BODY_STATUSES.has(response.status)) return response;
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  const reader: ReadableStreamDefaultReader<Uint8Array> = source.getReader();
  let seen = 0;
  const overflow = async (controller: ReadableStreamDefaultController<Uint8Array>) => {
    const error = new BodyTooLargeError(cap.upstream, cap.maxBytes, cap.advice);
    await reader.cancel(error).catch(() => undefined);
    controller.error(error);
    abortByCap(signal, error);
  };
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      // A declared length past the cap fails before a byte is read.
      if (declared > cap.maxBytes) {
        await overflow(controller);
        return;
      }
      const { done, value } = await reader.read();
      if (done) {
        controller.close();
        return;
      }
      seen += value.byteLength;
      if (seen > cap.maxBytes) {
        await overflow(controller);
        return;
      }
      controller.enqueue(value);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
  const capped = new Response(body, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
  // Libraries read `url` (slack picks its parser by it) and `redirected`; a new Response has neither.
  Object.defineProperties(capped, {
    url: { value: response.url },
    redirected: { value: response.redirected },
  });
  return capped;
}

/** A `fetch` whose every response body is capped as {@link capBody} says. */
export function capResponseBodies(base: typeof fetch, cap: BodyCap): typeof fetch {
  return async (input, init) => capBody(await base(input, init), cap, init?.signal);
}
