/**
 * @module
 * Origin patterns for the operator's `--allow-origin` and `--block-origin` lists:
 * `https://example.com`, `http://localhost:3000`, `example.com` (any scheme and port),
 * `*.example.com` (the domain and its subdomains), `https://*.example.com:8443`. Hosts are
 * canonicalised by the WHATWG URL parser and then by {@link canonicalHost}, so `http://0x7f000001`,
 * `http://[::ffff:127.0.0.1]` and `http://127.0.0.1` are one pattern, as are `localhost.` and
 * `localhost`. WebSocket schemes count as their HTTP twins (`ws:` as `http:`, `wss:` as `https:`).
 * This matches names only; the URL policy also compares the addresses they resolve to.
 */
import { canonicalAddress } from './addresses.js';

export interface OriginPattern {
  /** As the operator wrote it, for messages. */
  readonly text: string;
  /** `http:` or `https:`; undefined matches both. */
  readonly scheme: string | undefined;
  /** Canonical host (IPv6 in brackets), without the `*.` of a wildcard. */
  readonly host: string;
  /** True for `*.host`: the host itself and every subdomain. */
  readonly wildcard: boolean;
  /** Explicit or the scheme's default; undefined matches any port. */
  readonly port: number | undefined;
}

/** Where a request goes. `scheme` is unknown for CONNECT tunnels, which show only host and port. */
export interface Destination {
  readonly scheme: string | undefined;
  readonly host: string;
  readonly port: number;
}

const DEFAULT_PORTS: Readonly<Record<string, number>> = { 'http:': 80, 'https:': 443 };

/** `ws:` and `wss:` reach the same servers as `http:` and `https:`. */
export function httpScheme(scheme: string): string {
  if (scheme === 'ws:') return 'http:';
  if (scheme === 'wss:') return 'https:';
  return scheme;
}

/** The port a URL really uses: explicit, or its scheme's default. */
export function effectivePort(url: URL): number {
  if (url.port !== '') return Number(url.port);
  return DEFAULT_PORTS[httpScheme(url.protocol)] ?? 0;
}

/**
 * One spelling per host: lower case, without the trailing dot of a fully qualified name, and an
 * IP literal in its canonical form (IPv6 in brackets, IPv4-mapped IPv6 as IPv4).
 */
export function canonicalHost(host: string): string {
  const name = host.toLowerCase().replace(/\.+$/, '');
  const address = canonicalAddress(name);
  if (address === undefined) return name;
  return address.includes(':') ? `[${address}]` : address;
}

/** Parses one pattern; throws an Error whose message says what is wrong with it. */
export function parseOriginPattern(text: string): OriginPattern {
  const trimmed = text.trim();
  const schemeMatch = /^([a-z][a-z0-9+.-]*):\/\//i.exec(trimmed);
  const scheme = schemeMatch === null ? undefined : httpScheme(`${schemeMatch[1]!.toLowerCase()}:`);
  if (scheme !== undefined && DEFAULT_PORTS[scheme] === undefined) {
    throw new Error(`"${text}": only http, https, ws and wss origins can be listed`);
  }
  let rest = schemeMatch === null ? trimmed : trimmed.slice(schemeMatch[0].length);
  if (rest.endsWith('/')) rest = rest.slice(0, -1);
  const wildcard = rest.startsWith('*.');
  if (wildcard) rest = rest.slice(2);
  if (rest === '' || /[/?#@*\s]/.test(rest)) {
    throw new Error(
      `"${text}" is not an origin; write scheme://host[:port], host, or *.domain (no path)`,
    );
  }
  let url: URL;
  try {
    url = new URL(`${scheme ?? 'http:'}//${rest}`);
  } catch {
    throw new Error(`"${text}" is not an origin; write scheme://host[:port], host, or *.domain`);
  }
  const port =
    url.port !== '' ? Number(url.port) : scheme === undefined ? undefined : DEFAULT_PORTS[scheme];
  return { text: trimmed, scheme, host: canonicalHost(url.hostname), wildcard, port };
}

/** True when `destination`'s scheme and port fall under `pattern` (whatever its host). */
export function matchesSchemeAndPort(pattern: OriginPattern, destination: Destination): boolean {
  const scheme = destination.scheme === undefined ? undefined : httpScheme(destination.scheme);
  if (pattern.scheme !== undefined && scheme !== undefined && pattern.scheme !== scheme)
    return false;
  return pattern.port === undefined || pattern.port === destination.port;
}

/** True when `destination`, by name, falls under `pattern`. */
export function matchesOrigin(pattern: OriginPattern, destination: Destination): boolean {
  if (!matchesSchemeAndPort(pattern, destination)) return false;
  const host = canonicalHost(destination.host);
  if (host === pattern.host) return true;
  return pattern.wildcard && host.endsWith(`.${pattern.host}`);
}
