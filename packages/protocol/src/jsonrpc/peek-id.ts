/**
 * @module
 * The `id` of a message too large to parse, read from the two ends that were kept of it. A
 * request usually names its id near the start (`{"jsonrpc":"2.0","id":7,"method":…`) or as its
 * last member (`…,"jsonrpc":"2.0","id":7}`, as the official SDK serialises). Only top-level
 * members are read: the scan from the start stops at the first object or array value, and the
 * end is read only when it closes the top-level object right after the id.
 */
import type { RequestId } from './message.js';

const STRING = /^"(?:[^"\\\p{Cc}]|\\.){0,256}"/u;
const SCALAR = /^(?:-?\d{1,16}(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/;
const TAIL_ID = /[{,]\s*"id"\s*:\s*("(?:[^"\\\p{Cc}]|\\.){0,256}"|-?\d{1,16})\s*\}\s*$/u;

function asId(literal: string): RequestId | undefined {
  let value: unknown;
  try {
    value = JSON.parse(literal);
  } catch {
    return undefined; // a bad escape: no id to trust
  }
  return typeof value === 'string' || (typeof value === 'number' && Number.isSafeInteger(value))
    ? value
    : undefined;
}

function idFromHead(text: string): RequestId | undefined {
  let rest = text.replace(/^\uFEFF?\s*/, '');
  if (!rest.startsWith('{')) return undefined;
  rest = rest.slice(1);
  for (;;) {
    rest = rest.trimStart();
    const key = STRING.exec(rest)?.[0];
    if (key === undefined) return undefined;
    rest = rest.slice(key.length).trimStart();
    if (!rest.startsWith(':')) return undefined;
    rest = rest.slice(1).trimStart();
    const value = (STRING.exec(rest) ?? SCALAR.exec(rest))?.[0];
    if (value === undefined) return undefined; // an object or array, or the kept bytes ran out
    if (key === '"id"') return asId(value);
    rest = rest.slice(value.length).trimStart();
    if (!rest.startsWith(',')) return undefined;
    rest = rest.slice(1);
  }
}

/** The request id of an oversized line, from its first and last bytes; undefined when unsure. */
export function peekRequestId(head: string, tail: string): RequestId | undefined {
  const fromHead = idFromHead(head);
  if (fromHead !== undefined) return fromHead;
  const literal = TAIL_ID.exec(tail)?.[1];
  return literal === undefined ? undefined : asId(literal);
}
