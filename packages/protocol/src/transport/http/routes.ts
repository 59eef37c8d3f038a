/**
 * @module
 * Routes a server adds beside `/mcp` for a browser (the connect flow of upstream accounts):
 * GET requests under one fixed prefix, checked by the Host guard but not by the MCP bearer
 * check, since a browser following a link carries no MCP token. They answer pages and
 * redirects ({@link htmlAnswer}, {@link redirectAnswer}).
 */
import type { Answer } from './answer.js';

/** One browser request under the routes' prefix, as the route handler reads it. */
export interface RouteRequest {
  /** The path, starting with the prefix: `/connect/github/callback`. */
  readonly path: string;
  readonly query: URLSearchParams;
  /** A header by lower-case name; undefined when absent. */
  header(name: string): string | undefined;
  /** Aborts when the browser goes away. */
  readonly signal: AbortSignal;
}

export interface HttpRoutes {
  /** Where the routes live: a path starting and ending with `/`, e.g. `/connect/`. */
  readonly prefix: string;
  /** Answers one GET under the prefix; a failure it does not answer itself becomes a 500. */
  handle(request: RouteRequest): Promise<Answer>;
}

/** Throws when `routes` could shadow what the endpoint itself serves. */
export function checkRoutes(routes: HttpRoutes): void {
  const { prefix } = routes;
  if (!/^\/[a-z0-9-]+\/$/.test(prefix))
    throw new Error(`Route prefix must look like /name/, got "${prefix.slice(0, 80)}"`);
  if (prefix === '/mcp/' || prefix === '/.well-known/' || prefix === '/healthz/')
    throw new Error(`Route prefix ${prefix} is the endpoint's own`);
}
