/**
 * @module
 * What a verified access token tells the server: who the user is, which scopes were granted and
 * the claims as they came, whichever way the token was checked (a JWT against the issuer's keys
 * or RFC 7662 introspection). {@link InvalidTokenError} is the one failure both checks throw; its
 * message is safe to show (it never holds the token).
 */
import type { GuardFailure } from '../answer.js';
import type { Incoming } from '../incoming.js';
import type { AccessToken, RequestAuth } from '../../../mcp/auth.js';

export type { AccessToken, RequestAuth } from '../../../mcp/auth.js';

export type Authentication = { ok: true; auth: RequestAuth } | { ok: false; failure: GuardFailure };

/** Sign-in for one request (`auth/authenticate.ts`, loaded only when sign-in is configured). */
export type Authenticator = (request: Incoming) => Promise<Authentication>;

/** The token is missing, malformed, expired, not for this server or not from its issuer: 401. */
export class InvalidTokenError extends Error {
  override readonly name = 'InvalidTokenError';
}

function stringClaim(claims: Readonly<Record<string, unknown>>, name: string): string | undefined {
  const value = claims[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Scopes from `scope` (a space-separated string, RFC 9068 and RFC 7662) or `scp` (a list). */
export function scopesOf(claims: Readonly<Record<string, unknown>>): string[] {
  const { scope, scp } = claims;
  if (typeof scope === 'string') return scope.split(' ').filter((item) => item !== '');
  if (Array.isArray(scp)) return scp.filter((item): item is string => typeof item === 'string');
  if (typeof scp === 'string') return scp.split(' ').filter((item) => item !== '');
  return [];
}

/**
 * The {@link AccessToken} for checked claims. A client-credentials token may name no user: its
 * client is then its subject (as RFC 9068 has it for JWTs); a token naming neither is refused.
 */
export function accessTokenOf(claims: Readonly<Record<string, unknown>>): AccessToken {
  const subject = stringClaim(claims, 'sub') ?? stringClaim(claims, 'client_id');
  if (subject === undefined) throw new InvalidTokenError('The token names no subject (sub)');
  const expiresAt = claims.exp;
  return {
    subject,
    displayName:
      stringClaim(claims, 'name') ??
      stringClaim(claims, 'preferred_username') ??
      stringClaim(claims, 'email') ??
      stringClaim(claims, 'username'),
    scopes: scopesOf(claims),
    clientId: stringClaim(claims, 'client_id') ?? stringClaim(claims, 'azp'),
    expiresAt: typeof expiresAt === 'number' ? expiresAt : undefined,
    claims,
  };
}
