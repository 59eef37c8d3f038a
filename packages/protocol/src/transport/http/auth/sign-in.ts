/**
 * @module
 * The operator's sign-in settings (MCP authorization, revision 2025-11-25): the authorization
 * server that issues tokens for this server, the canonical resource URI those tokens must name
 * as their audience (RFC 8707), the scopes, and optionally RFC 7662 introspection for opaque
 * tokens. Resolved once, with every URL checked, so a bad setting fails at start-up.
 */

export interface IntrospectionOptions {
  /** The RFC 7662 endpoint; taken from the issuer's metadata when absent. */
  endpoint?: string;
  /** This server's own client credentials at the authorization server (`client_secret_basic`). */
  clientId: string;
  clientSecret: string;
}

export interface SignInOptions {
  /** The authorization server's issuer identifier, e.g. `https://auth.example.com`. */
  issuer: string;
  /**
   * This server's canonical resource URI, e.g. `https://mcp.example.com/mcp`: tokens must carry
   * it in `aud`. Defaults to the public URL (or the Host) followed by `/mcp`.
   */
  resource?: string;
  /** Scopes every request needs (403 `insufficient_scope` otherwise). */
  requiredScopes?: readonly string[];
  /**
   * The scope that allows the tools that change anything, e.g. `mcp:write`. A token without it
   * is shown the read-only tools alone (the server's `exposure`), and a call to another tool is
   * answered 403 `insufficient_scope` naming it. Without this, every token may call every tool.
   */
  writeScope?: string;
  /**
   * Scopes published in the metadata as `scopes_supported` (defaults to the required ones and
   * the write scope).
   */
  scopesSupported?: readonly string[];
  /** Opaque tokens are checked here; JWTs still go against the issuer's keys. */
  introspection?: IntrospectionOptions;
  /** Allowed clock difference for `exp` and `nbf`, seconds (default 30). */
  clockToleranceSeconds?: number;
}

export interface ResolvedSignIn {
  issuer: string;
  resource: string | undefined;
  requiredScopes: readonly string[];
  writeScope: string | undefined;
  scopesSupported: readonly string[];
  introspection: IntrospectionOptions | undefined;
  clockToleranceSeconds: number;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * `value` as an https URL (http only on a loopback host), or an error naming `what`. Tokens and
 * keys from anywhere else could be read or replaced on the way.
 */
export function secureUrl(value: string, what: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`${what} is not a URL: "${value.slice(0, 200)}"`);
  }
  if (url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname)))
    return url;
  throw new Error(`${what} must be an https URL (http only on loopback), got "${url.origin}"`);
}

export function resolveSignIn(options: SignInOptions): ResolvedSignIn {
  secureUrl(options.issuer, 'The issuer URL');
  let resource: string | undefined;
  if (options.resource !== undefined) {
    const url = secureUrl(options.resource, 'The resource URI');
    if (url.hash !== '') throw new Error('The resource URI must not have a fragment (RFC 8707)');
    resource = options.resource;
  }
  if (options.introspection?.endpoint !== undefined)
    secureUrl(options.introspection.endpoint, 'The introspection endpoint');
  const requiredScopes = options.requiredScopes ?? [];
  const { writeScope } = options;
  if (writeScope !== undefined && !/^[\x21\x23-\x5b\x5d-\x7e]+$/.test(writeScope))
    throw new Error(`The write scope is not a scope token (RFC 6749 section 3.3): "${writeScope}"`);
  const named = writeScope === undefined ? requiredScopes : [...requiredScopes, writeScope];
  return {
    issuer: options.issuer,
    resource,
    requiredScopes,
    writeScope,
    scopesSupported: options.scopesSupported ?? [...new Set(named)],
    introspection: options.introspection,
    clockToleranceSeconds: options.clockToleranceSeconds ?? 30,
  };
}
