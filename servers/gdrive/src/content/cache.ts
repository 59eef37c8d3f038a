/**
 * @module
 * Converted content (exported Docs, parsed spreadsheets, extracted PDF text) kept for a while,
 * so that paging through a long document with `offset` converts it once rather than once per
 * page. Keyed by file id and Drive's version number, so an edited file is converted afresh;
 * bounded by entry count and total size, least recently used first out.
 */

export interface ContentCache<T> {
  get(key: string): T | undefined;
  set(key: string, value: T, size: number): void;
}

export function createContentCache<T>(
  maxEntries = 16,
  maxSize = 64 * 1024 * 1024,
): ContentCache<T> {
  const entries = new Map<string, { value: T; size: number }>();
  let total = 0;
  return {
    get(key) {
      const entry = entries.get(key);
      if (entry === undefined) return undefined;
      entries.delete(key);
      entries.set(key, entry);
      return entry.value;
    },
    set(key, value, size) {
      const previous = entries.get(key);
      if (previous !== undefined) {
        total -= previous.size;
        entries.delete(key);
      }
      if (size > maxSize) return;
      entries.set(key, { value, size });
      total += size;
      for (const [oldest, entry] of entries) {
        if (entries.size <= maxEntries && total <= maxSize) break;
        entries.delete(oldest);
        total -= entry.size;
      }
    },
  };
}
