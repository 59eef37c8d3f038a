/**
 * @module
 * {@link GrantVault}: each user's grant at one provider, in the shared store, encrypted at rest.
 * The operator's `PLUGBOARD_ACCOUNTS_KEY` ring seals it (AES-256-GCM, the protocol's
 * `sealStore`: the first key seals, every key opens, so a key can be rotated in). The entry's
 * key is the provider and the hashed subject, and the whole key is the associated data, so a
 * grant copied to another user's entry, or another provider's, does not open there; the opened
 * grant must also name the same subject. A grant that exists but opens with no key of the ring
 * is an {@link AccountsKeyError}, not an absent grant: a wrong key must not look like a user
 * who never connected.
 */
import type { Store } from '@plugboard/protocol';
import { AccountsKeyError } from './errors.js';
import { subjectKey } from './secrets.js';
import type { UpstreamGrant } from './types.js';

/** Most characters of a stored grant's strings: tokens of every provider known fit. */
const MAX_FIELD = 8192;

function grantOf(text: string, subject: string): UpstreamGrant | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { sub, grant } = value as { sub?: unknown; grant?: UpstreamGrant };
  if (sub !== subject || typeof grant?.accessToken !== 'string') return undefined;
  return grant;
}

export class GrantVault {
  readonly #sealed: Store;
  readonly #raw: Store;
  readonly #provider: string;
  readonly #ttlMs: number;

  /**
   * `sealed` and `raw` are the same part of the store, through the accounts key ring and
   * without it (to tell a wrong key from no grant).
   */
  constructor(sealed: Store, raw: Store, provider: string, ttlMs: number) {
    this.#sealed = sealed;
    this.#raw = raw;
    this.#provider = provider;
    this.#ttlMs = ttlMs;
  }

  /** The entry's key: the provider and the hashed subject, never the subject. */
  async keyOf(subject: string): Promise<string> {
    return `grant:${await subjectKey(subject)}`;
  }

  async get(subject: string): Promise<UpstreamGrant | undefined> {
    const key = await this.keyOf(subject);
    const text = await this.#sealed.get(key);
    if (text !== undefined) return grantOf(text, subject);
    if ((await this.#raw.get(key)) === undefined) return undefined;
    throw new AccountsKeyError(
      `The stored ${this.#provider} grant does not open with any key of PLUGBOARD_ACCOUNTS_KEY: the operator's key differs from the one it was sealed with`,
    );
  }

  async put(subject: string, grant: UpstreamGrant): Promise<void> {
    for (const value of Object.values(grant))
      if (typeof value === 'string' && value.length > MAX_FIELD)
        throw new Error(`The ${this.#provider} grant is larger than this server keeps`);
    await this.#sealed.set(
      await this.keyOf(subject),
      JSON.stringify({ sub: subject, grant }),
      this.#ttlMs,
    );
  }

  async delete(subject: string): Promise<void> {
    return this.#sealed.delete(await this.keyOf(subject));
  }
}
