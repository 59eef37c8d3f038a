/**
 * @module
 * A free loopback TCP port for a peer a test starts (Redis, nginx, a server instance).
 */
import { createServer } from 'node:net';

/** A free loopback TCP port (free when asked; the caller binds it soon after). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        resolve(typeof address === 'object' && address !== null ? address.port : 0),
      );
    });
  });
}
