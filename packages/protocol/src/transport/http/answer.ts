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
