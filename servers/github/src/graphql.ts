/**
 * @module
 * GitHub's GraphQL API, reached through Octokit's `graphql` at the endpoint beside the configured
 * REST root (`/graphql`, or `/api/graphql` on GitHub Enterprise Server), so it shares the REST
 * path's guarded fetch, body cap, rate-limit handling, deadline and error mapping. Paging uses
 * GraphQL's own cursors, per item, so a page cut by the output budget resumes right after the
 * last item shown.
 */
import { ToolError } from '@plugboard/protocol';
import { call, type GithubContext } from './context.js';
import type { Paged } from './paging.js';
import { sizeOf } from './render.js';

/** A GraphQL connection as this server selects it: edges with their cursors. */
export interface Connection<T> {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: { cursor: string; node: T }[];
}

/** The page-info and edge selection of a {@link Connection} around `node`. */
export function connectionFields(node: string): string {
  return `totalCount pageInfo { hasNextPage endCursor } edges { cursor node { ${node} } }`;
}

/** A cursor argument, checked to look like one GitHub issued before it goes into a query. */
export function graphCursor(value: string | undefined): string | undefined {
  if (value !== undefined && !/^[A-Za-z0-9+/=_:.-]{1,200}$/.test(value))
    throw new ToolError(
      'cursor: not a cursor this tool returned; pass nextCursor exactly as given.',
    );
  return value;
}

/** The nodes that fit the budget, and the cursor after the last one shown. */
export function pageOf<T, R>(
  connection: Connection<T>,
  map: (node: T) => R,
  budget: number,
): Paged<R> {
  const items: R[] = [];
  let used = 0;
  let last: string | undefined;
  for (const edge of connection.edges) {
    const item = map(edge.node);
    used += sizeOf(item);
    if (used > budget && items.length > 0) break;
    items.push(item);
    last = edge.cursor;
  }
  const cut = items.length < connection.edges.length;
  if (cut && last !== undefined) return { items, truncated: true, nextCursor: last };
  if (connection.pageInfo.hasNextPage && connection.pageInfo.endCursor !== null)
    return { items, truncated: true, nextCursor: connection.pageInfo.endCursor };
  return { items, truncated: false };
}

/** Runs one GraphQL operation for this request (see {@link call}). */
export async function graphql<T>(
  ctx: GithubContext,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<T> {
  return call(ctx, (octokit, req) => octokit.graphql<T>(query, { ...variables, ...req }));
}

/**
 * A node id argument, checked before it is sent (as a variable, never inside the document):
 * GitHub's ids are base64, `PRRT_kwDO…` and `PVT_kwDO…` in the current format and plain base64
 * (`MDExOlB1bGxSZXF1ZXN0…`, which may hold `+` and `/`) for objects from before it, and every id
 * any tool returns must be one the other tools take.
 */
export function checkNodeId(value: string, field: string): string {
  if (!/^[A-Za-z0-9_=+/-]{1,200}$/.test(value))
    throw new ToolError(`${field}: not a GitHub node id (base64: letters, digits, "_-+/=").`);
  return value;
}
