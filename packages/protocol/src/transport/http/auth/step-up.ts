/**
 * @module
 * The step-up answer (MCP authorization, "scope challenge handling"; RFC 6750 section 3.1): a
 * signed-in caller whose token lacks the write scope that POSTs a `tools/call` of a tool only
 * that scope allows is answered 403 `insufficient_scope`, with the scopes to ask for in
 * `WWW-Authenticate`, before the call reaches the server. Which tools those are is the
 * server's own selection ({@link McpServer.toolsFor}), never a second rule here.
 */
import { isObject } from '../../../jsonrpc/message.js';
import type { RequestAuth } from '../../../mcp/auth.js';
import type { McpServer } from '../../../mcp/server.js';
import type { GuardFailure } from '../answer.js';
import type { Incoming } from '../incoming.js';
import type { ResolvedHttpOptions } from '../options.js';
import { challenge } from './metadata.js';

/** The names of the tools a POSTed message (or batch) calls. */
function calledTools(body: unknown): string[] {
  return (Array.isArray(body) ? body : [body]).flatMap((message) =>
    isObject(message) &&
    message.method === 'tools/call' &&
    isObject(message.params) &&
    typeof message.params.name === 'string'
      ? [message.params.name]
      : [],
  );
}

/** 403 when `body` calls a tool that only the write scope `auth` lacks would allow. */
export function checkWriteScope(
  request: Incoming,
  options: ResolvedHttpOptions,
  server: McpServer,
  body: unknown,
  auth: RequestAuth | undefined,
): GuardFailure | undefined {
  const scope = auth?.missingWriteScope;
  if (scope === undefined) return undefined;
  const allowed = server.toolsFor(auth);
  const every = server.toolsFor(undefined);
  const refused = calledTools(body).find(
    (name) => allowed.get(name) === undefined && every.get(name) !== undefined,
  );
  if (refused === undefined) return undefined;
  const message = `The tool ${refused.slice(0, 100)} needs the scope ${scope}`;
  return {
    status: 403,
    message,
    headers: {
      'WWW-Authenticate': challenge(request, options, {
        error: 'insufficient_scope',
        description: message,
        scopes: [...new Set([...(options.signIn?.requiredScopes ?? []), scope])],
      }),
    },
  };
}
