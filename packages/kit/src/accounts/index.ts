/**
 * @module
 * `@plugboard/kit/accounts`: each signed-in user acting upstream as themselves. The contract
 * between the kit and the servers ({@link UpstreamProvider}, {@link UpstreamAccounts}) and the
 * sessions servers act through: the operator's, or each signed-in user's own (per-user clients
 * in a bounded cache keyed by a hash).
 */
export type { UpstreamAccounts, UpstreamClient, UpstreamGrant, UpstreamProvider } from './types.js';
export { accountSessions, operatorSessions } from './sessions.js';
export type { Session, UpstreamSessions } from './sessions.js';
export { DEFAULT_MAX_USER_CLIENTS, UserClients } from './user-clients.js';
