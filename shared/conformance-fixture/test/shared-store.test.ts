/**
 * The two stores behind `--store`, held to the same contract: the in-memory default and Redis
 * (a real `redis-server` on a free port). Then what only Redis does: two instances see one
 * another's writes and messages, and an unreachable Redis gives clear errors (never the URL's
 * password) and recovers by itself when it is back.
 */
import { createMemoryStore, nullLogger, StoreError, type Store } from '@plugboard/protocol';
import { openStore } from '@plugboard/kit/store';
import { findRedisServer, startRedis, waitFor, type RedisServer } from '@plugboard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const binary = findRedisServer();
if (binary === undefined)
  process.stderr.write('SKIP [shared-store] redis-server is missing and could not be installed\n');

let redis: RedisServer | undefined;
const opened: Store[] = [];

beforeAll(async () => {
  if (binary !== undefined) redis = await startRedis(binary);
});
afterAll(async () => {
  await Promise.all(opened.map((store) => store.close()));
  await redis?.close();
});

async function redisStore(url = redis!.url): Promise<Store> {
  const store = await openStore(new URL(url), nullLogger);
  opened.push(store);
  return store;
}

const kinds: [string, () => Promise<Store>][] = [
  ['memory', () => Promise.resolve(createMemoryStore({ maxValueBytes: 1024 }))],
];
if (binary !== undefined) kinds.push(['redis', () => redisStore()]);

describe.each(kinds)('the %s store', (_kind, open) => {
  let store: Store;
  beforeAll(async () => {
    // Each suite in its own scope, so runs never see each other's keys.
    store = (await open()).scope(crypto.randomUUID());
  });

  it('keeps a value until its TTL passes, then forgets it', async () => {
    await store.set('short', 'v1', 80);
    await store.set('long', 'v2', 60_000);
    expect(await store.get('short')).toBe('v1');
    await waitFor(async () => (await store.get('short')) === undefined, {
      description: 'the short entry to expire',
    });
    expect(await store.get('long')).toBe('v2');
  });

  it('adds only when the key is free', async () => {
    expect(await store.add('lease', 'a', 60_000)).toBe(true);
    expect(await store.add('lease', 'b', 60_000)).toBe(false);
    expect(await store.get('lease')).toBe('a');
    await store.delete('lease');
    expect(await store.add('lease', 'c', 60_000)).toBe(true);
  });

  it('keeps scopes apart', async () => {
    const a = store.scope('a');
    const b = store.scope('b');
    await a.set('k', 'in a', 60_000);
    expect(await b.get('k')).toBeUndefined();
    expect(await store.get('k')).toBeUndefined();
    expect(await store.scope('a').get('k')).toBe('in a');
  });

  it('keeps only the newest items of a list', async () => {
    for (let index = 1; index <= 5; index++)
      await store.append('history', `e${index}`, { ttlMs: 60_000, maxLength: 3 });
    expect(await store.items('history')).toEqual(['e3', 'e4', 'e5']);
    expect(await store.items('none')).toEqual([]);
  });

  it('refuses an entry over the size bound or without a TTL, and loses nothing', async () => {
    await store.set('bounded', 'kept', 60_000);
    await expect(store.set('bounded', 'x'.repeat(2 * 1024 * 1024), 60_000)).rejects.toThrow(
      StoreError,
    );
    await expect(store.set('bounded', 'other', 0)).rejects.toThrow(/positive TTL/);
    await expect(
      store.append('bounded-list', 'é'.repeat(1024 * 1024), { ttlMs: 1000, maxLength: 2 }),
    ).rejects.toThrow(/larger than/);
    expect(await store.get('bounded')).toBe('kept');
  });

  it('delivers published messages to subscribers of that channel only', async () => {
    const seen: string[] = [];
    const other: string[] = [];
    const stop = await store.subscribe('events', (message) => seen.push(message));
    const stopOther = await store.subscribe('elsewhere', (message) => other.push(message));
    await store.publish('events', 'one');
    await waitFor(() => seen.length === 1, { description: 'the message' });
    await stop();
    await store.publish('events', 'two');
    await store.publish('elsewhere', 'three');
    await waitFor(() => other.length === 1, { description: 'the other message' });
    expect(seen).toEqual(['one']);
    await stopOther();
  });
});

describe.skipIf(binary === undefined)('Redis between instances', () => {
  it('shows one instance what another wrote and published', async () => {
    const scope = crypto.randomUUID();
    const a = (await redisStore()).scope(scope);
    const b = (await redisStore()).scope(scope);
    expect(a.shared).toBe(true);
    await a.set('session', 'state', 60_000);
    expect(await b.get('session')).toBe('state');
    const heard: string[] = [];
    await b.subscribe('stream', (message) => heard.push(message));
    await a.publish('stream', 'from a');
    await waitFor(() => heard.length === 1, { description: 'a message across instances' });
    expect(heard).toEqual(['from a']);
  });

  it('fails clearly while Redis is down, then works again when it is back', async () => {
    const store = await redisStore();
    await store.set('before', 'v', 60_000);
    await redis!.stop();
    try {
      const error: unknown = await store.get('before').catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(StoreError);
      expect((error as Error).message).toContain(`redis://127.0.0.1:${redis!.port}`);
    } finally {
      await redis!.start();
    }
    await waitFor(() => store.set('after', 'v', 60_000).then(() => true), {
      description: 'the store to reconnect',
    });
    expect(await store.get('after')).toBe('v');
  });

  it('never shows the password of the store URL', async () => {
    const store = await redisStore(`redis://intruder:hunter2-secret@127.0.0.1:${redis!.port}`);
    const error: unknown = await store.get('anything').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as Error).message).not.toContain('hunter2-secret');
    expect((error as Error).message).toContain(`redis://127.0.0.1:${redis!.port}`);
  });
});
