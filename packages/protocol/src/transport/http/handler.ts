/**
 * @module
 * The HTTP request handler: `/mcp` for both protocol generations, `/healthz`, and RFC 9728
 * metadata. Guards run first (Host, Origin, token), then media types, then the body; only then is
 * a request routed: 2026-07-28 requests (modern `_meta` or version header) statelessly,
 * everything else through a handshake-era session.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ErrorCode } from '../../jsonrpc/error-code.js';
import { MAX_BATCH_MESSAGES } from '../../jsonrpc/connection.js';
import { classify, isObject, isRequestId } from '../../jsonrpc/message.js';
import type { Logger } from '../../log.js';
import { eraOf, metaOf } from '../../mcp/eras/classify.js';
import { acceptsBatches, isHandshakeVersion, isModernVersion } from '../../mcp/eras/versions.js';
import type { McpServer } from '../../mcp/server.js';
import {
  checkAuth,
  checkHost,
  checkOrigin,
  checkRepeatedHeaders,
  type GuardFailure,
} from './guard.js';
import type { ResolvedHttpOptions } from './options.js';
import { header, isJsonContentType, parseAccept, readBody } from './request.js';
import type { SessionStore } from './sessions.js';
import { handleStateless } from './stateless.js';

function plainError(
  response: ServerResponse,
  status: number,
  message: string,
  headers: Record<string, string> = {},
  code: number = ErrorCode.InvalidRequest,
): void {
  if (response.headersSent) return;
  response.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  response.end(JSON.stringify({ jsonrpc: '2.0', id: null, error: { code, message } }));
}

function refuse(response: ServerResponse, failure: GuardFailure): void {
  plainError(response, failure.status, failure.message, failure.headers);
}

function isModern(request: IncomingMessage, body: unknown): boolean {
  const meta = isObject(body) && isObject(body.params) ? metaOf(body.params) : undefined;
  return (
    eraOf(meta, undefined, { versionHeader: header(request, 'mcp-protocol-version') }) === 'modern'
  );
}

export interface HandlerDeps {
  server: McpServer;
  sessions: SessionStore;
  options: ResolvedHttpOptions;
  logger: Logger;
}

export function createHttpHandler(
  deps: HandlerDeps,
): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => {
    handle(deps, request, response).catch((error: unknown) => {
      deps.logger.error('http request failed', {
        error: error instanceof Error ? error.message : String(error),
      });
      plainError(response, 500, 'Internal error', {}, ErrorCode.InternalError);
    });
  };
}

async function handle(
  deps: HandlerDeps,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const { options } = deps;
  const path = (request.url ?? '/').split('?', 1)[0]!;
  const hostFailure = checkRepeatedHeaders(request) ?? checkHost(request, options);
  if (hostFailure !== undefined) return refuse(response, hostFailure);
  if (path === '/healthz' && request.method === 'GET') {
    response.writeHead(200, { 'Content-Type': 'application/json' }).end('{"status":"ok"}');
    return;
  }
  if (
    path === '/.well-known/oauth-protected-resource' ||
    path === '/.well-known/oauth-protected-resource/mcp'
  ) {
    return protectedResourceMetadata(request, response, options);
  }
  if (path !== '/mcp') return plainError(response, 404, 'Not found; the MCP endpoint is /mcp');
  const failure = checkOrigin(request, options) ?? checkAuth(request, options);
  if (failure !== undefined) return refuse(response, failure);
  switch (request.method) {
    case 'POST':
      return post(deps, request, response);
    case 'GET':
      return get(deps, request, response);
    case 'DELETE':
      return remove(deps, request, response);
    default:
      response.writeHead(405, { Allow: 'GET, POST, DELETE' }).end();
  }
}

function protectedResourceMetadata(
  request: IncomingMessage,
  response: ServerResponse,
  options: ResolvedHttpOptions,
): void {
  if (options.authorizationServers.length === 0)
    return plainError(response, 404, 'No authorization server is configured');
  const base = options.publicUrl ?? `http://${request.headers.host ?? ''}`;
  response.writeHead(200, { 'Content-Type': 'application/json' });
  response.end(
    JSON.stringify({
      resource: `${base}/mcp`,
      authorization_servers: options.authorizationServers,
      bearer_methods_supported: ['header'],
    }),
  );
}

async function post(
  deps: HandlerDeps,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  // Media types before the body: a text/plain form post (the DNS-rebinding classic) never gets parsed.
  if (!isJsonContentType(header(request, 'content-type'))) {
    request.resume();
    return plainError(response, 415, 'Content-Type must be application/json');
  }
  const accepts = parseAccept(header(request, 'accept'));
  if (!accepts.json && !accepts.sse) {
    request.resume();
    return plainError(response, 406, 'Accept must include application/json and text/event-stream');
  }
  const body = await readBody(request, deps.options.maxBodyBytes);
  if (!body.ok) return plainError(response, body.status, body.message);
  let value: unknown;
  try {
    value = JSON.parse(body.text);
  } catch {
    return plainError(
      response,
      400,
      'Parse error: body is not valid JSON',
      {},
      ErrorCode.ParseError,
    );
  }
  if (Array.isArray(value)) return postBatch(deps, request, response, value, accepts);
  if (isModern(request, value))
    return handleStateless(request, response, deps.server, value, accepts);
  return postToSession(deps, request, response, value, accepts);
}

async function postToSession(
  deps: HandlerDeps,
  request: IncomingMessage,
  response: ServerResponse,
  value: unknown,
  accepts: ReturnType<typeof parseAccept>,
): Promise<void> {
  const sessionId = header(request, 'mcp-session-id');
  const message = isObject(value) ? value : {};
  const isInitialize = message.method === 'initialize';
  let session;
  if (sessionId === undefined) {
    if (!isInitialize)
      return plainError(
        response,
        400,
        'Missing Mcp-Session-Id header; send initialize first to open a session',
      );
    session = await deps.sessions.create(deps.server);
  } else {
    session = deps.sessions.get(sessionId);
    if (session === undefined)
      return plainError(response, 404, 'Session not found; send initialize to open a new one');
    const version = header(request, 'mcp-protocol-version');
    if (version !== undefined && !isHandshakeVersion(version.trim())) {
      return plainError(response, 400, `Unsupported MCP-Protocol-Version: ${version.slice(0, 40)}`);
    }
  }
  const id = message.id;
  if (typeof message.method === 'string' && isRequestId(id)) {
    session.openReply([id], response, accepts);
    session.transport.onmessage?.(value);
    return;
  }
  // Notifications and responses (to server-to-client requests): accepted, no body.
  session.transport.onmessage?.(value);
  response.writeHead(202, { 'Mcp-Session-Id': session.id }).end();
}

/**
 * A JSON-RPC batch, which only a session at revision 2025-03-26 takes (`initialize` is never
 * batched). Its requests share one reply, which ends with the array of their answers.
 */
