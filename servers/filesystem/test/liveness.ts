/**
 * @module
 * Liveness while a heavy call runs: `ping` is sent again and again until the call settles, and
 * every round trip is recorded. A server that blocks its event loop shows it as one long round
 * trip; a bound of a second is generous for a responsive server and catches any real stall.
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';

const PAUSE_MS = 10;

export interface Liveness<T> {
  result: T;
  /** Round trips of the pings sent while the call ran, in milliseconds. */
  pings: number[];
}

export async function pingWhile<T>(client: Client, call: Promise<T>): Promise<Liveness<T>> {
  let settled = false;
  const done = call.finally(() => {
    settled = true;
  });
  const pings: number[] = [];
  while (!settled) {
    const start = performance.now();
    await client.ping();
    pings.push(performance.now() - start);
    // A pause between pings, as a real client's: an in-memory transport answers within
    // microtasks, and back-to-back pings would starve the server's own macrotasks.
    await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
  }
  return { result: await done, pings };
}
