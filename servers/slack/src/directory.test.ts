import { ToolError } from '@plugboard/protocol';
import { describe, expect, it } from 'vitest';
import {
  createDirectory,
  createDirectoryCache,
  DIRECTORY_TTL_MS,
  typesForScopes,
  walkPages,
  type DirectorySources,
  type Listing,
  type UserEntry,
} from './directory.js';

const ALICE: UserEntry = { id: 'U1', name: 'alice', is_bot: false, deleted: false };

function sources(users: () => Promise<Listing<UserEntry>>): DirectorySources {
  return {
    workspace: () =>
      Promise.resolve({
        teamId: 'T1',
        enterpriseId: undefined,
        teamName: 'Acme',
        url: undefined,
        userId: 'U0',
        botId: undefined,
        scopes: undefined,
      }),
    conversations: () => Promise.resolve({ items: [], complete: true }),
    users,
    user: () => Promise.resolve(undefined),
  };
}

describe('walking pages', () => {
  it('follows cursors to the end', async () => {
    const pages: Record<string, { items: number[]; nextCursor: string | undefined }> = {
      '': { items: [1, 2], nextCursor: 'b' },
      b: { items: [3], nextCursor: '' },
    };
    expect(await walkPages((cursor) => Promise.resolve(pages[cursor]!))).toEqual({
      items: [1, 2, 3],
      complete: true,
    });
  });

  it('stops at a cursor seen before and at the page cap, saying the walk is incomplete', async () => {
    const cycle: Record<string, string> = { '': 'a', a: 'b', b: 'a' };
    let reads = 0;
    const looped = await walkPages((cursor) => {
      reads++;
      return Promise.resolve({ items: [cursor], nextCursor: cycle[cursor] });
    });
    expect(looped).toEqual({ items: ['', 'a', 'b'], complete: false });
    expect(reads).toBe(3);
    const endless = await walkPages(
      (cursor) => Promise.resolve({ items: [cursor], nextCursor: `${cursor}x` }),
      4,
    );
    expect(endless.items).toHaveLength(4);
    expect(endless.complete).toBe(false);
  });
});

describe('the directory cache', () => {
  it('loads once for concurrent calls and again after the time to live', async () => {
    let loads = 0;
    let now = 0;
    const cache = createDirectoryCache();
    const load = () => {
      loads++;
      return Promise.resolve({ items: [ALICE], complete: true });
    };
    const directory = createDirectory(cache, sources(load), () => now);
    await Promise.all([directory.users(), directory.users()]);
    expect(loads).toBe(1);
    now += DIRECTORY_TTL_MS + 1;
    await directory.users();
    expect(loads).toBe(2);
  });

  it('loads again for a running call when the shared load died with another call', async () => {
    const cache = createDirectoryCache();
    const first = new AbortController();
    let loads = 0;
    const cancelledLoad = () =>
      new Promise<Listing<UserEntry>>((_resolve, reject) => {
        loads++;
        first.signal.addEventListener('abort', () => reject(new Error('aborted')));
      });
    const a = createDirectory(cache, sources(cancelledLoad), Date.now, first.signal);
    const b = createDirectory(
      cache,
      sources(() => {
        loads++;
        return Promise.resolve({ items: [ALICE], complete: true });
      }),
      Date.now,
      new AbortController().signal,
    );
    const pendingA = a.users();
    const pendingB = b.users();
    first.abort();
    await expect(pendingA).rejects.toThrow('aborted');
    expect((await pendingB).items).toEqual([ALICE]);
    expect(loads).toBe(2);
  });

  it('shares a failure Slack reported instead of asking again', async () => {
    const cache = createDirectoryCache();
    let loads = 0;
    const directory = createDirectory(
      cache,
      sources(() => {
        loads++;
        return Promise.reject(new ToolError('missing scope'));
      }),
      Date.now,
      new AbortController().signal,
    );
    await expect(directory.users()).rejects.toThrow('missing scope');
    expect(loads).toBe(1);
  });
});

describe('conversation types for scopes', () => {
  it('asks only for the kinds the token may list', () => {
    expect(
      typesForScopes(
        ['public_channel', 'private_channel', 'im'],
        new Set(['channels:read', 'im:read']),
      ),
    ).toEqual(['public_channel', 'im']);
    expect(typesForScopes(['private_channel'], undefined)).toEqual(['private_channel']);
  });
});
