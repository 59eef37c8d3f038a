/**
 * @module
 * `@plugboard/kit/sessions`: whom a server's upstream calls act as. The operator's one session on
 * stdio, or each signed-in user's own in hosted mode with per-user accounts. A subpath apart from
 * `@plugboard/kit/accounts` (the connect flow, its pages and the HTTP routes) so that a server's
 * start-up imports these few functions and nothing of the flow.
 */
export { accountSessions, operatorSessions } from '../accounts/sessions.js';
export type { Session, UpstreamSessions } from '../accounts/sessions.js';
export { DEFAULT_MAX_USER_CLIENTS, UserClients } from '../accounts/user-clients.js';
