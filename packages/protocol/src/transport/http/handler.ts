/**
 * @module
 * The Streamable HTTP endpoint, `(request: Incoming) => Promise<Answer>`: `/mcp` for both
 * protocol generations, `/healthz`, RFC 9728 metadata, and the server's own browser routes. Guards run first (Host, Origin,
 * token), then media types, then the body; only then is a request routed: 2026-07-28 requests
 * (modern `_meta` or version header) statelessly, everything else through a handshake-era
 * session. It speaks neither runtime's objects: `web.ts` mounts it as
 * `(request: Incoming) => Promise<Answer>`, `node.ts` on `node:http`.
 */
import { ErrorCode } from '../../jsonrpc/error-code.js';
import { MAX_BATCH_MESSAGES } from '../../jsonrpc/connection.js';
import { classify, isObject, isRequestId } from '../../jsonrpc/message.js';
import type { Logger } from '../../log.js';
import { eraOf, metaOf } from '../../mcp/eras/classify.js';
import { acceptsBatches, isHandshakeVersion, isModernVersion } from '../../mcp/eras/versions.js';
import type { McpServer } from '../../mcp/server.js';
import { StoreError } from '../../store/store.js';
import { jsonAnswer, noBody, plainError, refusal, type Answer } from './answer.js';
import type { Authenticator, RequestAuth } from './auth/access-token.js';
import { checkWriteScope } from './auth/step-up.js';
import { isMetadataPath, protectedResourceMetadata } from './auth/metadata.js';
import { checkAuth, checkHost, checkOrigin } from './guard.js';
import type { Incoming } from './incoming.js';
import type { ResolvedHttpOptions } from './options.js';
import type { HttpRoutes } from './routes.js';
import { isJsonContentType, parseAccept, readBody, type Accepts } from './request.js';
import type { HttpSession, SessionStore } from './sessions.js';
import { handleStateless } from './stateless.js';

/** The Streamable HTTP endpoint, before any runtime's request and response objects. */
export type HttpEndpoint = (request: Incoming) => Promise<Answer>;

/** The path of a request URL, without parsing the whole URL. */
function pathOf(url: string): string {
  const authority = url.indexOf('//');
  const start = url.indexOf('/', authority === -1 ? 0 : authority + 2);
  if (start === -1) return '/';
  const end = url.indexOf('?', start);
  return end === -1 ? url.slice(start) : url.slice(start, end);
}

function isModern(request: Incoming, body: unknown): boolean {
  const meta = isObject(body) && isObject(body.params) ? metaOf(body.params) : undefined;
  return (
    eraOf(meta, undefined, { versionHeader: request.header('mcp-protocol-version') }) === 'modern'
  );
}

export interface HandlerDeps {
  server: McpServer;
  sessions: SessionStore;
  options: ResolvedHttpOptions;
  logger: Logger;
  /** Sign-in, when configured: every MCP request passes it before it is routed. */
  authenticate?: Authenticator | undefined;
}

export function createHttpEndpoint(deps: HandlerDeps): HttpEndpoint {
  return async (request) => {
    try {
      return await handle(deps, request);
    } catch (error) {
      if (error instanceof StoreError) {
        deps.logger.warn('shared store unavailable', { error: error.message });
        return plainError(503, 'The session store is unavailable; try again shortly');
      }
      deps.logger.error('http request failed', {
        error: error instanceof Error ? error.message : String(error),
      });
      return plainError(500, 'Internal error', {}, ErrorCode.InternalError);
    }
  };
}

