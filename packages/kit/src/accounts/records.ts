/**
 * @module
 * {@link ConnectRecords}: the connect flow's one-time records in the shared store, sealed with
 * the accounts key ring, so that any instance can carry on a flow another began.
 *
 * - A **pending connect** is made when a tool needs an account the caller has not connected:
 *   a random id (the only thing the connect URL carries), the caller's subject and OAuth client,
 *   the provider, an expiry, and the PKCE verifier for the provider. It is used up once: by the
 *   callback that stores the grant, or by a refusal.
 * - A **state** is a random value sent to an authorization server and expected back once: the
 *   operator's (signing the browser in) or the provider's. It names its pending connect and the
 *   browser that started the flow (a cookie's hash), and a second use finds it claimed.
 * - An **outcome** tells the waiting tool call how the flow ended.
 *
 * Each user may have only so many connects pending at once: more are refused until they expire.
 */
import type { Store } from '@plugboard/protocol';
import { randomToken, subjectKey } from './secrets.js';

export interface PendingConnect {
  readonly id: string;
  readonly subject: string;
  /** The MCP client the caller used, when the token named one. */
  readonly clientId: string | undefined;
  readonly provider: string;
  /** Milliseconds since the epoch. */
  readonly expiresAt: number;
  /** PKCE verifier for the provider's code exchange. */
  readonly verifier: string;
}

/** Which authorization server a state was sent to. */
export type StateKind = 'signin' | 'upstream';

export interface ConnectState {
  readonly kind: StateKind;
  readonly pendingId: string;
  /** Hash of the cookie of the browser that opened the connect link. */
  readonly browser: string;
  /** Sign-in only: the OpenID Connect nonce and the PKCE verifier at the operator's server. */
  readonly nonce?: string;
  readonly verifier?: string;
}

export type ConnectOutcome =
  { readonly kind: 'connected' } | { readonly kind: 'refused'; readonly reason: string };

export interface RecordLimits {
  /** How long a pending connect, and every state of its flow, lives. */
  readonly ttlMs: number;
  /** Most connects one user may have pending at once. */
  readonly maxPending: number;
}

export const RECORD_DEFAULTS: RecordLimits = { ttlMs: 10 * 60_000, maxPending: 5 };

/** Too many connects pending for one user. */
export class TooManyConnects extends Error {
  override readonly name = 'TooManyConnects';
}

/** The stored JSON (sealed: only this server wrote it), or undefined. */
function parsed(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export class ConnectRecords {
  readonly #store: Store;
  readonly #provider: string;
  readonly #limits: RecordLimits;
  readonly #now: () => number;

  constructor(store: Store, provider: string, limits: RecordLimits, now: () => number) {
    this.#store = store;
    this.#provider = provider;
    this.#limits = limits;
    this.#now = now;
  }

  /** A new pending connect for `subject`; {@link TooManyConnects} past the per-user bound. */
  async begin(subject: string, clientId: string | undefined): Promise<PendingConnect> {
    const { ttlMs, maxPending } = this.#limits;
    const now = this.#now();
    const attempts = `attempts:${await subjectKey(subject)}`;
    const recent = (await this.#store.items(attempts)).filter((at) => Number(at) > now - ttlMs);
    if (recent.length >= maxPending)
      throw new TooManyConnects(
        `${maxPending} connects of this account are already pending; finish one of them, or try again in ${Math.ceil(ttlMs / 60_000)} minutes`,
      );
    await this.#store.append(attempts, String(now), { ttlMs, maxLength: maxPending });
    const pending: PendingConnect = {
      id: randomToken(),
      subject,
      clientId,
      provider: this.#provider,
      expiresAt: now + ttlMs,
      verifier: randomToken(),
    };
    await this.#store.set(`pending:${pending.id}`, JSON.stringify(pending), ttlMs);
    return pending;
  }

  /** The pending connect `id`, unless it expired or was used up. */
  async find(id: string): Promise<PendingConnect | undefined> {
    const pending = parsed(await this.#store.get(`pending:${id}`)) as PendingConnect | undefined;
    if (pending === undefined || pending.expiresAt <= this.#now()) return undefined;
    if ((await this.#store.get(`burnt:${id}`)) !== undefined) return undefined;
    return pending;
  }

  /** Uses `pending` up: true for the one caller that did (any instance), false for the rest. */
  async burn(pending: PendingConnect): Promise<boolean> {
    const used = await this.#store.add(`burnt:${pending.id}`, '1', this.#limits.ttlMs);
    if (used) await this.#store.delete(`pending:${pending.id}`);
    return used;
  }

  async issueState(state: ConnectState): Promise<string> {
    const value = randomToken();
    await this.#store.set(`state:${value}`, JSON.stringify(state), this.#limits.ttlMs);
    return value;
  }

  /** The state `value` of `kind`, the first time only: forged, replayed or expired is undefined. */
  async claimState(kind: StateKind, value: string): Promise<ConnectState | undefined> {
    const state = parsed(await this.#store.get(`state:${value}`)) as ConnectState | undefined;
    if (state?.kind !== kind) return undefined;
    if (!(await this.#store.add(`claimed:${value}`, '1', this.#limits.ttlMs))) return undefined;
    await this.#store.delete(`state:${value}`);
    return state;
  }

  async settle(id: string, outcome: ConnectOutcome): Promise<void> {
    await this.#store.set(`outcome:${id}`, JSON.stringify(outcome), this.#limits.ttlMs);
  }

  async outcome(id: string): Promise<ConnectOutcome | undefined> {
    return parsed(await this.#store.get(`outcome:${id}`)) as ConnectOutcome | undefined;
  }
}
