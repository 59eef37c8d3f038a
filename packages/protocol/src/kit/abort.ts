/**
 * @module
 * Cancellation and deadlines for the requests a tool makes to a remote API. A client library may
 * ignore a signal for part of its work (a token renewal, a retry back-off), so a handler waits on
 * {@link settleOrAbort} rather than trusting it; {@link callDeadline} gives a tool call one
 * deadline however many requests it makes.
 */

function cancelled(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error('The request was cancelled');
}

/**
 * Settles with `promise`, or rejects with the signal's reason (an `Error`) as soon as `signal`
 * aborts; the promise is then left to finish unobserved. A non-`Error` rejection is wrapped in one.
 */
export function settleOrAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(cancelled(signal));
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/**
 * The deadline of the tool call whose signal is `call`: made on first use (`timeoutMs` from then)
 * and kept in `deadlines`, so every later request of the same call shares it. A `WeakMap` keyed by
 * the call's signal lets finished calls' deadlines go with them.
 */
export function callDeadline(
  deadlines: WeakMap<AbortSignal, AbortSignal>,
  call: AbortSignal,
  timeoutMs: number,
): AbortSignal {
  let deadline = deadlines.get(call);
  if (deadline === undefined) {
    deadline = AbortSignal.timeout(timeoutMs);
    deadlines.set(call, deadline);
  }
  return deadline;
}
