/**
 * @module
 * Google as an upstream whose users connect their own accounts (hosted mode): the authorization
 * code flow with PKCE on the operator's web OAuth client, `access_type=offline` and
 * `prompt=consent` so that every connect brings a refresh token, the scopes of the tool groups
 * the operator turned on (`scopes.ts`). Codes and refresh tokens are exchanged at the token
 * endpoint (GDRIVE_TOKEN_URL), whose failures are RFC 6749 errors with HTTP 400
 * (`invalid_grant` for a revoked or expired grant); a refresh answer carries no new refresh
 * token. Disconnecting revokes the grant at the revocation endpoint beside the token endpoint
 * (`https://oauth2.googleapis.com/revoke`).
 */
import {
  TokenEndpointError,
  type UpstreamGrant,
  type UpstreamProvider,
} from '@plugboard/kit/accounts';
import { capBody } from '@plugboard/kit/upstream';

export interface GoogleProviderOptions {
  /** The consent page (`--auth-url`, GDRIVE_AUTH_URL). */
  readonly authorizeUrl: string;
  /** The token endpoint (`--token-url`, GDRIVE_TOKEN_URL). */
  readonly tokenUrl: string;
  /** The scopes of the enabled tool groups. */
  readonly scopes: readonly string[];
}

type Json = Readonly<Record<string, unknown>>;

/** OAuth error codes are short identifiers; anything else is not repeated. */
function errorCode(value: unknown): string {
  return typeof value === 'string' && /^[a-z0-9_.]{1,60}$/i.test(value)
    ? value
    : 'an unknown error';
}

/** Google's revocation endpoint: beside its token endpoint (`…/token` → `…/revoke`). */
export function revocationUrl(tokenUrl: string): string {
  return new URL('revoke', tokenUrl).href;
}

/** A token endpoint answer (for a code or a refresh) as a grant; an RFC 6749 error as a refusal. */
export function readGoogleGrant(body: Json, now = Date.now()): UpstreamGrant {
  // Refusals are `refused`: the kit then drops a grant whose refresh Google turned down.
  if (body.error !== undefined)
    throw new TokenEndpointError(`Google refused: ${errorCode(body.error)}`, true);
  const { access_token: accessToken, refresh_token: refreshToken, expires_in: expiresIn } = body;
  if (typeof accessToken !== 'string' || accessToken === '')
    throw new TokenEndpointError('Google answered without an access token', false);
  return {
    accessToken,
    ...(typeof refreshToken === 'string' && refreshToken !== '' ? { refreshToken } : {}),
    ...(typeof expiresIn === 'number' && Number.isFinite(expiresIn) && expiresIn > 0
      ? { expiresAt: now + expiresIn * 1000 }
      : {}),
    ...(typeof body.scope === 'string' && body.scope !== '' ? { scope: body.scope } : {}),
  };
}

export function googleProvider(options: GoogleProviderOptions): UpstreamProvider {
  const revokeUrl = revocationUrl(options.tokenUrl);
  return {
    id: 'google',
    title: 'Google',
    authorizationEndpoint: options.authorizeUrl,
    tokenEndpoint: options.tokenUrl,
    scopes: options.scopes,
    authorizeParameters: { access_type: 'offline', prompt: 'consent' },
    readGrant: (body) => readGoogleGrant(body),
    async revoke(grant, _client, signal) {
      // Revoking the refresh token ends the whole grant, its access tokens with it.
      const response = await fetch(revokeUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token: grant.refreshToken ?? grant.accessToken }).toString(),
        redirect: 'error',
        signal,
      });
      const body = (await capBody(response, { upstream: 'Google', maxBytes: 64 * 1024 }, signal)
        .json()
        .catch(() => undefined)) as Json | undefined;
      // invalid_token: the user removed the access already (or it expired): nothing is left.
      if (response.ok || errorCode(body?.error) === 'invalid_token') return;
      throw new TokenEndpointError(
        `Google did not revoke the grant (${body === undefined ? `HTTP ${response.status}` : errorCode(body.error)})`,
        false,
      );
    },
  };
}
