/**
 * @module
 * What the endpoint answers, before any runtime's response object exists: a status, headers and
 * a body that is a finished string, an SSE stream still being written, or nothing. `web.ts`
 * turns it into a WHATWG `Response`; `node.ts` writes it straight to the socket.
 */
import { ErrorCode } from '../../jsonrpc/error-code.js';
import type { SseWriter } from './sse.js';

/** A request refused before it is routed: by a guard or by sign-in. */
export type GuardFailure = {
  status: 400 | 401 | 403 | 503;
  message: string;
  headers?: Record<string, string>;
};

export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string | SseWriter | null;
}

const JSON_TYPE = 'application/json';

/** A JSON body (already serialised). */
export function jsonAnswer(
  status: number,
  body: string,
  headers: Record<string, string> = {},
): Answer {
  return { status, headers: { 'Content-Type': JSON_TYPE, ...headers }, body };
}

export function noBody(status: number, headers: Record<string, string> = {}): Answer {
  return { status, headers, body: null };
}

/** A JSON-RPC error answered before any request was read (`id: null`). */
export function plainError(
  status: number,
  message: string,
  headers: Record<string, string> = {},
  code: number = ErrorCode.InvalidRequest,
): Answer {
  return jsonAnswer(
    status,
    JSON.stringify({ jsonrpc: '2.0', id: null, error: { code, message } }),
    headers,
  );
}

export function refusal(failure: GuardFailure): Answer {
  return plainError(failure.status, failure.message, failure.headers);
}

/**
 * Headers of every page and redirect a browser is sent to (the connect routes): never cached,
 * no referrer carrying a code or state onwards, nothing loaded from anywhere, never framed.
 */
const BROWSER_HEADERS: Readonly<Record<string, string>> = {
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'no-referrer',
  'Content-Security-Policy':
    "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
};

/** A small HTML page for a browser, self-contained (inline style only). */
export function htmlAnswer(
  status: number,
  html: string,
  headers: Record<string, string> = {},
): Answer {
  return {
    status,
    headers: { 'Content-Type': 'text/html; charset=utf-8', ...BROWSER_HEADERS, ...headers },
    body: html,
  };
}

/** A 303 to `location`: the browser follows it with a GET. */
export function redirectAnswer(location: string, headers: Record<string, string> = {}): Answer {
  return {
    status: 303,
    headers: { Location: location, ...BROWSER_HEADERS, ...headers },
    body: null,
  };
}
