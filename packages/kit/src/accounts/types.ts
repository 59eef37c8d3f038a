/**
 * @module
 * The contract between the kit's upstream accounts and the servers that use them: an
 * {@link UpstreamProvider} says how one service (GitHub, Slack, Google) runs the OAuth 2.0
 * authorization code flow with PKCE; {@link UpstreamAccounts} is what a server's handlers hold in
 * hosted mode, so that each signed-in user acts upstream as themselves, never with the MCP
 * access token and never with another user's grant.
 */
import type { RequestContext } from '@plugboard/protocol';

/** One upstream service whose users connect their own accounts. */
export interface UpstreamProvider {
  /** Path segment of the connect routes and namespace in the store: `github`, `slack`, `google`. */
  readonly id: string;
  /** The service's name for people: `GitHub`. */
  readonly title: string;
  /** Where the user's browser is sent to grant access. */
  readonly authorizationEndpoint: string;
  /** Where the code (and later a refresh token) is exchanged, with the operator's client credentials. */
  readonly tokenEndpoint: string;
  /** Scopes asked for. */
  readonly scopes: readonly string[];
  /** How the scopes are joined in the authorize URL (GitHub and Slack take commas). Default `' '`. */
  readonly scopeSeparator?: string;
  /** The authorize URL's parameter for the scopes (Slack's user scopes: `user_scope`). Default `scope`. */
  readonly scopeParameter?: string;
  /** Further authorize URL parameters (Google: `access_type=offline`, `prompt=consent`). */
  readonly authorizeParameters?: Readonly<Record<string, string>>;
  /**
   * Reads the token endpoint's JSON answer (for the code and for a refresh) into a grant, or
   * throws with a message for people. Default: the RFC 6749 fields (`access_token`,
   * `refresh_token`, `expires_in`, `scope`), and `error`/`error_description` as a failure.
   * Slack answers `ok: false` with status 200 and nests a user token under `authed_user`.
   */
  readonly readGrant?: (body: Readonly<Record<string, unknown>>) => UpstreamGrant;
  /** Called on disconnect to revoke the grant upstream, when the service has such an endpoint. */
  readonly revoke?: (
    grant: UpstreamGrant,
    client: UpstreamClient,
    signal: AbortSignal,
  ) => Promise<void>;
}

/** The operator's OAuth client at the provider (env, never argv). */
export interface UpstreamClient {
  readonly clientId: string;
  readonly clientSecret: string;
}

/** What the provider granted one user. Stored encrypted; never logged, never sent to the MCP client. */
export interface UpstreamGrant {
  readonly accessToken: string;
  readonly refreshToken?: string;
  /** Milliseconds since the epoch; absent when the token does not expire. */
  readonly expiresAt?: number;
  /** The scopes granted, as the provider wrote them. */
  readonly scope?: string;
  /** The upstream account for people (a login, a user id), never a secret. */
  readonly account?: string;
}

/** What a server's handlers hold in hosted mode, one per provider. */
export interface UpstreamAccounts {
  readonly provider: UpstreamProvider;
  /**
   * The signed-in caller's access token at the provider, refreshed when it is about to expire.
   * When the caller has not connected an account yet, asks them to (a URL-mode elicitation,
   * or the `-32042` error where the client cannot take one) and resolves once they have.
   * Throws a `ToolError` naming what to do when there is no signed-in caller or the user declines.
   */
  accessToken(ctx: RequestContext): Promise<string>;
  /** Forgets the caller's grant (revoking it upstream when the provider can); false when there was none. */
  disconnect(ctx: RequestContext): Promise<boolean>;
}
