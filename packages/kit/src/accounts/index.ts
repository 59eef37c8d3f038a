/**
 * @module
 * `@plugboard/kit/accounts`: each signed-in user acting upstream as themselves. The contract
 * between the kit and the servers ({@link UpstreamProvider}, {@link UpstreamAccounts}) and the
 * per-user client cache servers keep in hosted mode.
 */
export type { UpstreamAccounts, UpstreamClient, UpstreamGrant, UpstreamProvider } from './types.js';
export { DEFAULT_MAX_USER_CLIENTS, UserClients } from './user-clients.js';
