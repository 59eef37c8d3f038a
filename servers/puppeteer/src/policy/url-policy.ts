/**
 * @module
 * The URL policy: which URLs the browser may load, judged by scheme, by the operator's origin
 * lists, and by the address every hostname resolves to. The same decision serves the navigation
 * tools (a clear refusal before anything loads), request interception (subresources, frames,
 * redirects) and the egress proxy (every connection Chromium makes, WebSockets and workers
 * included, to the very address that was checked).
 */
import { AddressClass, canonicalAddress, classifyAddress, sameHostAddress } from './addresses.js';
import {
  canonicalHost,
  effectivePort,
  matchesOrigin,
  matchesSchemeAndPort,
  type Destination,
  type OriginPattern,
} from './origin-pattern.js';

/** The operator's choices; nothing from a client or a page changes them. */
export interface UrlPolicyConfig {
  /** Origins opened even when their address is in a blocked range (never metadata). */
  readonly allowOrigins: readonly OriginPattern[];
  /** Origins never loaded; beats every other rule. */
  readonly blockOrigins: readonly OriginPattern[];
  /** When true, nothing outside `allowOrigins` loads. */
  readonly onlyAllowedOrigins: boolean;
  /** Opens private (RFC 1918, CGNAT, ULA) and link-local addresses. */
  readonly allowPrivateNetwork: boolean;
  /** Closes loopback, which is open by default for local development. */
  readonly blockLoopback: boolean;
}

/** Resolves a hostname to every address it has (A and AAAA). */
export type Resolve = (hostname: string) => Promise<string[]>;

export type Decision =
  | { readonly allowed: true; readonly addresses: readonly string[] }
  | {
      readonly allowed: false;
      /** What was refused and why, for the model and the logs. */
      readonly reason: string;
      /** What the operator could change, when anything could. */
      readonly hint?: string;
      /** `dns` when the host does not resolve (not a policy refusal). */
      readonly kind: 'policy' | 'dns';
    };

export interface CheckOptions {
  /** Navigations (top level and frames) may not use data: or blob: URLs. */
  readonly navigation: boolean;
  /** Reuse recent DNS answers (interception); the proxy always resolves afresh. */
  readonly cached?: boolean;
}

export interface UrlPolicy {
  readonly config: UrlPolicyConfig;
  /** Judges a full URL: scheme, origin lists, resolved addresses. */
  checkUrl(url: string, options: CheckOptions): Promise<Decision>;
  /** Judges a destination and returns the checked addresses to connect to. */
  checkDestination(destination: Destination, options?: { cached?: boolean }): Promise<Decision>;
}

/** Hostnames of cloud metadata services, refused before any lookup. */
const METADATA_HOSTS = new Set([
  'metadata',
  'metadata.google.internal',
  'metadata.goog',
  'instance-data',
  'instance-data.ec2.internal',
  'metadata.azure.com',
  'metadata.tencentyun.com',
]);

const LOOPBACK_NAMES = /^(localhost|.+\.localhost)$/;
const DNS_CACHE_MS = 5000;

function refuse(reason: string, hint?: string): Decision {
  return hint === undefined
    ? { allowed: false, reason, kind: 'policy' }
    : { allowed: false, reason, hint, kind: 'policy' };
}

/** Whether the configuration lets the browser reach an address of this class. */
function classAllowed(config: UrlPolicyConfig, kind: AddressClass): boolean {
  switch (kind) {
    case AddressClass.Public:
      return true;
    case AddressClass.Loopback:
      return !config.blockLoopback;
    case AddressClass.Private:
    case AddressClass.LinkLocal:
      return config.allowPrivateNetwork;
    case AddressClass.Metadata:
    case AddressClass.Unspecified:
    case AddressClass.Multicast:
    case AddressClass.Reserved:
      return false;
  }
}

function classHint(kind: AddressClass, origin: string): string | undefined {
  switch (kind) {
    case AddressClass.Loopback:
      return `the server runs with --block-loopback; the operator can open this origin with --allow-origin ${origin}`;
    case AddressClass.Private:
    case AddressClass.LinkLocal:
      return `the operator can open it with --allow-origin ${origin}, or the whole private network with --allow-private-network`;
    case AddressClass.Metadata:
      return 'cloud metadata endpoints are never reachable from this browser';
    case AddressClass.Public:
    case AddressClass.Unspecified:
    case AddressClass.Multicast:
    case AddressClass.Reserved:
      return `the operator can open it with --allow-origin ${origin}`;
  }
}

function originText(destination: Destination): string {
  const scheme = destination.scheme ?? 'http:';
  return `${scheme}//${destination.host}:${destination.port}`;
}

