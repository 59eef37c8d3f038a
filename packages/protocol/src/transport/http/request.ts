/**
 * @module
 * Reading and judging one HTTP request: media types parsed properly (never `includes`), the body
 * read with a hard byte limit, and MCP's header values decoded (the `=?base64?…?=` form).
 */
import type { Incoming } from './incoming.js';

/** The `type/subtype` of a Content-Type or one Accept entry, lower-cased, parameters dropped. */
export function mediaType(value: string): string {
  return value.split(';', 1)[0]!.trim().toLowerCase();
}

export function isJsonContentType(header: string | undefined): boolean {
  return header !== undefined && mediaType(header) === 'application/json';
}

export interface Accepts {
  json: boolean;
  sse: boolean;
}

export function parseAccept(header: string | undefined): Accepts {
  const types = (header ?? '').split(',').map(mediaType);
  const any = types.includes('*/*');
  return {
    json: any || types.includes('application/json') || types.includes('application/*'),
    sse: any || types.includes('text/event-stream') || types.includes('text/*'),
  };
}

export type BodyResult =
  { ok: true; text: string } | { ok: false; status: 413 | 415 | 400; message: string };

function tooLarge(limit: number): string {
  return `Request body is larger than ${limit} bytes; start the server with --max-body-bytes N (or MCP_MAX_BODY_BYTES=N) to raise the limit`;
}

/** Stateless, so one decoder serves every request. */
const UTF8 = new TextDecoder();

function failure(status: 413 | 415 | 400, message: string): BodyResult {
  return { ok: false, status, message };
}

/**
 * Reads the body as text, up to `limit` bytes: an unsupported encoding or a declared length past
 * the limit is refused before a byte is read, and reading stops (413) as soon as it is crossed.
 */
export async function readBody(request: Incoming, limit: number): Promise<BodyResult> {
  const encoding = request.header('content-encoding');
  if (encoding !== undefined && encoding.trim().toLowerCase() !== 'identity')
    return failure(415, `Content-Encoding "${encoding.slice(0, 40)}" is not supported`);
  const declared = Number(request.header('content-length'));
  if (Number.isFinite(declared) && declared > limit) return failure(413, tooLarge(limit));
  const body = await request.body(limit);
  if (body.kind === 'too-large') return failure(413, tooLarge(limit));
  if (body.kind === 'unreadable') return failure(400, 'Request body could not be read');
  return { ok: true, text: UTF8.decode(body.bytes) };
}

/** Refuses malformed UTF-8 rather than replacing it. */
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

const BASE64_ALPHABET = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * An MCP header value as the client meant it: surrounding whitespace dropped, and a value wrapped
 * as `=?base64?<b64>?=` (lowercase sentinel, both ends present) decoded as UTF-8. A wrapped value
 * that is not canonical base64 (bad alphabet or padding) is undefined, so the request is refused;
 * a value missing either end of the wrapper is taken literally.
 */
export function decodeHeaderValue(raw: string): string | undefined {
  const value = raw.trim();
  if (!(value.startsWith('=?base64?') && value.endsWith('?=') && value.length >= 11)) return value;
  const encoded = value.slice('=?base64?'.length, -2);
  if (encoded.length % 4 !== 0 || !BASE64_ALPHABET.test(encoded)) return undefined;
  try {
    return STRICT_UTF8.decode(Buffer.from(encoded, 'base64'));
  } catch {
    return undefined;
  }
}