function handle(deps: HandlerDeps, request: Incoming): Promise<Answer> | Answer {
  const { options } = deps;
  const path = pathOf(request.url);
  const hostFailure = checkHost(request, options);
  if (hostFailure !== undefined) return refusal(hostFailure);
  if (path === '/healthz' && request.method === 'GET') return jsonAnswer(200, '{"status":"ok"}');
  if (isMetadataPath(path, options)) return protectedResourceMetadata(request, options);
  const { routes } = options;
  if (routes !== undefined && path.startsWith(routes.prefix)) return routed(routes, request, path);
  if (path !== '/mcp') return plainError(404, 'Not found; the MCP endpoint is /mcp');
  const failure = checkOrigin(request, options) ?? checkAuth(request, options);
  if (failure !== undefined) return refusal(failure);
  if (deps.authenticate === undefined) return route(deps, request, undefined);
  return deps
    .authenticate(request)
    .then((outcome) =>
      outcome.ok ? route(deps, request, outcome.auth) : refusal(outcome.failure),
    );
}

/** A browser's request to one of the server's own routes: GET only, no MCP token asked for. */
function routed(routes: HttpRoutes, request: Incoming, path: string): Promise<Answer> | Answer {
  if (request.method !== 'GET') return noBody(405, { Allow: 'GET' });
  const query = request.url.indexOf('?');
  return routes.handle({
    path,
    query: new URLSearchParams(query === -1 ? '' : request.url.slice(query + 1)),
    header: (name) => request.header(name),
    signal: request.signal,
  });
}

/** `auth`: the signed-in caller, undefined without sign-in. */
function route(
  deps: HandlerDeps,
  request: Incoming,
  auth: RequestAuth | undefined,
): Promise<Answer> | Answer {
  switch (request.method) {
    case 'POST':
      return post(deps, request, auth);
    case 'GET':
      return get(deps, request, auth);
    case 'DELETE':
      return remove(deps, request, auth);
    default:
      return noBody(405, { Allow: 'GET, POST, DELETE' });
  }
}

async function post(
  deps: HandlerDeps,
  request: Incoming,
  auth: RequestAuth | undefined,
): Promise<Answer> {
  // Media types before the body: a text/plain form post (the DNS-rebinding classic) never gets parsed.
  if (!isJsonContentType(request.header('content-type')))
    return plainError(415, 'Content-Type must be application/json');
  const accepts = parseAccept(request.header('accept'));
  if (!accepts.json && !accepts.sse)
    return plainError(406, 'Accept must include application/json and text/event-stream');
  const body = await readBody(request, deps.options.maxBodyBytes);
  if (!body.ok) return plainError(body.status, body.message);
  let value: unknown;
  try {
    value = JSON.parse(body.text);
  } catch {
    return plainError(400, 'Parse error: body is not valid JSON', {}, ErrorCode.ParseError);
  }
  const scopeFailure = checkWriteScope(request, deps.options, deps.server, value, auth);
  if (scopeFailure !== undefined) return refusal(scopeFailure);
  if (Array.isArray(value)) return postBatch(deps, request, value, accepts, auth);
  if (isModern(request, value)) return handleStateless(request, deps.server, value, accepts, auth);
  return postToSession(deps, request, value, accepts, auth);
}

async function postToSession(
  deps: HandlerDeps,
  request: Incoming,
  value: unknown,
  accepts: Accepts,
  auth: RequestAuth | undefined,
): Promise<Answer> {
  const sessionId = request.header('mcp-session-id');
  const message = isObject(value) ? value : {};
  let session;
  if (sessionId === undefined) {
    if (message.method !== 'initialize')
      return plainError(
        400,
        'Missing Mcp-Session-Id header; send initialize first to open a session',
      );
    session = await deps.sessions.create(deps.server, auth);
  } else {
    session = await deps.sessions.find(deps.server, sessionId, auth);
    if (session === undefined)
      return plainError(404, 'Session not found; send initialize to open a new one');
    const version = request.header('mcp-protocol-version');
    if (version !== undefined && !isHandshakeVersion(version.trim()))
      return plainError(400, `Unsupported MCP-Protocol-Version: ${version.slice(0, 40)}`);
  }
  const id = message.id;
  if (typeof message.method === 'string' && isRequestId(id)) {
    const reply = session.openReply([id], accepts);
    session.receive(value, auth);
    return answered(session, reply.response);
  }
  // Notifications and responses (to server-to-client requests): accepted, no body.
  session.receive(value, auth);
  return noBody(202, { 'Mcp-Session-Id': session.id });
}

