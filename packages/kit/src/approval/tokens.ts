/**
 * @module
 * {@link ApprovalTokens}: the one-time tokens that tie a person's answer to one call. A token
 * names how it was asked, a random nonce, its expiry and a digest of the tool and its exact
 * arguments, sealed with HMAC-SHA-256 under a key that never leaves the process. It is the key
 * of the question in a 2026-07-28 retry and the path of the approval page, so an answer is
 * honoured only for a token this server issued, for the same arguments, before it expires, once.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { canonicalJson } from '@plugboard/protocol';
import type { ApprovalRefusal } from './outcome.js';

export type ApprovalMode = 'form' | 'url';

/** A token that failed its check: why, in words for the model and as a code for the record. */
export class TokenRefused extends Error {
  override readonly name = 'TokenRefused';
  readonly reason: ApprovalRefusal;

  constructor(reason: ApprovalRefusal, message: string) {
    super(message);
    this.reason = reason;
  }
}

/** The digest a token is bound to: the tool, its arguments (however their keys are ordered) and the caller. */
export function callDigest(tool: string, args: unknown, caller: string | null = null): string {
  return createHash('sha256').update(canonicalJson({ tool, args, caller })).digest('base64url');
}

interface Parsed {
  readonly nonce: string;
  readonly expires: number;
}

export class ApprovalTokens {
  readonly #key = randomBytes(32);
  /** Nonces already used, with their expiry: kept until a replay would be refused as expired. */
  readonly #used = new Map<string, number>();
  readonly #ttlMs: number;
  readonly #now: () => number;

  constructor(ttlMs: number, now: () => number) {
    this.#ttlMs = ttlMs;
    this.#now = now;
  }

  #mac(body: string): string {
    return createHmac('sha256', this.#key).update(body).digest('base64url');
  }

  /** A new token for one call, valid for the configured time. */
  issue(mode: ApprovalMode, digest: string): string {
    const nonce = randomBytes(12).toString('base64url');
    const body = `${mode}.${nonce}.${(this.#now() + this.#ttlMs).toString(36)}.${digest}`;
    return `${body}.${this.#mac(body)}`;
  }

  /** When `token` expires, ms since the epoch; call only after {@link check}. */
  expiry(token: string): number {
    return parseInt(token.split('.')[2] ?? '0', 36);
  }

  /** Throws {@link TokenRefused} unless `token` was issued here for this call and is still good. */
  check(token: string, mode: ApprovalMode, digest: string): void {
    this.#parse(token, mode, digest);
  }

  /** Checks `token` and uses it up: a second use is refused as a replay. */
  consume(token: string, mode: ApprovalMode, digest: string): void {
    const { nonce, expires } = this.#parse(token, mode, digest);
    const now = this.#now();
    for (const [used, until] of this.#used) if (until < now) this.#used.delete(used);
    this.#used.set(nonce, expires);
  }

  #parse(token: string, mode: ApprovalMode, digest: string): Parsed {
    const parts = token.split('.');
    const [kind, nonce, expiry, bound, mac] = parts;
    const expected = this.#mac(parts.slice(0, 4).join('.'));
    if (
      parts.length !== 5 ||
      kind !== mode ||
      nonce === undefined ||
      expiry === undefined ||
      mac === undefined ||
      mac.length !== expected.length ||
      !timingSafeEqual(Buffer.from(mac), Buffer.from(expected))
    )
      throw new TokenRefused('forged', 'the approval it carries is not one this server asked for');
    if (bound !== digest)
      throw new TokenRefused(
        'altered',
        'the approval it carries was given for other arguments than these',
      );
    const expires = parseInt(expiry, 36);
    if (!(expires >= this.#now())) throw new TokenRefused('expired', 'the approval has expired');
    if (this.#used.has(nonce))
      throw new TokenRefused('replayed', 'the approval it carries was already used');
    return { nonce, expires };
  }
}
