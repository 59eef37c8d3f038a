/**
 * @module
 * The authorization server's metadata, found the way MCP clients find it (revision 2025-11-25):
 * RFC 8414 (`/.well-known/oauth-authorization-server`, inserted before the issuer's path), then
 * OpenID Connect discovery (both placements). The answer must name the configured issuer exactly
 * (RFC 8414 section 3.3), or a server could be pointed at another issuer's keys.
 */
import { secureUrl } from './sign-in.js';

export interface IssuerMetadata {
  issuer: string;
  jwksUri: string | undefined;
  introspectionEndpoint: string | undefined;
  /** Where a browser signs in (OpenID Connect relying parties, such as the connect flow). */
  authorizationEndpoint: string | undefined;
  tokenEndpoint: string | undefined;
}

const DISCOVERY_TIMEOUT_MS = 10_000;

/** Where to look, in the order the spec gives. */
export function discoveryUrls(issuer: string): string[] {
  const url = new URL(issuer);
  const path = url.pathname.replace(/\/+$/, '');
  const origin = url.origin;
  if (path === '')
    return [
      `${origin}/.well-known/oauth-authorization-server`,
      `${origin}/.well-known/openid-configuration`,
    ];
  return [
    `${origin}/.well-known/oauth-authorization-server${path}`,
    `${origin}/.well-known/openid-configuration${path}`,
    `${origin}${path}/.well-known/openid-configuration`,
  ];
}

async function fetchJson(url: string, fetcher: typeof fetch): Promise<unknown> {
  const response = await fetcher(url, {
    headers: { Accept: 'application/json' },
    redirect: 'error',
    signal: AbortSignal.timeout(DISCOVERY_TIMEOUT_MS),
  });
  if (!response.ok) {
    await response.body?.cancel();
    return undefined;
  }
  const document: unknown = await response.json();
  return document;
}

function optionalUrl(document: Record<string, unknown>, key: string): string | undefined {
  const value = document[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new Error(`The issuer's ${key} is not a string`);
  return secureUrl(value, `The issuer's ${key}`).href;
}

/** Fetches and checks the issuer's metadata; throws with a sentence for the operator. */
export async function discoverIssuer(
  issuer: string,
  fetcher: typeof fetch = fetch,
): Promise<IssuerMetadata> {
  for (const url of discoveryUrls(issuer)) {
    let document: unknown;
    try {
      document = await fetchJson(url, fetcher);
    } catch {
      continue;
    }
    if (typeof document !== 'object' || document === null) continue;
    const fields = document as Record<string, unknown>;
    if (fields.issuer !== issuer)
      throw new Error(
        `The metadata at ${url} names issuer "${String(fields.issuer).slice(0, 200)}", not "${issuer}"`,
      );
    return {
      issuer,
      jwksUri: optionalUrl(fields, 'jwks_uri'),
      introspectionEndpoint: optionalUrl(fields, 'introspection_endpoint'),
      authorizationEndpoint: optionalUrl(fields, 'authorization_endpoint'),
      tokenEndpoint: optionalUrl(fields, 'token_endpoint'),
    };
  }
  throw new Error(`No authorization server metadata found for issuer ${issuer}`);
}
