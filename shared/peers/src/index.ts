/**
 * @module
 * Real local peers that the tests and the bench start (dev-time only): a free loopback port, temp
 * dirs, polling without fixed sleeps, a throwaway `redis-server`, and nginx in front of several
 * instances of a server with a `deploy/` site configuration. No test framework: the bench runs
 * these with plain Node.
 */
export { freePort } from './free-port.js';
export { tmpDir } from './tmp-dir.js';
export type { TmpDir } from './tmp-dir.js';
export { waitFor, WaitTimeoutError } from './wait-for.js';
export type { WaitForOptions } from './wait-for.js';
export { findRedisServer, locateRedisServer, startRedis } from './redis-server.js';
export type { RedisServer } from './redis-server.js';
export { findNginx, startNginx } from './nginx.js';
export type { Nginx } from './nginx.js';
