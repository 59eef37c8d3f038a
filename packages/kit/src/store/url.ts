/**
 * @module
 * How a store URL may be shown in logs and errors: never with its user or password.
 */
/** `redis://host:port/db` without user or password: what errors and logs may show. */
export function describeStoreUrl(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname === '/' ? '' : url.pathname}`;
}
