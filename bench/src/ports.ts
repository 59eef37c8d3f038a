/**
 * @module
 * A wait for a loopback port the harness started something on to accept connections. Free ports
 * come from `freePort` of `@plugboard/peers`, the one the tests use.
 */
import { createConnection } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

function tryConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => {
      resolve(false);
    });
  });
}

/** Resolves true once something listens on the port, false after `timeoutMs` or when `gaveUp()` says so. */
export async function waitForPort(
  port: number,
  timeoutMs: number,
  gaveUp: () => boolean,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !gaveUp()) {
    if (await tryConnect(port)) return true;
    await sleep(25);
  }
  return false;
}
