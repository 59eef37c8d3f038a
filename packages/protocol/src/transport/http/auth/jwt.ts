/**
 * @module
 * JWT access tokens (RFC 9068) checked against the issuer's published keys. `jose` does the
 * cryptography; this module decides what is acceptable: asymmetric algorithms only (never
 * `none`, never HMAC, so a public key can never be used as a shared secret), the key's type
 * must fit the algorithm, `iss` exactly the issuer, `aud` this server's resource URI (RFC 8707),
 * `exp` and `nbf` within a small clock tolerance. The key set is cached; a token signed with a
 * key id the cache does not know makes it refetch once, and not more often than the cooldown.
 */
import { createRemoteJWKSet, errors, jwtVerify } from 'jose';
import { accessTokenOf, InvalidTokenError, type AccessToken } from './access-token.js';

/** Asymmetric signatures only: RSA, RSA-PSS, ECDSA, EdDSA. */
export const JWT_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
] as const;

export interface JwtVerifierOptions {
  issuer: string;
  jwksUri: string;
  clockToleranceSeconds: number;
  /** Key set kept this long before it is fetched again. */
  cacheMaxAgeMs?: number;
  /** Least time between two fetches of the key set (an unknown `kid` waits this long). */
  cooldownMs?: number;
}

export type JwtVerifier = (token: string, audience: string) => Promise<AccessToken>;

/** A sentence for the client, never the token or the library's internals. */
function reasonOf(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'The token has expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    switch (error.claim) {
      case 'iss':
        return 'The token was not issued by the issuer this server trusts';
      case 'aud':
        return 'The token is not for this server (audience)';
      case 'nbf':
        return 'The token is not valid yet';
      default:
        return `The token's ${error.claim} claim is not acceptable`;
    }
  }
  if (error instanceof errors.JOSEAlgNotAllowed)
    return 'The token is signed with an algorithm this server does not accept';
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys)
    return 'The token is signed with a key the issuer does not publish';
  if (error instanceof errors.JWSSignatureVerificationFailed)
    return 'The token signature is not valid';
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid)
    return 'The keys of the issuer could not be fetched';
  return 'The token is malformed';
}

export function createJwtVerifier(options: JwtVerifierOptions): JwtVerifier {
  const keys = createRemoteJWKSet(new URL(options.jwksUri), {
    cacheMaxAge: options.cacheMaxAgeMs ?? 10 * 60_000,
    cooldownDuration: options.cooldownMs ?? 30_000,
    timeoutDuration: 10_000,
  });
  return async (token, audience) => {
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        issuer: options.issuer,
        audience,
        algorithms: [...JWT_ALGORITHMS],
        clockTolerance: options.clockToleranceSeconds,
        requiredClaims: ['exp'],
      }));
    } catch (error) {
      throw new InvalidTokenError(reasonOf(error));
    }
    return accessTokenOf(payload);
  };
}
