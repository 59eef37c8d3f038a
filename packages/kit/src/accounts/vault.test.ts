import { createMemoryStore, sealStore, type Store } from '@plugboard/protocol';
import { describe, expect, it } from 'vitest';
import { AccountsKeyError } from './errors.js';
import { GrantVault } from './vault.js';

const KEY = 'accounts-key-one-0123456789abcdef';
const NEXT = 'accounts-key-two-0123456789abcdef';
const GRANT = { accessToken: 'gho_alice_secret_token', refreshToken: 'ghr_alice', expiresAt: 1 };

function vaultOn(store: Store, keys: readonly string[]): GrantVault {
  const scope = 'accounts:github';
  return new GrantVault(sealStore(store, keys).scope(scope), store.scope(scope), 'GitHub', 60_000);
}

describe('the grant vault', () => {
  it('keeps a grant per user, readable back, and nothing for another user', async () => {
    const vault = vaultOn(createMemoryStore(), [KEY]);
    await vault.put('alice', GRANT);
    expect(await vault.get('alice')).toEqual(GRANT);
    expect(await vault.get('bob')).toBeUndefined();
    await vault.delete('alice');
    expect(await vault.get('alice')).toBeUndefined();
  });

  it('writes ciphertext under a hashed subject: neither the token nor the user is in the store', async () => {
    const store = createMemoryStore();
    const vault = vaultOn(store, [KEY]);
    await vault.put('alice@example.com', GRANT);
    const key = await vault.keyOf('alice@example.com');
    expect(key).not.toContain('alice');
    const raw = await store.scope('accounts:github').get(key);
    expect(raw).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(raw).not.toContain('gho_');
    expect(raw).not.toContain('alice');
  });

  it('does not open a grant copied to another user’s entry', async () => {
    const store = createMemoryStore();
    const vault = vaultOn(store, [KEY]);
    await vault.put('alice', GRANT);
    const raw = store.scope('accounts:github');
    await raw.set(await vault.keyOf('bob'), (await raw.get(await vault.keyOf('alice')))!, 60_000);
    await expect(vault.get('bob')).rejects.toBeInstanceOf(AccountsKeyError);
    expect(await vault.get('alice')).toEqual(GRANT);
  });

  it('opens with any key of the ring and seals with the first, so a key rotates in', async () => {
    const store = createMemoryStore();
    await vaultOn(store, [KEY]).put('alice', GRANT);
    const rotated = vaultOn(store, [NEXT, KEY]);
    expect(await rotated.get('alice')).toEqual(GRANT);
    await rotated.put('alice', { ...GRANT, accessToken: 'gho_new' });
    expect((await vaultOn(store, [NEXT]).get('alice'))?.accessToken).toBe('gho_new');
  });

  it('fails clearly, naming PLUGBOARD_ACCOUNTS_KEY, when no key of the ring opens a stored grant', async () => {
    const store = createMemoryStore();
    await vaultOn(store, [KEY]).put('alice', GRANT);
    await expect(vaultOn(store, [NEXT]).get('alice')).rejects.toThrow(
      /does not open with any key of PLUGBOARD_ACCOUNTS_KEY/,
    );
  });

  it('refuses a grant larger than it keeps, and stores nothing', async () => {
    const vault = vaultOn(createMemoryStore(), [KEY]);
    await expect(vault.put('alice', { accessToken: 'x'.repeat(10_000) })).rejects.toThrow(/larger/);
    expect(await vault.get('alice')).toBeUndefined();
  });
});
