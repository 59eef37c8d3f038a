/**
 * @module
 * `@plugboard/kit/upstream`: how a server talks to the API behind it. Every response body is read
 * under a byte cap ({@link capResponseBodies}, given to the client library as its `fetch`), and
 * every call waits through {@link callUpstream} (cancellation, a deadline, the cap's message and
 * the server's error mapping).
 */
export {
  abortableByCap,
  BodyTooLargeError,
  capBody,
  capResponseBodies,
  DEFAULT_MAX_BODY_BYTES,
  findBodyTooLarge,
  formatBytes,
} from './body-cap.js';
export type { BodyCap } from './body-cap.js';
export { callUpstream } from './call.js';
export type { UpstreamCall } from './call.js';
