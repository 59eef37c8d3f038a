import { createMemoryStore } from '@plugboard/protocol';
import { describe, expect, it } from 'vitest';
import { ConnectRecords, TooManyConnects } from './records.js';

function records(limits = { ttlMs: 600_000, maxPending: 3 }) {
  let now = 1_000_000;
  const kept = new ConnectRecords(createMemoryStore(), 'github', limits, () => now);
  return { kept, advance: (ms: number) => void (now += ms) };
}

describe('the connect flow’s records', () => {
  it('makes a pending connect with a random id and verifier, for its subject and client', async () => {
    const { kept } = records();
    const one = await kept.begin('alice', 'client-a');
    const two = await kept.begin('alice', 'client-a');
    expect(one.id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(one.verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(one.id).not.toBe(two.id);
    expect(await kept.find(one.id)).toEqual(one);
    expect(one).toMatchObject({ subject: 'alice', clientId: 'client-a', provider: 'github' });
  });

  it('uses a pending connect up once: a second burn and later finds see nothing', async () => {
    const { kept } = records();
    const pending = await kept.begin('alice', undefined);
    expect(await kept.burn(pending)).toBe(true);
    expect(await kept.burn(pending)).toBe(false);
    expect(await kept.find(pending.id)).toBeUndefined();
  });

  it('forgets a pending connect at its expiry', async () => {
    const { kept, advance } = records();
    const pending = await kept.begin('alice', undefined);
    advance(600_000);
    expect(await kept.find(pending.id)).toBeUndefined();
  });

  it('bounds the connects one user has pending, and no other user feels it', async () => {
    const { kept, advance } = records();
    for (let index = 0; index < 3; index += 1) await kept.begin('alice', undefined);
    await expect(kept.begin('alice', undefined)).rejects.toBeInstanceOf(TooManyConnects);
    await expect(kept.begin('bob', undefined)).resolves.toMatchObject({ subject: 'bob' });
    advance(600_001);
    await expect(kept.begin('alice', undefined)).resolves.toMatchObject({ subject: 'alice' });
  });

  it('gives a state back once, of its own kind only; a forged one is nothing', async () => {
    const { kept } = records();
    const pending = await kept.begin('alice', undefined);
    const state = { kind: 'upstream' as const, pendingId: pending.id, browser: 'b' };
    const value = await kept.issueState(state);
    expect(await kept.claimState('signin', value)).toBeUndefined();
    const other = await kept.issueState(state);
    expect(await kept.claimState('upstream', other)).toEqual(state);
    expect(await kept.claimState('upstream', other)).toBeUndefined();
    expect(await kept.claimState('upstream', 'A'.repeat(43))).toBeUndefined();
  });

  it('keeps the outcome of a flow for the call that waits on it', async () => {
    const { kept } = records();
    const pending = await kept.begin('alice', undefined);
    expect(await kept.outcome(pending.id)).toBeUndefined();
    await kept.settle(pending.id, { kind: 'refused', reason: 'another user' });
    expect(await kept.outcome(pending.id)).toEqual({ kind: 'refused', reason: 'another user' });
  });
});
