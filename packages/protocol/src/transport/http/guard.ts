/**
 * @module
 * The checks every MCP request passes before its body is read or its session looked up: Host and
 * Origin against DNS rebinding (parsed with WHATWG URL and compared exactly, never by prefix),
 * and the bearer token (compared in constant time, never accepted from the query string).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { GuardFailure } from './answer.js';
import { challenge } from './auth/metadata.js';
import type { Incoming } from './incoming.js';
import type { ResolvedHttpOptions } from './options.js';

export type { GuardFailure } from './answer.js';

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

function hostnameOf(authority: string): string | undefined {
  try {
    const url = new URL(`http://${authority}`);
    // Anything beyond host[:port] (userinfo, path) means the header was not a plain authority.
    if (
      url.username !== '' ||
      url.password !== '' ||
      url.pathname !== '/' ||
      url.host !== authority.toLowerCase()
    )
      return undefined;
    return url.hostname;
  } catch {
    return undefined;
  }
}

/** Headers that must come once: two of them may be read differently by a proxy and by us. */
const SINGLE_HEADERS = new Set(['host', 'authorization']);

/**
 * A request that repeats Host or Authorization is refused (400) before either is read. Only the
 * raw header list shows a repeat (`Headers` joins them), so the socket adapter asks this.
 */
export function checkRepeatedHeaders(rawHeaders: readonly string[]): GuardFailure | undefined {
  const seen = new Set<string>();
  const names = rawHeaders;
  for (let index = 0; index < names.length; index += 2) {
    const name = names[index]!.toLowerCase();
    if (!SINGLE_HEADERS.has(name)) continue;
    if (seen.has(name))
      return {
        status: 400,
        message: `More than one ${name === 'host' ? 'Host' : 'Authorization'} header`,
      };
    seen.add(name);
  }
  return undefined;
}

/** Host must name this server: a loopback name, or one the operator allowed. */
export function checkHost(
  request: Incoming,
  options: ResolvedHttpOptions,
): GuardFailure | undefined {
  const header = request.header('host');
  if (header === undefined) return { status: 400, message: 'Missing Host header' };
  const hostname = hostnameOf(header.trim());
  if (hostname === undefined) return { status: 403, message: 'Host header is not a valid host' };
  if (
    LOOPBACK_NAMES.has(hostname) ||
    options.allowedHosts.has(hostname) ||
    options.allowedHosts.has(header.toLowerCase())
  )
    return undefined;
  return { status: 403, message: `Host "${hostname.slice(0, 100)}" is not allowed` };
}

/** A browser Origin must be loopback or allowed; requests without one (CLI clients) pass. */
export function checkOrigin(
  request: Incoming,
  options: ResolvedHttpOptions,
): GuardFailure | undefined {
  const origin = request.header('origin');
  if (origin === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return { status: 403, message: 'Origin is not allowed' };
  }
  if (url.origin === 'null' || (url.protocol !== 'http:' && url.protocol !== 'https:'))
    return { status: 403, message: 'Origin is not allowed' };
  if (LOOPBACK_NAMES.has(url.hostname) || options.allowedOrigins.has(url.origin.toLowerCase()))
    return undefined;
  return { status: 403, message: `Origin "${url.origin.slice(0, 100)}" is not allowed` };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

export function checkAuth(
  request: Incoming,
  options: ResolvedHttpOptions,
): GuardFailure | undefined {
  const expected = options.authToken;
  if (expected === undefined) return undefined;
  const required = { 'WWW-Authenticate': challenge(request, options, {}) };
  if (/[?&]access_token=/i.test(request.url)) {
    return {
      status: 400,
      message: 'Tokens in the query string are refused; send Authorization: Bearer',
      headers: required,
    };
  }
  const header = request.header('authorization');
  const match = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (match === null) return { status: 401, message: 'Authorization required', headers: required };
  // Hashing first makes the comparison constant-time whatever the lengths.
  if (!timingSafeEqual(digest(match[1]!), digest(expected))) {
    return {
      status: 401,
      message: 'Invalid token',
      headers: {
        'WWW-Authenticate': challenge(request, options, { error: 'invalid_token' }),
      },
    };
  }
  return undefined;
}
