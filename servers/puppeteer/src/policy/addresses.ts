/**
 * @module
 * What kind of network an IP address belongs to: the classification the URL policy blocks or
 * allows by. IPv4 and IPv6 literals are parsed here without a library; addresses that embed an
 * IPv4 address (IPv4-mapped, IPv4-compatible, NAT64, 6to4) are judged by the address they embed,
 * so `::ffff:169.254.169.254` is as blocked as `169.254.169.254`.
 */
import { isIPv4, isIPv6 } from 'node:net';

/** Address classes, from most to least dangerous for a browser the model drives. */
export const AddressClass = {
  /** Cloud instance metadata endpoints (credentials live there). Never reachable. */
  Metadata: 'metadata',
  /** 0.0.0.0/8 and `::`: connecting to them reaches the local host. */
  Unspecified: 'unspecified',
  Loopback: 'loopback',
  /** RFC 1918, CGNAT (100.64/10), IPv6 unique-local (fc00::/7) and the old site-local range. */
  Private: 'private',
  LinkLocal: 'link-local',
  Multicast: 'multicast',
  /** Broadcast, documentation, benchmarking, future-use and other special-purpose ranges. */
  Reserved: 'reserved',
  Public: 'public',
} as const;
export type AddressClass = (typeof AddressClass)[keyof typeof AddressClass];

/** Metadata services by address; the hostnames are listed in url-policy.ts. */
const METADATA_V4 = new Set([
  '169.254.169.254',
  '169.254.170.2',
  '169.254.170.23',
  '100.100.100.200',
]);
const METADATA_V6 = new Set(['fd00:ec2:0:0:0:0:0:254']);

function ipv4Octets(address: string): number[] {
  return address.split('.').map(Number);
}

function classifyIpv4(address: string): AddressClass {
  if (METADATA_V4.has(address)) return AddressClass.Metadata;
  const [a = 0, b = 0, c = 0] = ipv4Octets(address);
  if (a === 0) return AddressClass.Unspecified;
  if (a === 127) return AddressClass.Loopback;
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168))
    return AddressClass.Private;
  if (a === 100 && b >= 64 && b <= 127) return AddressClass.Private;
  if (a === 169 && b === 254) return AddressClass.LinkLocal;
  if (a >= 224 && a <= 239) return AddressClass.Multicast;
  if (a >= 240) return AddressClass.Reserved;
  if (a === 192 && b === 0 && (c === 0 || c === 2)) return AddressClass.Reserved;
  if (a === 198 && (b === 18 || b === 19)) return AddressClass.Reserved;
  if ((a === 198 && b === 51 && c === 100) || (a === 203 && b === 0 && c === 113))
    return AddressClass.Reserved;
  if (a === 192 && b === 88 && c === 99) return AddressClass.Reserved;
  return AddressClass.Public;
}

/** The eight 16-bit groups of an IPv6 address (any valid textual form, zone id removed). */
export function ipv6Groups(address: string): number[] {
  let text = address.toLowerCase();
  const zone = text.indexOf('%');
  if (zone !== -1) text = text.slice(0, zone);
  const lastColon = text.lastIndexOf(':');
  const last = text.slice(lastColon + 1);
  if (last.includes('.')) {
    // A trailing dotted quad is two groups written in decimal.
    const [a = 0, b = 0, c = 0, d = 0] = ipv4Octets(last);
    text = `${text.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const parse = (part: string): number[] =>
    part === '' ? [] : part.split(':').map((group) => parseInt(group, 16));
  const doubleColon = text.indexOf('::');
  if (doubleColon === -1) return parse(text);
  const head = parse(text.slice(0, doubleColon));
  const rest = parse(text.slice(doubleColon + 2));
  const missing = Math.max(0, 8 - head.length - rest.length);
  return [...head, ...new Array<number>(missing).fill(0), ...rest];
}

function embeddedIpv4(high: number, low: number): string {
  return `${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`;
}

function classifyIpv6(address: string): AddressClass {
  const g = ipv6Groups(address);
  const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0] = g;
  const canonical = g.map((group) => group.toString(16)).join(':');
  if (METADATA_V6.has(canonical)) return AddressClass.Metadata;
  const zeroPrefix = g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0;
  if (zeroPrefix && g5 === 0 && g6 === 0 && g7 === 0) return AddressClass.Unspecified;
  if (zeroPrefix && g5 === 0 && g6 === 0 && g7 === 1) return AddressClass.Loopback;
  // ::ffff:a.b.c.d (mapped), ::a.b.c.d (compatible), 64:ff9b::a.b.c.d (NAT64) reach the IPv4 address.
  if (zeroPrefix && (g5 === 0xffff || g5 === 0)) return classifyIpv4(embeddedIpv4(g6, g7));
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0)
    return classifyIpv4(embeddedIpv4(g6, g7));
  if (g0 === 0x2002) return classifyIpv4(embeddedIpv4(g1, g2));
  if ((g0 & 0xfe00) === 0xfc00) return AddressClass.Private;
  if ((g0 & 0xffc0) === 0xfec0) return AddressClass.Private;
  if ((g0 & 0xffc0) === 0xfe80) return AddressClass.LinkLocal;
  if ((g0 & 0xff00) === 0xff00) return AddressClass.Multicast;
  // Teredo tunnels to an obfuscated IPv4 address; documentation and discard ranges go nowhere.
  if (g0 === 0x2001 && g1 === 0) return AddressClass.Reserved;
  if (g0 === 0x2001 && g1 === 0xdb8) return AddressClass.Reserved;
  if (g0 === 0x100 && g1 === 0 && g2 === 0 && g3 === 0) return AddressClass.Reserved;
  return AddressClass.Public;
}

/** The class of an IP literal (brackets allowed around IPv6), or undefined when it is not one. */
export function classifyAddress(address: string): AddressClass | undefined {
  const bare = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  if (isIPv4(bare)) return classifyIpv4(bare);
  if (isIPv6(bare)) return classifyIpv6(bare);
  return undefined;
}

/**
 * One spelling per address, for comparing addresses: IPv4 dotted, IPv6 as eight hex groups, and an
 * IPv6 address that only wraps an IPv4 one (`::ffff:127.0.0.1`, `::127.0.0.1`) as that IPv4
 * address. Undefined when `address` is not an IP literal (brackets allowed around IPv6).
 */
export function canonicalAddress(address: string): string | undefined {
  const bare = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  if (isIPv4(bare)) return bare;
  if (!isIPv6(bare)) return undefined;
  const g = ipv6Groups(bare);
  const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0] = g;
  const zeroPrefix = g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0;
  // `::` and `::1` are IPv6's own; every other ::a.b.c.d and ::ffff:a.b.c.d is an IPv4 address.
  if (zeroPrefix && (g5 === 0xffff || (g5 === 0 && g6 !== 0))) return embeddedIpv4(g6, g7);
  return g.map((group) => group.toString(16)).join(':');
}

/** True when two addresses reach the same host: the same address, or both loopback. */
export function sameHostAddress(a: string, b: string): boolean {
  const left = canonicalAddress(a);
  if (left === undefined) return false;
  if (left === canonicalAddress(b)) return true;
  return (
    classifyAddress(a) === AddressClass.Loopback && classifyAddress(b) === AddressClass.Loopback
  );
}
