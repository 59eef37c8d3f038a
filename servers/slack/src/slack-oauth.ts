/**
 * @module
 * Slack as an upstream whose users connect their own accounts (hosted mode): OAuth v2 with
 * `user_scope`, so each user gets a user token (`xoxp-`) and acts as themselves; the code and
 * refresh exchanges are the Web API method `oauth.v2.access` under SLACK_API_URL, which answers
 * failures with HTTP 200 and `ok: false`, puts the user token under `authed_user` (top level on
 * a refresh, `token_type: "user"`), and adds `refresh_token` and `expires_in` when the app turned
 * token rotation on. Disconnecting revokes the token with `auth.revoke`.
 */
import {
  TokenEndpointError,
  type UpstreamGrant,
  type UpstreamProvider,
} from '@plugboard/kit/accounts';
import { capBody } from '@plugboard/kit/upstream';

/** Slack's consent page; Enterprise Grid and tests set their own (`--oauth-url`). */
export const DEFAULT_OAUTH_URL = 'https://slack.com/oauth/v2/authorize';

/** Where the server's Slack app sends people back: the kit's callback, on this server. */
export interface SlackProviderOptions {
  /** The consent page (`--oauth-url`, SLACK_OAUTH_URL). */
  readonly authorizeUrl: string;
  /** The Web API root (`--api-url`, SLACK_API_URL), ending in "/". */
  readonly apiUrl: string;
  /** The user-token scopes of the offered tools (see `scopes.ts`). */
  readonly scopes: readonly string[];
}

type Json = Readonly<Record<string, unknown>>;

function objectAt(body: Json, key: string): Json | undefined {
  const value = body[key];
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Json)
    : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Slack's error codes are short snake_case words; anything else is not repeated. */
function errorCode(value: unknown): string {
  return typeof value === 'string' && /^[a-z0-9_.]{1,60}$/.test(value) ? value : 'an unknown error';
}

/**
 * An `oauth.v2.access` answer as a grant of the user token: from `authed_user` after the code
 * exchange, from the top level after a refresh of a user token. A bot-only answer is refused:
 * this server acts as the person, never as a bot shared by everyone.
 */
export function readSlackGrant(body: Json, now = Date.now()): UpstreamGrant {
  // Refusals are `refused`: the kit then drops a grant whose refresh Slack turned down.
  if (body.ok !== true)
    throw new TokenEndpointError(`Slack refused: ${errorCode(body.error)}`, true);
  const authed = objectAt(body, 'authed_user');
  const source = text(authed?.access_token) !== undefined ? authed! : body;
  const accessToken = text(source.access_token);
  if (accessToken === undefined || (source === body && body.token_type !== 'user'))
    throw new TokenEndpointError(
      'Slack granted no user token: the Slack app must list user token scopes under OAuth & Permissions',
      true,
    );
  const refreshToken = text(source.refresh_token);
  const expiresIn = source.expires_in;
  const user = text(authed?.id) ?? text(body.user_id);
  const team = text(objectAt(body, 'team')?.id) ?? text(body.team_id);
  const scope = text(source.scope);
  return {
    accessToken,
    ...(refreshToken === undefined ? {} : { refreshToken }),
    ...(typeof expiresIn === 'number' && Number.isFinite(expiresIn) && expiresIn > 0
      ? { expiresAt: now + expiresIn * 1000 }
      : {}),
    ...(scope === undefined ? {} : { scope }),
    ...(user === undefined ? {} : { account: team === undefined ? user : `${user}@${team}` }),
  };
}

/** Errors of `auth.revoke` that mean the token is gone already. */
const ALREADY_GONE = new Set([
  'invalid_auth',
  'token_revoked',
  'token_expired',
  'account_inactive',
]);

export function slackProvider(options: SlackProviderOptions): UpstreamProvider {
  return {
    id: 'slack',
    title: 'Slack',
    authorizationEndpoint: options.authorizeUrl,
    tokenEndpoint: `${options.apiUrl}oauth.v2.access`,
    scopes: options.scopes,
    scopeSeparator: ',',
    scopeParameter: 'user_scope',
    readGrant: (body) => readSlackGrant(body),
    async revoke(grant, _client, signal) {
      const response = await fetch(`${options.apiUrl}auth.revoke`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${grant.accessToken}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: '',
        redirect: 'error',
        signal,
      });
      const body = (await capBody(response, { upstream: 'Slack', maxBytes: 64 * 1024 }, signal)
        .json()
        .catch(() => undefined)) as Json | undefined;
      if (body?.ok === true || ALREADY_GONE.has(errorCode(body?.error))) return;
      throw new TokenEndpointError(
        `Slack did not revoke the token (${body === undefined ? `HTTP ${response.status}` : errorCode(body.error)})`,
        false,
      );
    },
  };
}
