/**
 * @module
 * The random values of the connect flow and what is derived from them: one-time ids and `state`
 * values (256 bits, base64url), PKCE (RFC 7636, S256 only), and the hashed subject that keys a
 * user's records in the store, so the store never holds a user's identity in the clear.
 */
// The global Web Crypto, not `node:crypto`: a server that never serves a signed-in user never
// loads it, and these modules share a chunk with what start-up does load.
const encoder = new TextEncoder();

async function sha256(text: string): Promise<string> {
  return Buffer.from(await crypto.subtle.digest('SHA-256', encoder.encode(text))).toString(
    'base64url',
  );
}

/** 43 characters of base64url: 256 random bits. */
export function randomToken(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url');
}

/** What {@link randomToken} makes, and nothing longer: checked before anything is looked up. */
export function isToken(value: string | null | undefined): value is string {
  return typeof value === 'string' && /^[A-Za-z0-9_-]{43}$/.test(value);
}

/** The S256 code challenge of a PKCE verifier. */
export function pkceChallenge(verifier: string): Promise<string> {
  return sha256(verifier);
}

/** The store's name for a user: a hash of the subject, never the subject itself. */
export function subjectKey(subject: string): Promise<string> {
  return sha256(`plugboard accounts subject\0${subject}`);
}
