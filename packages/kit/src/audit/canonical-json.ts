/**
 * @module
 * {@link argumentsHash}: what the audit trail records of a call's arguments. Their canonical JSON
 * (object keys sorted, no whitespace) hashed with SHA-256, so the same arguments always give the
 * same hash whatever order the client wrote them in, and the record holds none of their values.
 * The canonical JSON is the protocol's, the one its request-state digest uses.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '@plugboard/protocol';

export { canonicalJson };

/** The SHA-256 of the arguments' canonical JSON, in hex. */
export function argumentsHash(args: unknown): string {
  return createHash('sha256').update(canonicalJson(args)).digest('hex');
}