async function postBatch(
  deps: HandlerDeps,
  request: IncomingMessage,
  response: ServerResponse,
  batch: unknown[],
  accepts: ReturnType<typeof parseAccept>,
): Promise<void> {
  const sessionId = header(request, 'mcp-session-id');
  const session = sessionId === undefined ? undefined : deps.sessions.get(sessionId);
  if (sessionId !== undefined && session === undefined)
    return plainError(response, 404, 'Session not found; send initialize to open a new one');
  if (session === undefined || !acceptsBatches(session.connection?.protocolVersion))
    return plainError(
      response,
      400,
      'Batches are accepted only in sessions at protocol revision 2025-03-26: send one JSON-RPC message per request',
    );
  if (batch.length > MAX_BATCH_MESSAGES)
    return plainError(response, 400, `A batch holds at most ${MAX_BATCH_MESSAGES} messages`);
  const elements = batch.map(classify);
  const ids = elements.flatMap((element) =>
    element.kind === 'request' ? [element.message.id] : [],
  );
  if (ids.length === 0) {
    // Only notifications and responses take 202; anything else malformed refuses the whole POST.
    if (batch.length === 0 || elements.some((element) => element.kind === 'invalid'))
      return plainError(response, 400, 'The batch is empty or holds an invalid message');
    session.transport.onmessage?.(batch);
    response.writeHead(202, { 'Mcp-Session-Id': session.id }).end();
    return;
  }
  session.openReply(ids, response, accepts);
  session.transport.onmessage?.(batch);
  await Promise.resolve();
}

async function get(
  deps: HandlerDeps,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  if (!parseAccept(header(request, 'accept')).sse)
    return plainError(response, 406, 'Accept must include text/event-stream');
  const sessionId = header(request, 'mcp-session-id');
  if (sessionId === undefined) {
    if (isModernVersion(header(request, 'mcp-protocol-version')?.trim())) {
      response.writeHead(405, { Allow: 'POST' }).end();
      return;
    }
    return plainError(response, 400, 'Missing Mcp-Session-Id header');
  }
  const session = deps.sessions.get(sessionId);
  if (session === undefined) return plainError(response, 404, 'Session not found');
  const lastEventId = header(request, 'last-event-id');
  if (lastEventId !== undefined) {
    if (lastEventId.length > 200 || /[\r\n]/.test(lastEventId))
      return plainError(response, 400, 'Malformed Last-Event-ID');
    const outcome = session.resume(lastEventId.trim(), response);
    if (outcome === 'unknown')
      return plainError(response, 400, 'Unknown Last-Event-ID for this session');
    if (outcome === 'busy') return plainError(response, 409, 'That stream is already connected');
    return;
  }
  if (!session.openStandalone(response))
    return plainError(response, 409, 'This session already has a GET stream');
  await Promise.resolve();
}

async function remove(
  deps: HandlerDeps,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const sessionId = header(request, 'mcp-session-id');
  if (sessionId === undefined) {
    response.writeHead(405, { Allow: 'POST' }).end();
    return;
  }
  if (!(await deps.sessions.delete(sessionId)))
    return plainError(response, 404, 'Session not found');
  response.writeHead(200).end();
}
