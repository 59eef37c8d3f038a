/**
 * @module
 * The shared store: where state that must outlive one instance lives (tasks, handshake-era
 * session state, SSE event history, later encrypted upstream credentials). It is a namespaced
 * key/value store whose every entry has a TTL and a bounded size, plus bounded append-only lists
 * (event history) and pub/sub (events produced on one instance for a stream held on another).
 * The interface is here, in the protocol, because the protocol is what keeps that state; the
 * in-memory implementation is the default, and `@plugboard/kit/store` opens a Redis one.
 */

/** The store could not do what was asked: unreachable, or an entry out of bounds. */
export class StoreError extends Error {
  override readonly name = 'StoreError';
}

export interface StoreLimits {
  /** Largest value (or list item) accepted, in bytes of UTF-8. */
  maxValueBytes: number;
  /** Longest TTL accepted; a longer one is cut to it. */
  maxTtlMs: number;
}

export const DEFAULT_STORE_LIMITS: StoreLimits = {
  maxValueBytes: 1024 * 1024,
  maxTtlMs: 24 * 60 * 60_000,
};

export interface AppendOptions {
  /** The list expires this long after its last append. */
  ttlMs: number;
  /** Only the newest `maxLength` items are kept. */
  maxLength: number;
}

export type Unsubscribe = () => Promise<void>;

export interface Store {
  /** `memory` or `redis`: only a shared store lets instances answer for each other. */
  readonly kind: string;
  /** Whether state written here is seen by other instances. */
  readonly shared: boolean;
  /** A view of the same store whose keys and channels all start with `name:`. */
  scope(name: string): Store;
  get(key: string): Promise<string | undefined>;
  /** Stores `value` under `key` for `ttlMs`. */
  set(key: string, value: string, ttlMs: number): Promise<void>;
  /** Stores `value` only if `key` holds nothing; true when it did. */
  add(key: string, value: string, ttlMs: number): Promise<boolean>;
  delete(key: string): Promise<void>;
  /** Appends to the list at `key`, keeping the newest items and renewing its TTL. */
  append(key: string, value: string, options: AppendOptions): Promise<void>;
  /** Every item of the list at `key`, oldest first (empty when there is none). */
  items(key: string): Promise<string[]>;
  publish(channel: string, message: string): Promise<void>;
  /** Calls `listener` with every message published on `channel` until unsubscribed. */
  subscribe(channel: string, listener: (message: string) => void): Promise<Unsubscribe>;
  /** Releases connections; the store is unusable afterwards. */
  close(): Promise<void>;
}

const encoder = new TextEncoder();

/** The checks every implementation applies before writing: same bounds, same messages. */
export function checkEntry(limits: StoreLimits, key: string, value: string, ttlMs: number): number {
  if (!(ttlMs > 0) || !Number.isFinite(ttlMs))
    throw new StoreError(`Store entry ${key.slice(0, 80)} needs a positive TTL`);
  // Cheap bound first: UTF-8 takes at most 3 bytes per UTF-16 unit.
  if (
    value.length * 3 > limits.maxValueBytes &&
    encoder.encode(value).length > limits.maxValueBytes
  )
    throw new StoreError(
      `Store entry ${key.slice(0, 80)} is larger than ${limits.maxValueBytes} bytes`,
    );
  return Math.min(Math.ceil(ttlMs), limits.maxTtlMs);
}
