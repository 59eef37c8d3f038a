/**
 * @module
 * The in-memory {@link Store}: the default, one process's memory, as before there was a store.
 * Nothing is allocated until something is written and no timer runs: expired entries are
 * dropped when read, and swept when the entry count reaches its bound.
 */
import {
  checkEntry,
  DEFAULT_STORE_LIMITS,
  StoreError,
  type AppendOptions,
  type Store,
  type StoreLimits,
  type Unsubscribe,
} from './store.js';

export interface MemoryStoreLimits extends StoreLimits {
  /** Most entries (values and lists) held at once; the oldest make room. */
  maxEntries: number;
}

interface Entry {
  value: string | string[];
  expiresAt: number;
}

/** Runs `write` now; a refusal it throws becomes a rejected promise, as from Redis. */
function settled(write: () => void): Promise<void> {
  try {
    write();
    return Promise.resolve();
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new StoreError(String(error)));
  }
}

/** What every scope of one memory store shares. */
class Backing {
  readonly entries = new Map<string, Entry>();
  readonly channels = new Map<string, Set<(message: string) => void>>();
  readonly limits: MemoryStoreLimits;
  closed = false;

  constructor(limits: MemoryStoreLimits) {
    this.limits = limits;
  }

  live(key: string, now = Date.now()): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt > now) return entry;
    this.entries.delete(key);
    return undefined;
  }

  put(key: string, entry: Entry): void {
    if (this.closed) throw new StoreError('The store is closed');
    this.entries.delete(key);
    if (this.entries.size >= this.limits.maxEntries) this.#makeRoom();
    this.entries.set(key, entry);
  }

  #makeRoom(): void {
    const now = Date.now();
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
    // Insertion order is write order: the first keys are the least recently written.
    for (const key of this.entries.keys()) {
      if (this.entries.size < this.limits.maxEntries) break;
      this.entries.delete(key);
    }
  }
}

export const DEFAULT_MEMORY_ENTRIES = 100_000;

/** A new, empty in-memory store. */
export function createMemoryStore(limits: Partial<MemoryStoreLimits> = {}): Store {
  return new MemoryStore(
    new Backing({ ...DEFAULT_STORE_LIMITS, maxEntries: DEFAULT_MEMORY_ENTRIES, ...limits }),
    '',
  );
}

/** One scope of a memory store. */
class MemoryStore implements Store {
  readonly kind = 'memory';
  readonly shared = false;
  readonly #backing: Backing;
  readonly #prefix: string;

  constructor(backing: Backing, prefix: string) {
    this.#backing = backing;
    this.#prefix = prefix;
  }

  scope(name: string): Store {
    return new MemoryStore(this.#backing, `${this.#prefix}${name}:`);
  }

  get(key: string): Promise<string | undefined> {
    const value = this.#backing.live(this.#prefix + key)?.value;
    return Promise.resolve(typeof value === 'string' ? value : undefined);
  }

  set(key: string, value: string, ttlMs: number): Promise<void> {
    return settled(() => {
      const ttl = checkEntry(this.#backing.limits, key, value, ttlMs);
      this.#backing.put(this.#prefix + key, { value, expiresAt: Date.now() + ttl });
    });
  }

  async add(key: string, value: string, ttlMs: number): Promise<boolean> {
    if (this.#backing.live(this.#prefix + key) !== undefined) return false;
    await this.set(key, value, ttlMs);
    return true;
  }

  delete(key: string): Promise<void> {
    this.#backing.entries.delete(this.#prefix + key);
    return Promise.resolve();
  }

  append(key: string, value: string, options: AppendOptions): Promise<void> {
    return settled(() => {
      const ttl = checkEntry(this.#backing.limits, key, value, options.ttlMs);
      const full = this.#prefix + key;
      const existing = this.#backing.live(full)?.value;
      const list = Array.isArray(existing) ? existing : [];
      list.push(value);
      if (list.length > options.maxLength) list.splice(0, list.length - options.maxLength);
      this.#backing.put(full, { value: list, expiresAt: Date.now() + ttl });
    });
  }

  items(key: string): Promise<string[]> {
    const value = this.#backing.live(this.#prefix + key)?.value;
    return Promise.resolve(Array.isArray(value) ? [...value] : []);
  }

  publish(channel: string, message: string): Promise<void> {
    const listeners = this.#backing.channels.get(this.#prefix + channel);
    if (listeners !== undefined) {
      // Delivered later, as from a server: a listener never runs inside its publisher.
      for (const listener of [...listeners]) queueMicrotask(() => listener(message));
    }
    return Promise.resolve();
  }

  subscribe(channel: string, listener: (message: string) => void): Promise<Unsubscribe> {
    const full = this.#prefix + channel;
    const channels = this.#backing.channels;
    let listeners = channels.get(full);
    if (listeners === undefined) channels.set(full, (listeners = new Set()));
    const own = (message: string): void => listener(message);
    listeners.add(own);
    return Promise.resolve(() => {
      listeners.delete(own);
      if (listeners.size === 0) channels.delete(full);
      return Promise.resolve();
    });
  }

  close(): Promise<void> {
    this.#backing.closed = true;
    this.#backing.entries.clear();
    this.#backing.channels.clear();
    return Promise.resolve();
  }
}
