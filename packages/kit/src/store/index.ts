/**
 * @module
 * `@plugboard/kit/store`: the shared store behind `--store` (`PLUGBOARD_STORE`). The interface
 * and the in-memory store are the protocol's; this adds the Redis one, loaded only when named.
 */
export { openStore } from './open.js';
export { describeStoreUrl } from './url.js';
