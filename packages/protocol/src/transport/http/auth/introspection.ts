/**
 * @module
 * Opaque access tokens checked by RFC 7662 token introspection, with this server's own client
 * credentials. Answers for active tokens are kept a short while (never past the token's `exp`) in
 * a bounded cache keyed by the token's SHA-256, so the token itself is never held as a key. An
 * active answer must still name this server as audience and the configured issuer, when it names one.
 */
import { createHash } from 'node:crypto';
import { accessTokenOf, InvalidTokenError, type AccessToken } from './access-token.js';

export interface IntrospectorOptions {
  endpoint: string;
  issuer: string;
  clientId: string;
  clientSecret: string;
  clockToleranceSeconds: number;
  /** Longest an answer is reused (default 60 s). */
  cacheTtlMs?: number;
  /** Most answers kept (default 1000). */
  cacheEntries?: number;
  fetch?: typeof fetch;
  now?: () => number;
}

export type Introspector = (token: string, audience: string) => Promise<AccessToken>;

interface CacheEntry {
  claims: Record<string, unknown>;
  until: number;
}

/** `client_secret_basic` (RFC 6749 section 2.3.1): each part form-encoded, then base64. */
function basicAuth(clientId: string, clientSecret: string): string {
  const encode = (value: string): string => encodeURIComponent(value).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${encode(clientId)}:${encode(clientSecret)}`).toString('base64')}`;
}

function audiences(claims: Record<string, unknown>): string[] {
  const { aud } = claims;
  if (typeof aud === 'string') return [aud];
  return Array.isArray(aud) ? aud.filter((item): item is string => typeof item === 'string') : [];
}

export function createIntrospector(options: IntrospectorOptions): Introspector {
  const fetcher = options.fetch ?? fetch;
  const now = options.now ?? Date.now;
  const ttl = options.cacheTtlMs ?? 60_000;
  const limit = options.cacheEntries ?? 1000;
  const cache = new Map<string, CacheEntry>();
  const authorization = basicAuth(options.clientId, options.clientSecret);

  async function introspect(token: string): Promise<Record<string, unknown>> {
    let response: Response;
    try {
      response = await fetcher(options.endpoint, {
        method: 'POST',
        headers: {
          Authorization: authorization,
          'Content-Type': 'application/x-www-form-urlencoded',
          Accept: 'application/json',
        },
        body: new URLSearchParams({ token, token_type_hint: 'access_token' }).toString(),
        redirect: 'error',
        signal: AbortSignal.timeout(10_000),
      });
    } catch {
      throw new InvalidTokenError('The authorization server could not be asked about the token');
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new InvalidTokenError(
        `The authorization server refused to introspect the token (HTTP ${response.status})`,
      );
    }
    const body: unknown = await response.json().catch(() => undefined);
    if (typeof body !== 'object' || body === null)
      throw new InvalidTokenError('The introspection answer is not a JSON object');
    return body as Record<string, unknown>;
  }

  function check(claims: Record<string, unknown>, audience: string): AccessToken {
    if (claims.active !== true) throw new InvalidTokenError('The token is not active');
    const seconds = now() / 1000;
    const tolerance = options.clockToleranceSeconds;
    if (typeof claims.exp === 'number' && claims.exp + tolerance <= seconds)
      throw new InvalidTokenError('The token has expired');
    if (typeof claims.nbf === 'number' && claims.nbf - tolerance > seconds)
      throw new InvalidTokenError('The token is not valid yet');
    if (claims.iss !== undefined && claims.iss !== options.issuer)
      throw new InvalidTokenError('The token was not issued by the issuer this server trusts');
    if (!audiences(claims).includes(audience))
      throw new InvalidTokenError('The token is not for this server (audience)');
    return accessTokenOf(claims);
  }

  return async (token, audience) => {
    const key = createHash('sha256').update(token).digest('base64url');
    const cached = cache.get(key);
    if (cached !== undefined && cached.until > now()) return check(cached.claims, audience);
    cache.delete(key);
    const claims = await introspect(token);
    const verified = check(claims, audience);
    const expiry = typeof claims.exp === 'number' ? claims.exp * 1000 : Number.POSITIVE_INFINITY;
    cache.set(key, { claims, until: Math.min(now() + ttl, expiry) });
    // Oldest first: a Map iterates in insertion order.
    while (cache.size > limit) cache.delete(cache.keys().next().value!);
    return verified;
  };
}
