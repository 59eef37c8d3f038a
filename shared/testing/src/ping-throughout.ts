/**
 * @module
 * The liveness check for heavy inputs: while a call runs, the server must keep answering. The
 * client pings, each ping with a one-second deadline, until the call settles; a ping that gets no
 * answer in time rejects, failing the test. This bounds liveness, it does not measure speed.
 */

/** What is needed of a client: the official SDK clients have it. */
export interface Pinger {
  ping(options?: { timeout?: number }): Promise<unknown>;
}

export interface Pinged<T> {
  /** The call's own result (its rejection is passed on). */
  readonly result: T;
  /** Pings answered while it ran (at least one). */
  readonly pings: number;
}

/** Pings `client` until `call` settles. */
export async function pingThroughout<T>(
  client: Pinger,
  call: Promise<T>,
  deadlineMs = 1000,
): Promise<Pinged<T>> {
  let settled = false;
  const watched = call.finally(() => {
    settled = true;
  });
  // Observed below; this only keeps an early rejection from being reported as unhandled.
  watched.catch(() => undefined);
  let pings = 0;
  do {
    await client.ping({ timeout: deadlineMs });
    pings++;
    // An in-memory transport answers in microtasks: let I/O (downloads, workers) run between pings.
    await new Promise((resolve) => setTimeout(resolve, 20));
  } while (!settled);
  return { result: await watched, pings };
}
