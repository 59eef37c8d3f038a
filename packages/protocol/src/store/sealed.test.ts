import { describe, expect, it } from 'vitest';
import { createMemoryStore } from './memory.js';
import { sealStore } from './sealed.js';

const TTL = 60_000;

describe('sealStore', () => {
  it('keeps nothing readable in the backing store and reads its own values back', async () => {
    const backing = createMemoryStore();
    const sealed = sealStore(backing, ['first-key']).scope('sessions');
    await sealed.set('a', '{"owner":"alice"}', TTL);
    expect(await sealed.get('a')).toBe('{"owner":"alice"}');
    const stored = await backing.scope('sessions').get('a');
    expect(stored).toBeDefined();
    expect(stored).not.toContain('alice');
  });

  it('opens with any key of the ring and seals with the first (rotation)', async () => {
    const backing = createMemoryStore();
    await sealStore(backing, ['old-key']).set('k', 'v', TTL);
    const rotated = sealStore(backing, ['new-key', 'old-key']);
    expect(await rotated.get('k')).toBe('v');
    await rotated.set('k2', 'v2', TTL);
    expect(await sealStore(backing, ['new-key']).get('k2')).toBe('v2');
    expect(await sealStore(backing, ['old-key']).get('k2')).toBeUndefined();
  });

  it('reads a value moved to another key, or altered, as absent', async () => {
    const backing = createMemoryStore();
    const sealed = sealStore(backing, ['key']);
    await sealed.set('alice', 'secret of alice', TTL);
    const text = (await backing.get('alice'))!;
    await backing.set('bob', text, TTL);
    expect(await sealed.get('bob')).toBeUndefined();
    const flipped = text.slice(0, -2) + (text.endsWith('A') ? 'BB' : 'AA');
    await backing.set('alice', flipped, TTL);
    expect(await sealed.get('alice')).toBeUndefined();
    await backing.set('alice', 'not sealed at all', TTL);
    expect(await sealed.get('alice')).toBeUndefined();
  });

  it('seals list items and published messages, delivered in order', async () => {
    const backing = createMemoryStore();
    const sealed = sealStore(backing, ['key']).scope('events');
    for (const item of ['one', 'two', 'three'])
      await sealed.append('stream', item, { ttlMs: TTL, maxLength: 10 });
    expect(await sealed.items('stream')).toEqual(['one', 'two', 'three']);
    expect((await backing.scope('events').items('stream')).join()).not.toContain('two');
    const heard: string[] = [];
    const stop = await sealed.subscribe('channel', (message) => heard.push(message));
    for (const message of ['a', 'b', 'c', 'd']) await sealed.publish('channel', message);
    await expect.poll(() => heard.length).toBe(4);
    expect(heard).toEqual(['a', 'b', 'c', 'd']);
    await stop();
  });
});
