import { describe, expect, it } from 'vitest';
import { createTabRings } from './logs.js';

describe('createTabRings', () => {
  it('bounds each tab on its own, so a busy tab keeps a quiet one’s records', () => {
    const rings = createTabRings<{ tab: string; seq: number }>(10);
    let seq = 0;
    rings.push({ tab: 't1', seq: ++seq });
    for (let i = 0; i < 1000; i++) rings.push({ tab: 't2', seq: ++seq });
    rings.push({ tab: 't1', seq: ++seq });
    const items = rings.items();
    expect(items.filter((item) => item.tab === 't1').map((item) => item.seq)).toEqual([1, 1002]);
    expect(items.filter((item) => item.tab === 't2')).toHaveLength(10);
    expect(items.map((item) => item.seq)).toEqual(
      [...items.map((item) => item.seq)].sort((a, b) => a - b),
    );
    expect(rings.total).toBe(1002);
    rings.drop('t2');
    expect(rings.items().map((item) => item.tab)).toEqual(['t1', 't1']);
  });
});