export function createUrlPolicy(config: UrlPolicyConfig, resolve: Resolve): UrlPolicy {
  const cache = new Map<string, { at: number; answer: Promise<string[]> }>();

  const lookup = (host: string, cached: boolean): Promise<string[]> => {
    if (!cached) return resolve(host);
    const now = Date.now();
    const hit = cache.get(host);
    if (hit !== undefined && now - hit.at < DNS_CACHE_MS) return hit.answer;
    const answer = resolve(host);
    if (cache.size > 500) cache.clear();
    cache.set(host, { at: now, answer });
    answer.catch(() => cache.delete(host));
    return answer;
  };

  /** The addresses a host stands for: itself when a literal, loopback for `*.localhost`, else DNS. */
  const addressesOf = async (host: string, cached: boolean): Promise<string[]> => {
    const literal = canonicalAddress(host);
    if (literal !== undefined) return [literal];
    if (LOOPBACK_NAMES.test(host)) return ['127.0.0.1'];
    try {
      return await lookup(host, cached);
    } catch {
      return [];
    }
  };

  /**
   * The blocked origin that reaches the same service as `destination` under another name: the
   * same scheme and port, and a non-public address the pattern's host also resolves to (any
   * loopback address counts as the same host). Public addresses are left to the name match:
   * many unrelated sites share one public address.
   */
  const blockedByAddress = async (
    destination: Destination,
    addresses: readonly string[],
  ): Promise<OriginPattern | undefined> => {
    for (const pattern of config.blockOrigins) {
      if (!matchesSchemeAndPort(pattern, destination)) continue;
      const blockedAddresses = (await addressesOf(pattern.host, true)).filter(
        (address) => classifyAddress(address) !== AddressClass.Public,
      );
      if (addresses.some((address) => blockedAddresses.some((b) => sameHostAddress(address, b))))
        return pattern;
    }
    return undefined;
  };

  const checkDestination: UrlPolicy['checkDestination'] = async (destination, options = {}) => {
    const host = canonicalHost(destination.host);
    const origin = originText(destination);
    const blocked = config.blockOrigins.find((pattern) => matchesOrigin(pattern, destination));
    if (blocked !== undefined)
      return refuse(`${origin} is blocked by the operator (--block-origin ${blocked.text})`);
    const exempt = config.allowOrigins.some((pattern) => matchesOrigin(pattern, destination));
    if (config.onlyAllowedOrigins && !exempt)
      return refuse(
        `${origin} is not in the operator's allowed origins (--only-allowed-origins)`,
        `the operator can add it with --allow-origin ${origin}`,
      );
    if (METADATA_HOSTS.has(host))
      return refuse(
        `${host} is a cloud metadata service`,
        classHint(AddressClass.Metadata, origin),
      );
    const addresses = await addressesOf(host, options.cached === true);
    if (addresses.length === 0)
      return { allowed: false, reason: `${host} does not resolve`, kind: 'dns' };
    const sameService = await blockedByAddress(destination, addresses);
    if (sameService !== undefined)
      return refuse(
        `${origin} is blocked by the operator (--block-origin ${sameService.text}): it reaches the same address`,
      );
    for (const address of addresses) {
      const kind = classifyAddress(address) ?? AddressClass.Reserved;
      if (exempt && kind !== AddressClass.Metadata) continue;
      if (classAllowed(config, kind)) continue;
      const literal = canonicalAddress(host) === address;
      const subject = literal ? address : `${host} resolves to ${address}, which`;
      const what =
        kind === AddressClass.Metadata
          ? 'a cloud metadata address'
          : `${/^[aeiou]/.test(kind) ? 'an' : 'a'} ${kind} address`;
      return refuse(`${subject} is ${what}`, classHint(kind, origin));
    }
    return { allowed: true, addresses };
  };

  return {
    config,
    checkDestination,
    async checkUrl(raw, options) {
      let url: URL;
      try {
        url = new URL(raw);
      } catch {
        return refuse(`"${raw.slice(0, 200)}" is not a valid absolute URL`);
      }
      const scheme = url.protocol;
      if (scheme === 'data:' || scheme === 'blob:') {
        return options.navigation
          ? refuse(`${scheme} URLs cannot be opened as pages; only http and https pages load`)
          : { allowed: true, addresses: [] };
      }
      if (scheme === 'about:') {
        return url.href === 'about:blank' || url.href === 'about:srcdoc'
          ? { allowed: true, addresses: [] }
          : refuse(`${url.href} is a browser-internal page; only http and https pages load`);
      }
      if (!['http:', 'https:', 'ws:', 'wss:'].includes(scheme)) {
        return refuse(
          `${scheme} URLs are blocked; only http and https pages load (local files and browser-internal pages are never reachable)`,
        );
      }
      return checkDestination(
        { scheme, host: url.hostname, port: effectivePort(url) },
        options.cached === undefined ? {} : { cached: options.cached },
      );
    },
  };
}
