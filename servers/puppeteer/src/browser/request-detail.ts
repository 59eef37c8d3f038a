/**
 * @module
 * One recorded request in full: method, URL, status, request and response headers (credentials
 * masked, see headers.ts), timing, size, the request body and the response body. Bodies are read
 * from what Chromium already received (nothing is fetched again); text bodies are decoded and
 * paged within the output budget, binary ones are described. Everything here came from a page or
 * a server and is untrusted.
 */
import { truncateText } from '@plugboard/protocol';
import type { HTTPResponse } from 'puppeteer-core';
import { renderHeaders } from './headers.js';
import type { NetworkEntry } from './logs.js';
import { cleanText } from './untrusted.js';

export interface Timing {
  /** Name resolution (in the egress proxy, so usually 0 here). */
  readonly dnsMs?: number;
  readonly connectMs?: number;
  readonly tlsMs?: number;
  /** From sending the request to the first byte of the response headers. */
  readonly waitMs?: number;
}

export interface Body {
  /** `text` (shown), `binary` (described), `none` (no body) or `unavailable` (no longer held). */
  readonly kind: 'text' | 'binary' | 'none' | 'unavailable';
  readonly mimeType?: string;
  readonly bytes?: number;
  readonly text?: string;
  readonly offset?: number;
  readonly truncated?: boolean;
  /** Pass as bodyOffset to read on. */
  readonly nextOffset?: number;
  readonly note?: string;
}

export interface RequestDetail {
  readonly id: string;
  readonly tab: string;
  readonly method: string;
  readonly url: string;
  readonly type: string;
  readonly status?: number;
  readonly failure?: string;
  readonly blocked?: string;
  readonly durationMs?: number;
  readonly timing?: Timing;
  readonly requestHeaders: Record<string, string>;
  readonly responseHeaders: Record<string, string>;
  /** Headers left out past the count limit (both lists together). */
  readonly headersOmitted: number;
  /** What the page sent, cut with `…` past 4,096 characters. */
  readonly requestBody?: string;
  readonly body: Body;
}

export interface DetailOptions {
  readonly showSecrets: boolean;
  /** Bytes of response text to return at most. */
  readonly bodyBudget: number;
  /** Character offset into the response text. */
  readonly bodyOffset: number;
}

const REQUEST_BODY_MAX = 4096;
const TEXT_TYPES =
  /^(text\/|application\/(json|javascript|ecmascript|xml|x-www-form-urlencoded|graphql)|image\/svg\+xml)|\+(json|xml)\b/;

function ms(from: number, to: number): number | undefined {
  return from >= 0 && to >= from ? Math.round(to - from) : undefined;
}

function timingOf(response: HTTPResponse): Timing | undefined {
  const t = response.timing();
  if (t === null) return undefined;
  const timing: Record<string, number> = {};
  const put = (key: keyof Timing, value: number | undefined): void => {
    if (value !== undefined) timing[key] = value;
  };
  put('dnsMs', ms(t.dnsStart, t.dnsEnd));
  put('connectMs', ms(t.connectStart, t.connectEnd));
  put('tlsMs', ms(t.sslStart, t.sslEnd));
  put('waitMs', ms(t.sendStart, t.receiveHeadersEnd));
  return timing;
}

/** True when bytes of this type read as text: by MIME type, else by a look at the bytes. */
function isText(mimeType: string, bytes: Uint8Array): boolean {
  if (TEXT_TYPES.test(mimeType)) return true;
  if (mimeType !== '' && mimeType !== 'application/octet-stream') return false;
  if (bytes.subarray(0, 1024).includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, 4096));
    return true;
  } catch {
    return false;
  }
}

async function bodyOf(
  response: HTTPResponse | null,
  options: DetailOptions,
  mimeType: string,
): Promise<Body> {
  if (response === null) return { kind: 'none', note: 'no response was received' };
  const status = response.status();
  if ((status >= 300 && status < 400) || status === 204 || status === 304)
    return { kind: 'none', note: `a ${status} response has no body` };
  let bytes: Uint8Array;
  try {
    bytes = await response.content();
  } catch {
    return {
      kind: 'unavailable',
      note: 'the browser no longer holds this body (the page navigated away or it was evicted); load the page again and ask sooner',
    };
  }
  const base = { bytes: bytes.byteLength, ...(mimeType === '' ? {} : { mimeType }) };
  if (bytes.byteLength === 0) return { kind: 'none', ...base };
  if (!isText(mimeType, bytes))
    return { kind: 'binary', ...base, note: 'binary content is described, not shown' };
  const text = cleanText(new TextDecoder().decode(bytes), Number.MAX_SAFE_INTEGER);
  if (options.bodyOffset > text.length)
    return { kind: 'text', ...base, text: '', offset: options.bodyOffset, truncated: false };
  const cut = truncateText(text.slice(options.bodyOffset), options.bodyBudget);
  const next = options.bodyOffset + cut.text.length;
  return {
    kind: 'text',
    ...base,
    text: cut.text,
    offset: options.bodyOffset,
    truncated: cut.truncated,
    ...(cut.truncated ? { nextOffset: next } : {}),
  };
}

/** Everything recorded and still readable about one request. */
export async function readRequestDetail(
  entry: NetworkEntry,
  options: DetailOptions,
): Promise<RequestDetail> {
  const { request } = entry;
  const response = request.response();
  const sent = renderHeaders(request.headers(), options.showSecrets);
  const received = renderHeaders(response?.headers() ?? {}, options.showSecrets);
  const mimeType = (response?.headers()['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  // Read from the browser's record of the request; nothing is sent anywhere.
  const post = request.hasPostData()
    ? await request.fetchPostData().catch(() => undefined)
    : undefined;
  const timing = response === null ? undefined : timingOf(response);
  return {
    id: entry.id,
    tab: entry.tab,
    method: entry.method,
    url: entry.url,
    type: entry.type,
    ...(entry.status === undefined ? {} : { status: entry.status }),
    ...(entry.failure === undefined ? {} : { failure: entry.failure }),
    ...(entry.blocked === undefined ? {} : { blocked: entry.blocked }),
    ...(entry.durationMs === undefined ? {} : { durationMs: entry.durationMs }),
    ...(timing === undefined ? {} : { timing }),
    requestHeaders: sent.headers,
    responseHeaders: received.headers,
    headersOmitted: sent.omitted + received.omitted,
    ...(post === undefined ? {} : { requestBody: cleanText(post, REQUEST_BODY_MAX) }),
    body: await bodyOf(response, options, mimeType),
  };
}
