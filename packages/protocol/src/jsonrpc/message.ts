/**
 * @module
 * JSON-RPC 2.0 message shapes and the one function that classifies untrusted input. Validation
 * is hand-written on purpose: it runs for every message, so it must cost nanoseconds, and it must
 * never look anything up on a plain object by a key the peer chose.
 */
import { ErrorCode } from './error-code.js';

/** MCP forbids null ids; only strings and safe integers are accepted. */
export type RequestId = string | number;

export type JsonObject = Record<string, unknown>;

export interface JsonRpcRequest {
  jsonrpc: '2.0';
  id: RequestId;
  method: string;
  params?: JsonObject;
}

export interface JsonRpcNotification {
  jsonrpc: '2.0';
  method: string;
  params?: JsonObject;
}

export interface JsonRpcErrorObject {
  code: number;
  message: string;
  data?: unknown;
}

export interface JsonRpcSuccess {
  jsonrpc: '2.0';
  id: RequestId;
  result: JsonObject;
}

export interface JsonRpcFailure {
  jsonrpc: '2.0';
  id: RequestId | null;
  error: JsonRpcErrorObject;
}

export type JsonRpcResponse = JsonRpcSuccess | JsonRpcFailure;
export type JsonRpcMessage = JsonRpcRequest | JsonRpcNotification | JsonRpcResponse;

/**
 * The answers to one JSON-RPC batch, sent together. Only sessions at revision 2025-03-26 take
 * batches; every other revision has one message per line or request.
 */
export type JsonRpcBatchResponse = JsonRpcResponse[];

/** What a transport is asked to send: one message, or the answers to a batch. */
export type OutgoingMessage = JsonRpcMessage | JsonRpcBatchResponse;

/** The outcome of {@link classify}: a usable message, or the error response it deserves. */
export type Classified =
  | { kind: 'request'; message: JsonRpcRequest }
  | { kind: 'notification'; message: JsonRpcNotification }
  | { kind: 'response'; message: JsonRpcResponse }
  | { kind: 'invalid'; id: RequestId | null; error: JsonRpcErrorObject };

/** Objects nested deeper than this are refused before anything walks, logs or echoes them. */
export const MAX_DEPTH = 64;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isRequestId(value: unknown): value is RequestId {
  return typeof value === 'string' || (typeof value === 'number' && Number.isSafeInteger(value));
}

function invalid(id: unknown, code: number, message: string): Classified {
  return { kind: 'invalid', id: isRequestId(id) ? id : null, error: { code, message } };
}

/**
 * Sorts one parsed JSON value into request, notification or response, or says why it is none.
 * Arrays are refused here: a batch is taken apart by the connection, and only where the session
 * allows it (revision 2025-03-26; batching was removed in 2025-06-18).
 */
export function classify(value: unknown): Classified {
  if (!isObject(value)) {
    return invalid(
      null,
      ErrorCode.InvalidRequest,
      Array.isArray(value)
        ? 'Batches are accepted only in sessions at protocol revision 2025-03-26: send one JSON-RPC message per line or request'
        : 'A JSON-RPC message must be an object',
    );
  }
  const { id, method } = value;
  if (value.jsonrpc !== '2.0') {
    return invalid(id, ErrorCode.InvalidRequest, 'The "jsonrpc" member must be exactly "2.0"');
  }
  if (exceedsDepth(value, MAX_DEPTH)) {
    return invalid(id, ErrorCode.InvalidRequest, `Message nests deeper than ${MAX_DEPTH} levels`);
  }
  if (method === undefined) {
    return classifyResponse(value, id);
  }
  if (typeof method !== 'string' || method.length === 0) {
    return invalid(id, ErrorCode.InvalidRequest, 'The "method" member must be a non-empty string');
  }
  const { params } = value;
  if (params !== undefined && !isObject(params)) {
    return invalid(id, ErrorCode.InvalidRequest, 'The "params" member must be an object');
  }
  if (id === undefined) {
    return {
      kind: 'notification',
      message:
        params === undefined ? { jsonrpc: '2.0', method } : { jsonrpc: '2.0', method, params },
    };
  }
  if (!isRequestId(id)) {
    return invalid(
      null,
      ErrorCode.InvalidRequest,
      'The "id" member must be a string or an integer',
    );
  }
  return {
    kind: 'request',
    message:
      params === undefined
        ? { jsonrpc: '2.0', id, method }
        : { jsonrpc: '2.0', id, method, params },
  };
}

function classifyResponse(value: JsonObject, id: unknown): Classified {
  if (!isRequestId(id) && id !== null) {
    return invalid(null, ErrorCode.InvalidRequest, 'A response needs a string or integer "id"');
  }
  const { result, error } = value;
  if (result !== undefined && error === undefined && isRequestId(id)) {
    return {
      kind: 'response',
      message: { jsonrpc: '2.0', id, result: isObject(result) ? result : {} },
    };
  }
  if (error !== undefined && result === undefined && isObject(error)) {
    const code = typeof error.code === 'number' ? error.code : ErrorCode.InternalError;
    const message = typeof error.message === 'string' ? error.message : 'Unknown error';
    return {
      kind: 'response',
      message: {
        jsonrpc: '2.0',
        id: isRequestId(id) ? id : null,
        error: { code, message, data: error.data },
      },
    };
  }
  return invalid(
    id,
    ErrorCode.InvalidRequest,
    'Message has neither "method" nor exactly one of "result"/"error"',
  );
}

/**
 * True when `root` nests deeper than `limit`. Recursion is safe here: it never goes more than
 * `limit` frames deep, whatever the input, and it allocates nothing.
 */
export function exceedsDepth(root: unknown, limit: number): boolean {
  return deeper(root, limit);
}

function deeper(node: unknown, remaining: number): boolean {
  if (typeof node !== 'object' || node === null) return false;
  if (remaining === 0) return true;
  if (Array.isArray(node)) {
    for (const child of node) if (deeper(child, remaining - 1)) return true;
    return false;
  }
  for (const key in node) {
    if (deeper((node as Record<string, unknown>)[key], remaining - 1)) return true;
  }
  return false;
}

export function errorResponse(id: RequestId | null, error: JsonRpcErrorObject): JsonRpcFailure {
  return { jsonrpc: '2.0', id, error };
}

export function parseErrorResponse(detail: string, id: RequestId | null = null): JsonRpcFailure {
  return errorResponse(id, { code: ErrorCode.ParseError, message: `Parse error: ${detail}` });
}
