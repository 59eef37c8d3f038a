/**
 * @module
 * One HTTP request as the endpoint reads it, whatever carried it: a WHATWG `Request` (`web.ts`)
 * or a `node:http` `IncomingMessage` (`node.ts`). The endpoint asks only for what it needs (a
 * few headers, the body up to a limit, whether the client is still there), so an adapter never
 * has to build objects the request does not use.
 */

/** The body's bytes, or why there are none: past the limit, or the client broke off. */
export type BodyBytes =
  { kind: 'bytes'; bytes: Uint8Array } | { kind: 'too-large' } | { kind: 'unreadable' };

export interface Incoming {
  readonly method: string;
  /** The request target: a path with its query (`/mcp?x=1`), or a whole URL. */
  readonly url: string;
  /** A header by lower-case name, repeated headers joined by `, `; undefined when absent. */
  header(name: string): string | undefined;
  /** Reads the body; past `limit` bytes it stops keeping them, discards the rest and says so. */
  body(limit: number): Promise<BodyBytes>;
  /** Aborts when the client goes away before its answer is complete. */
  readonly signal: AbortSignal;
}
