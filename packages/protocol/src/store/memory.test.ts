import { describe, expect, it } from 'vitest';
import { createMemoryStore } from './memory.js';
import { StoreError } from './store.js';

describe('the in-memory store', () => {
  it('holds at most maxEntries, the least recently written making room', async () => {
    const store = createMemoryStore({ maxEntries: 3 });
    for (const key of ['a', 'b', 'c']) await store.set(key, key, 60_000);
    await store.set('a', 'a again', 60_000);
    await store.set('d', 'd', 60_000);
    expect(await store.get('b')).toBeUndefined();
    expect(await store.get('a')).toBe('a again');
    expect(await store.get('c')).toBe('c');
    expect(await store.get('d')).toBe('d');
  });

  it('makes room with expired entries before live ones', async () => {
    const store = createMemoryStore({ maxEntries: 2 });
    await store.set('live', 'v', 60_000);
    await store.set('gone', 'v', 1);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await store.set('new', 'v', 60_000);
    expect(await store.get('live')).toBe('v');
    expect(await store.get('new')).toBe('v');
  });

  it('cuts a TTL to the longest allowed', async () => {
    const store = createMemoryStore({ maxTtlMs: 1 });
    await store.set('k', 'v', 60_000);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(await store.get('k')).toBeUndefined();
  });

  it('refuses writes once closed', async () => {
    const store = createMemoryStore();
    await store.close();
    await expect(store.set('k', 'v', 1000)).rejects.toThrow(StoreError);
  });
});
