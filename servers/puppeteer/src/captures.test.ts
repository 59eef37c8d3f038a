import { describe, expect, it } from 'vitest';
import { createCaptureStore, type Capture } from './captures.js';

const capture = (name: string, bytes = 10): Capture => ({
  uri: `screenshot://${name}`,
  name,
  mimeType: 'image/png',
  data: 'AA',
  bytes,
});

describe('capture store', () => {
  it('keeps at most the configured count, evicting the least recently used', () => {
    const store = createCaptureStore(3, 1000);
    for (const name of ['a', 'b', 'c']) store.put(capture(name));
    store.get('screenshot://a');
    store.put(capture('d'));
    expect(store.list().map((entry) => entry.name)).toEqual(['c', 'a', 'd']);
  });

  it('keeps the total size under its cap and never evicts the capture just stored', () => {
    const store = createCaptureStore(100, 25);
    store.put(capture('a', 10));
    store.put(capture('b', 10));
    store.put(capture('c', 10));
    expect(store.list().map((entry) => entry.name)).toEqual(['b', 'c']);
    store.put(capture('huge', 100));
    expect(store.list().map((entry) => entry.name)).toEqual(['huge']);
  });

  it('replaces a capture stored under the same name and announces every change', () => {
    const store = createCaptureStore();
    let changes = 0;
    store.onChange(() => changes++);
    store.put(capture('a', 10));
    store.put(capture('a', 20));
    expect(store.list()).toHaveLength(1);
    expect(store.get('screenshot://a')?.bytes).toBe(20);
    expect(changes).toBe(2);
  });
});
