/**
 * @module
 * Serving one classified 2026-07-28 request: its {@link Exchange} built from the envelope,
 * answers from earlier input rounds opened from `requestState`, and the era's decoration of the
 * result (`resultType`, server info, caching hints, input-required rounds).
 */
import type { Connection, IncomingRequest } from '../../../jsonrpc/connection.js';
import { ErrorCode } from '../../../jsonrpc/error-code.js';
import { ProtocolError } from '../../../jsonrpc/errors.js';
import { isObject, type JsonObject, type RequestId } from '../../../jsonrpc/message.js';
import type { ServerCore } from '../../core.js';
import type { Exchange } from '../../exchange.js';
import { InputRequired } from '../../input.js';
import type { ModernRequest } from '../classify.js';
import { MetaKey } from '../versions.js';

/** Methods whose 2026-07-28 results carry caching hints (mcp-spec 2.10). */
const CACHEABLE = new Set([
  'server/discover',
  'tools/list',
  'prompts/list',
  'resources/list',
  'resources/templates/list',
  'resources/read',
]);
/** Methods that may answer with an input-required result (mcp-spec 2.12). */
const INPUT_METHODS = new Set(['tools/call', 'prompts/get', 'resources/read']);

/** A method's handler and the session it runs in, as the method tables hold them. */
export type ModernHandler<S> = (
  params: JsonObject,
  exchange: Exchange,
  session: S,
) => Promise<JsonObject> | JsonObject;

function salientParams(params: JsonObject): JsonObject {
  const { _meta: _m, inputResponses: _i, requestState: _s, ...rest } = params;
  return rest;
}

export async function serveModern<S>(
  core: ServerCore,
  request: ModernRequest,
  id: RequestId,
  incoming: IncomingRequest,
  connection: Connection,
  handler: ModernHandler<S> | undefined,
  session: S,
): Promise<JsonObject> {
  const { method, params } = request;
  if (handler === undefined) throw ProtocolError.methodNotFound(method.slice(0, 100));
  const takesInput = INPUT_METHODS.has(method);
  const answers = takesInput ? await openAnswers(core, method, params) : undefined;
  const exchange: Exchange = {
    era: 'modern',
    id,
    method,
    protocolVersion: request.protocolVersion,
    clientCapabilities: request.clientCapabilities,
    clientInfo: request.clientInfo,
    get signal() {
      return incoming.signal;
    },
    auth: incoming.auth,
    logLevel: request.logLevel,
    progressToken: request.progressToken,
    notify: (notification, body) => connection.notify(notification, body, { relatedRequestId: id }),
    request: () =>
      Promise.reject(
        new ProtocolError(ErrorCode.InternalError, 'Servers send no requests in 2026-07-28'),
      ),
    answers,
  };
  let result: JsonObject;
  try {
    result = await handler(params, exchange, session);
  } catch (error) {
    if (error instanceof InputRequired && takesInput) {
      const digest = await core.sealer.digest(salientParams(params));
      return {
        resultType: 'input_required',
        inputRequests: Object.fromEntries(error.requests),
        requestState: await core.sealer.seal(method, digest, answers ?? new Map()),
        _meta: { [MetaKey.ServerInfo]: core.info },
      };
    }
    if (error instanceof ProtocolError && error.code === ErrorCode.ResourceNotFound) {
      // 2026-07-28 moved resource-not-found to -32602 (SEP-2164).
      throw new ProtocolError(ErrorCode.InvalidParams, error.message, error.data);
    }
    throw error;
  }
  result.resultType ??= 'complete';
  result._meta = {
    ...(isObject(result._meta) ? result._meta : {}),
    [MetaKey.ServerInfo]: core.info,
  };
  if (CACHEABLE.has(method)) {
    result.ttlMs = core.cache.ttlMs;
    // What a signed-in caller is shown depends on who it is.
    result.cacheScope =
      method === 'resources/read' || exchange.auth !== undefined ? 'private' : core.cache.scope;
  }
  return result;
}

/** Answers from earlier rounds (sealed in requestState) merged with this round's inputResponses. */
async function openAnswers(
  core: ServerCore,
  method: string,
  params: JsonObject,
): Promise<Map<string, JsonObject> | undefined> {
  const { inputResponses, requestState } = params;
  if (inputResponses === undefined && requestState === undefined) return undefined;
  if (inputResponses !== undefined && !isObject(inputResponses))
    throw ProtocolError.invalidParams('params.inputResponses must be an object');
  const sealer = core.sealer;
  const answers =
    requestState === undefined
      ? new Map<string, JsonObject>()
      : await sealer.open(requestState, method, await sealer.digest(salientParams(params)));
  for (const [key, value] of Object.entries(inputResponses ?? {})) {
    if (!isObject(value))
      throw ProtocolError.invalidParams(
        `params.inputResponses["${key.slice(0, 50)}"] must be an object`,
      );
    answers.set(key, value);
  }
  return answers;
}
