/**
 * @module
 * The random values of the connect flow and what is derived from them: one-time ids and `state`
 * values (256 bits, base64url), PKCE (RFC 7636, S256 only), and the hashed subject that keys a
 * user's records in the store, so the store never holds a user's identity in the clear.
 */
import { createHash, randomBytes } from 'node:crypto';

/** 43 characters of base64url: 256 random bits. */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

/** What {@link randomToken} makes, and nothing longer: checked before anything is looked up. */
export function isToken(value: string | null | undefined): value is string {
  return typeof value === 'string' && /^[A-Za-z0-9_-]{43}$/.test(value);
}

/** The S256 code challenge of a PKCE verifier. */
export function pkceChallenge(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

/** The store's name for a user: a hash of the subject, never the subject itself. */
export function subjectKey(subject: string): string {
  return createHash('sha256').update(`plugboard accounts subject\0${subject}`).digest('base64url');
}
