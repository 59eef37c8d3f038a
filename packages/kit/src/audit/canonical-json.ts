/**
 * @module
 * {@link argumentsHash}: what the audit trail records of a call's arguments. Their canonical JSON
 * (object keys sorted, no whitespace) hashed with SHA-256, so the same arguments always give the
 * same hash whatever order the client wrote them in, and the record holds none of their values.
 */
import { createHash } from 'node:crypto';

/** JSON with every object's keys in code-unit order; `undefined` members are left out. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value))
    return `[${value.map((item) => canonicalJson(item ?? null)).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const members = Object.keys(value)
      .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
      .sort()
      .map(
        (key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`,
      );
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The SHA-256 of the arguments' canonical JSON, in hex. */
export function argumentsHash(args: unknown): string {
  return createHash('sha256').update(canonicalJson(args)).digest('hex');
}
