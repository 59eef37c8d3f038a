/**
 * @module
 * The shape checks a test needs to judge what a server wrote: is this line a JSON-RPC 2.0 message,
 * is it a response, a request or a notification. Deliberately independent of any SDK so that a
 * lenient client cannot hide a malformed message.
 */

/** A JSON object as parsed from the wire. */
export type JsonObject = Record<string, unknown>;

/** A JSON-RPC 2.0 message as it appeared on the wire (only the envelope is checked). */
export interface JsonRpcMessage extends JsonObject {
  readonly jsonrpc: '2.0';
  readonly id?: string | number | null;
  readonly method?: string;
  readonly params?: unknown;
  readonly result?: unknown;
  readonly error?: { readonly code: number; readonly message: string; readonly data?: unknown };
}

/** Narrows `value` to a plain (non-array) object. */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Why `value` is not a well-formed JSON-RPC 2.0 message, or `undefined` when it is. Checks the
 * envelope strictly: `jsonrpc: "2.0"`; requests have a string `method` and a string or integer
 * `id`; notifications have no `id`; responses have exactly one of `result` and `error`, and an error
 * has an integer `code` and a string `message`.
 */
export function jsonRpcProblem(value: unknown): string | undefined {
  if (!isJsonObject(value)) return 'not a JSON object';
  if (value['jsonrpc'] !== '2.0') return 'jsonrpc is not "2.0"';
  const hasId = Object.hasOwn(value, 'id');
  const id = value['id'];
  if ('method' in value) {
    if (typeof value['method'] !== 'string') return 'method is not a string';
    if ('result' in value || 'error' in value) return 'a request carries result or error';
    if (hasId && typeof id !== 'string' && !Number.isInteger(id))
      return 'request id is not a string or integer';
    if ('params' in value && !isJsonObject(value['params']) && !Array.isArray(value['params'])) {
      return 'params is not structured';
    }
    return undefined;
  }
  if (!hasId) return 'a response has no id';
  if (id !== null && typeof id !== 'string' && typeof id !== 'number')
    return 'response id has a bad type';
  const hasResult = Object.hasOwn(value, 'result');
  const hasError = Object.hasOwn(value, 'error');
  if (hasResult === hasError) return 'a response needs exactly one of result and error';
  if (hasError) {
    const error = value['error'];
    if (!isJsonObject(error)) return 'error is not an object';
    if (!Number.isInteger(error['code'])) return 'error.code is not an integer';
    if (typeof error['message'] !== 'string') return 'error.message is not a string';
  } else if (!isJsonObject(value['result'])) {
    return 'result is not an object';
  }
  return undefined;
}

/** True when `value` is a well-formed JSON-RPC 2.0 message (see {@link jsonRpcProblem}). */
export function isJsonRpcMessage(value: unknown): value is JsonRpcMessage {
  return jsonRpcProblem(value) === undefined;
}

/** True for a response (result or error) whose id equals `id`. */
export function isResponseTo(id: string | number | null): (message: JsonRpcMessage) => boolean {
  return (message) => !('method' in message) && message.id === id;
}

/** True for a notification (or request) with this method. */
export function hasMethod(method: string): (message: JsonRpcMessage) => boolean {
  return (message) => message.method === method;
}
