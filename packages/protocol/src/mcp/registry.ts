/**
 * @module
 * A named collection whose changes are announced. Each server owns one per primitive (tools,
 * prompts, resources, templates); sessions listen and tell clients the list changed.
 */

export class Registry<T> {
  readonly #items = new Map<string, T>();
  readonly #listeners = new Set<() => void>();
  readonly #keyOf: (item: T) => string;

  constructor(keyOf: (item: T) => string, items: Iterable<T> = []) {
    this.#keyOf = keyOf;
    for (const item of items) {
      const key = keyOf(item);
      if (this.#items.has(key)) throw new TypeError(`Duplicate registration: ${key}`);
      this.#items.set(key, item);
    }
  }

  get size(): number {
    return this.#items.size;
  }

  get(key: string): T | undefined {
    return this.#items.get(key);
  }

  values(): T[] {
    return [...this.#items.values()];
  }

  /** Adds or replaces an item and announces the change. */
  set(item: T): void {
    this.#items.set(this.#keyOf(item), item);
    this.#changed();
  }

  delete(key: string): boolean {
    const deleted = this.#items.delete(key);
    if (deleted) this.#changed();
    return deleted;
  }

  /** Calls `listener` after every change; returns the function that stops it. */
  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #changed(): void {
    for (const listener of this.#listeners) listener();
  }
}
