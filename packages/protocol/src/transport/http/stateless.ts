/**
 * @module
 * 2026-07-28 over HTTP: one request per POST, no session. The headers must agree with the body
 * (-32020), the per-request `_meta` must be there (-32602), and the request is served by a
 * throw-away session on a one-shot transport, so any instance can answer any request. The
 * request is classified here, once, and the session serves it as classified. A client that goes
 * away (the request's signal aborts) cancels the request.
 */
import { ErrorCode } from '../../jsonrpc/error-code.js';
import {
  isObject,
  type JsonObject,
  type OutgoingMessage,
  type RequestId,
} from '../../jsonrpc/message.js';
import type { MessageExtra, Transport } from '../../jsonrpc/transport.js';
import {
  classifyRequest,
  EnvelopeError,
  metaOf,
  missingEnvelopeMember,
  type ModernRequest,
} from '../../mcp/eras/classify.js';
import { MetaKey } from '../../mcp/eras/versions.js';
import type { RequestAuth } from '../../mcp/auth.js';
import type { McpServer } from '../../mcp/server.js';
import { jsonAnswer, noBody, type Answer } from './answer.js';
import type { Incoming } from './incoming.js';
import { modernStatus, Reply } from './reply.js';
import { decodeHeaderValue, type Accepts } from './request.js';

type Failure = { status: number; code: number; message: string };

function errorResponse(id: RequestId | null, failure: Failure): Answer {
  return jsonAnswer(
    failure.status,
    JSON.stringify({ jsonrpc: '2.0', id, error: { code: failure.code, message: failure.message } }),
  );
}

function mismatch(message: string): Failure {
  return { status: 400, code: ErrorCode.HeaderMismatch, message };
}

/** The value `Mcp-Name` must carry for this method, if any. */
function expectedName(method: string, params: JsonObject): unknown {
  if (method === 'tools/call' || method === 'prompts/get') return params.name;
  if (method === 'resources/read') return params.uri;
  if (method === 'tasks/get' || method === 'tasks/update' || method === 'tasks/cancel')
    return params.taskId;
  return undefined;
}

/** `Mcp-Param-*` headers for tool arguments whose schema declares `x-mcp-header` (SEP-2243). */
function checkParamHeaders(
  request: Incoming,
  server: McpServer,
  params: JsonObject,
): Failure | undefined {
  if (typeof params.name !== 'string') return undefined;
  const tool = server.tools.get(params.name);
  const properties = tool?.descriptor().inputSchema.properties;
  if (!isObject(properties)) return undefined;
  const args = isObject(params.arguments) ? params.arguments : {};
  for (const [property, schema] of Object.entries(properties)) {
    if (!isObject(schema) || typeof schema['x-mcp-header'] !== 'string') continue;
    const raw = request.header(`mcp-param-${schema['x-mcp-header'].toLowerCase()}`);
    const value = Object.hasOwn(args, property) ? args[property] : undefined;
    if (value === undefined || value === null) {
      if (raw !== undefined)
        return mismatch(
          `Mcp-Param-${schema['x-mcp-header']} is set but arguments.${property} is absent`,
        );
      continue;
    }
    if (raw === undefined)
      return mismatch(
        `Mcp-Param-${schema['x-mcp-header']} header is required for arguments.${property}`,
      );
    const decoded = decodeHeaderValue(raw);
    if (
      decoded === undefined ||
      decoded !== (typeof value === 'string' ? value : JSON.stringify(value))
    )
      return mismatch(`Mcp-Param-${schema['x-mcp-header']} does not match arguments.${property}`);
  }
  return undefined;
}