/**
 * The answer once what the request changed is in the shared store: the client's next request
 * may land on another instance, which must find the session as this one left it.
 */
async function answered(session: HttpSession, response: Promise<Answer>): Promise<Answer> {
  const answer = await response;
  await session.flushed();
  return answer;
}

/**
 * A JSON-RPC batch, which only a session at revision 2025-03-26 takes (`initialize` is never
 * batched). Its requests share one reply, which ends with the array of their answers.
 */
async function postBatch(
  deps: HandlerDeps,
  request: Incoming,
  batch: unknown[],
  accepts: Accepts,
  auth: RequestAuth | undefined,
): Promise<Answer> {
  const sessionId = request.header('mcp-session-id');
  const session =
    sessionId === undefined ? undefined : await deps.sessions.find(deps.server, sessionId, auth);
  if (sessionId !== undefined && session === undefined)
    return plainError(404, 'Session not found; send initialize to open a new one');
  if (session === undefined || !acceptsBatches(session.connection?.protocolVersion))
    return plainError(
      400,
      'Batches are accepted only in sessions at protocol revision 2025-03-26: send one JSON-RPC message per request',
    );
  if (batch.length > MAX_BATCH_MESSAGES)
    return plainError(400, `A batch holds at most ${MAX_BATCH_MESSAGES} messages`);
  const elements = batch.map(classify);
  const ids = elements.flatMap((element) =>
    element.kind === 'request' ? [element.message.id] : [],
  );
  if (ids.length === 0) {
    // Only notifications and responses take 202; anything else malformed refuses the whole POST.
    if (batch.length === 0 || elements.some((element) => element.kind === 'invalid'))
      return plainError(400, 'The batch is empty or holds an invalid message');
    session.receive(batch, auth);
    return noBody(202, { 'Mcp-Session-Id': session.id });
  }
  const reply = session.openReply(ids, accepts);
  session.receive(batch, auth);
  return answered(session, reply.response);
}

async function get(
  deps: HandlerDeps,
  request: Incoming,
  auth: RequestAuth | undefined,
): Promise<Answer> {
  if (!parseAccept(request.header('accept')).sse)
    return plainError(406, 'Accept must include text/event-stream');
  const sessionId = request.header('mcp-session-id');
  if (sessionId === undefined) {
    if (isModernVersion(request.header('mcp-protocol-version')?.trim()))
      return noBody(405, { Allow: 'POST' });
    return plainError(400, 'Missing Mcp-Session-Id header');
  }
  const session = await deps.sessions.find(deps.server, sessionId, auth);
  if (session === undefined) return plainError(404, 'Session not found');
  const lastEventId = request.header('last-event-id');
  if (lastEventId !== undefined) {
    if (lastEventId.length > 200 || /[\r\n]/.test(lastEventId))
      return plainError(400, 'Malformed Last-Event-ID');
    const local = session.resume(lastEventId.trim());
    // A stream this instance never held may be one another instance wrote.
    const outcome = local === 'unknown' ? await session.resumeShared(lastEventId.trim()) : local;
    if (outcome === 'unknown') return plainError(400, 'Unknown Last-Event-ID for this session');
    if (outcome === 'busy') return plainError(409, 'That stream is already connected');
    return outcome;
  }
  return session.openStandalone() ?? plainError(409, 'This session already has a GET stream');
}

async function remove(
  deps: HandlerDeps,
  request: Incoming,
  auth: RequestAuth | undefined,
): Promise<Answer> {
  const sessionId = request.header('mcp-session-id');
  if (sessionId === undefined) return noBody(405, { Allow: 'POST' });
  if (
    (await deps.sessions.find(deps.server, sessionId, auth)) === undefined ||
    !(await deps.sessions.delete(sessionId))
  )
    return plainError(404, 'Session not found');
  return noBody(200);
}
