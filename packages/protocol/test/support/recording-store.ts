/**
 * @module
 * A {@link Store} that records every key and value written through it, as they reach the
 * backing store: what a test reads to know what Redis would hold.
 */
import type { Store } from '../../src/store/store.js';

/** `inner`, every write also pushed (key, then value) onto `written`. */
export function recordingStore(inner: Store, written: string[]): Store {
  return {
    kind: inner.kind,
    shared: inner.shared,
    scope: (name) => recordingStore(inner.scope(name), written),
    get: (key) => inner.get(key),
    set: (key, value, ttl) => (written.push(key, value), inner.set(key, value, ttl)),
    add: (key, value, ttl) => (written.push(key, value), inner.add(key, value, ttl)),
    delete: (key) => inner.delete(key),
    append: (key, value, options) => (written.push(key, value), inner.append(key, value, options)),
    items: (key) => inner.items(key),
    publish: (channel, message) => (
      written.push(channel, message),
      inner.publish(channel, message)
    ),
    subscribe: (channel, listener) => inner.subscribe(channel, listener),
    close: () => inner.close(),
  };
}
