/**
 * @module
 * A client that promises `notifications/roots/list_changed` is asked for its roots once, and
 * again only after it says they changed: servers that check roots on every call (filesystem,
 * git) then cost no extra round trip per call. A failed ask is forgotten, so the next one retries.
 */
import type { Connection } from '../../../jsonrpc/connection.js';
import type { JsonObject, RequestId } from '../../../jsonrpc/message.js';

/** How long a client may take to answer roots/list. */
export const ROOTS_TIMEOUT_MS = 30_000;

export class RootsCache {
  #roots: Promise<JsonObject> | undefined;

  get(connection: Connection, relatedRequestId: RequestId): Promise<JsonObject> {
    if (this.#roots === undefined) {
      const roots = connection.request('roots/list', undefined, {
        relatedRequestId,
        timeoutMs: ROOTS_TIMEOUT_MS,
      });
      this.#roots = roots;
      roots.catch(() => {
        if (this.#roots === roots) this.#roots = undefined;
      });
    }
    return this.#roots;
  }

  /** The client said its roots changed. */
  invalidate(): void {
    this.#roots = undefined;
  }
}
