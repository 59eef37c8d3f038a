/**
 * @module
 * `@plugboard/kit/accounts`: in hosted mode each signed-in user acts upstream as themselves.
 * {@link createAccounts} gives a server one provider's {@link UpstreamAccounts} (the caller's
 * access token, asking them to connect their account first when needed) and the browser routes
 * of the connect flow. `defineServer` builds them for a server whose `parts.accounts` names a
 * provider, when it runs on `--transport http` with sign-in. Servers act through the sessions
 * of `@plugboard/kit/sessions`: the operator's one session, or each signed-in user's own.
 */
export { createAccounts, CONNECT_PREFIX, GRANT_TTL_MS } from './create-accounts.js';
export type { Accounts, AccountsOptions } from './create-accounts.js';
export type { OperatorIdentity } from './operator-sign-in.js';
export type { RecordLimits } from './records.js';
export { readGrant } from './token-endpoint.js';
export { TokenEndpointError } from './errors.js';
export type { UpstreamAccounts, UpstreamClient, UpstreamGrant, UpstreamProvider } from './types.js';
