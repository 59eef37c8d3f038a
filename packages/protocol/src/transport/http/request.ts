/**
 * @module
 * Reading and judging one HTTP request: media types parsed properly (never `includes`), the body
 * read with a hard byte limit, and MCP's header values decoded (the `=?base64?…?=` form).
 */
import type { IncomingMessage } from 'node:http';

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

/** Reads the body up to `limit` bytes; stops reading (and answers 413) as soon as it is crossed. */
export function readBody(request: IncomingMessage, limit: number): Promise<BodyResult> {
  const encoding = request.headers['content-encoding'];
  if (encoding !== undefined && encoding.trim().toLowerCase() !== 'identity') {
    request.resume();
    return Promise.resolve({
      ok: false,
      status: 415,
      message: `Content-Encoding "${encoding.slice(0, 40)}" is not supported`,
    });
  }
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    request.resume();
    return Promise.resolve({
      ok: false,
      status: 413,
      message: tooLarge(limit),
    });
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (result: BodyResult): void => {
      if (done) return;
      done = true;
      request.off('data', onData);
      resolve(result);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        finish({ ok: false, status: 413, message: tooLarge(limit) });
        request.resume();
        return;
      }
      chunks.push(chunk);
    };
    request.on('data', onData);
    request.once('end', () => {
      finish({ ok: true, text: Buffer.concat(chunks).toString('utf8') });
    });
    request.once('error', () => {
      finish({ ok: false, status: 400, message: 'Request body could not be read' });
    });
  });
}

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
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(encoded, 'base64'));
  } catch {
    return undefined;
  }
}

/** A single header value; repeated headers are joined by Node, so a comma there is suspicious but kept. */
export function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}