/** The headers must restate the body: version, method, name and `x-mcp-header` arguments. */
function checkHeaders(
  request: Incoming,
  server: McpServer,
  method: string,
  params: JsonObject,
): Failure | undefined {
  const bodyVersion = metaOf(params)?.[MetaKey.ProtocolVersion];
  const headerVersion = request.header('mcp-protocol-version');
  if (headerVersion === undefined) return mismatch('MCP-Protocol-Version header is required');
  if (typeof bodyVersion === 'string' && decodeHeaderValue(headerVersion) !== bodyVersion) {
    return mismatch('MCP-Protocol-Version header does not match params._meta protocolVersion');
  }
  const methodHeader = request.header('mcp-method');
  if (methodHeader === undefined) return mismatch('Mcp-Method header is required');
  if (decodeHeaderValue(methodHeader) !== method)
    return mismatch('Mcp-Method header does not match the body method');
  const name = expectedName(method, params);
  if (name !== undefined) {
    const nameHeader = request.header('mcp-name');
    if (nameHeader === undefined) return mismatch('Mcp-Name header is required for this method');
    if (decodeHeaderValue(nameHeader) !== (typeof name === 'string' ? name : JSON.stringify(name)))
      return mismatch('Mcp-Name header does not match the body');
  }
  return method === 'tools/call' ? checkParamHeaders(request, server, params) : undefined;
}

type Classification = { request: ModernRequest } | { failure: Failure } | { request: undefined };

/**
 * Classifies the request: a missing `_meta` member is refused here with 400; any other envelope
 * error is left for the session to answer as JSON-RPC (`request` undefined), as on every transport.
 */
function classifyStateless(method: string, params: JsonObject): Classification {
  try {
    return { request: classifyRequest(method, params, { modernOnly: true }) as ModernRequest };
  } catch (error) {
    if (!(error instanceof EnvelopeError)) throw error;
    // A long progress token is reported first by the classifier; a missing member still takes 400.
    const missing = error.missing ? error : missingEnvelopeMember(metaOf(params));
    return missing === undefined
      ? { request: undefined }
      : { failure: { status: 400, code: missing.code, message: missing.message } };
  }
}

/** A transport that carries exactly one request in (when started) and its messages out. */
class OneShotTransport implements Transport {
  readonly #reply: Reply;
  readonly #message: JsonObject;
  readonly #id: RequestId;
  readonly #auth: RequestAuth | undefined;
  onmessage?: (value: unknown, extra?: MessageExtra) => void;
  onclose?: () => void;
  #closed = false;

  constructor(reply: Reply, message: JsonObject, id: RequestId, auth: RequestAuth | undefined) {
    this.#reply = reply;
    this.#message = message;
    this.#id = id;
    this.#auth = auth;
  }

  start(): Promise<void> {
    this.onmessage?.(this.#message, { auth: this.#auth });
    return Promise.resolve();
  }

  send(message: OutgoingMessage): Promise<void> {
    const final = !Array.isArray(message) && !('method' in message) && message.id === this.#id;
    this.#reply.deliver(message, final);
    if (final) void this.close();
    return Promise.resolve();
  }

  close(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#closed = true;
    this.onclose?.();
    return Promise.resolve();
  }
}

export async function handleStateless(
  request: Incoming,
  server: McpServer,
  body: unknown,
  accepts: Accepts,
  auth?: RequestAuth,
): Promise<Answer> {
  if (!isObject(body))
    return errorResponse(null, {
      status: 400,
      code: ErrorCode.InvalidRequest,
      message: 'Send exactly one JSON-RPC request per POST',
    });
  const { id, method } = body;
  // A body without a method is left to the connection, which answers malformed envelopes.
  let classified: ModernRequest | undefined;
  if (typeof method === 'string') {
    const params = isObject(body.params) ? body.params : {};
    const failure = checkHeaders(request, server, method, params);
    const classification = failure === undefined ? classifyStateless(method, params) : { failure };
    if ('failure' in classification)
      return errorResponse(
        typeof id === 'string' || typeof id === 'number' ? id : null,
        classification.failure,
      );
    classified = classification.request;
  }
  if (id === undefined || !('method' in body)) {
    // Notifications and responses have no meaning here in 2026-07-28; accept and drop them.
    return noBody(202);
  }
  const reply = new Reply({ accepts, statusFor: modernStatus });
  const transport = new OneShotTransport(reply, body, id as RequestId, auth);
  const connection = await server.connect(transport, { modernOnly: true, classified });
  if (request.signal.aborted) void connection.close();
  else if (!reply.finished)
    request.signal.addEventListener(
      'abort',
      () => {
        if (!reply.finished) void connection.close();
      },
      { once: true },
    );
  return reply.response;
}
