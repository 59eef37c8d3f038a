/**
 * @module
 * The GitHub fake's OAuth app, in GitHub's wire format: `GET /login/oauth/authorize` approves at
 * once as {@link FakeOAuth.approveAs} and redirects back with a code and the `state`;
 * `POST /login/oauth/access_token` (JSON with `Accept: application/json`, errors with status
 * 200 as GitHub sends them) checks the client id and secret, the code, the redirect URI and the
 * PKCE verifier against the challenge, and issues expiring per-user tokens with refresh; and
 * `GET /user` answers as the user the token belongs to, so a test can tell whose token was used.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { RecordedRequest } from '@plugboard/testing';
import { fail, ok, type Route, user } from './fake-github.js';

export const OAUTH_APP = { clientId: 'Iv1.fakeapp', clientSecret: 'fake-app-secret-0123456789' };

export interface FakeOAuth {
  /** Routes to start the fake with. */
  readonly routes: Readonly<Record<string, Route>>;
  /** Whom the authorize page approves as. */
  approveAs: string;
  /** Lifetime of the user tokens issued, seconds. */
  expiresIn: number;
  /** The user a token belongs to, undefined for a token never issued. */
  userOf(token: string): string | undefined;
}

function field(request: RecordedRequest, name: string): string {
  const body = request.body as Record<string, unknown> | undefined;
  const value = body?.[name];
  return typeof value === 'string' ? value : '';
}

export function fakeOAuth(): FakeOAuth {
  const codes = new Map<string, { user: string; challenge: string; redirectUri: string }>();
  const tokens = new Map<string, string>();
  const refreshTokens = new Map<string, string>();
  const issue = (login: string) => {
    const access = `ghu_${login}_${randomBytes(8).toString('hex')}`;
    const refresh = `ghr_${login}_${randomBytes(8).toString('hex')}`;
    tokens.set(access, login);
    refreshTokens.set(refresh, login);
    return ok({
      access_token: access,
      expires_in: oauth.expiresIn,
      refresh_token: refresh,
      refresh_token_expires_in: 15_897_600,
      scope: '',
      token_type: 'bearer',
    });
  };
  const oauth: FakeOAuth = {
    approveAs: 'nobody',
    expiresIn: 28_800,
    userOf: (token) => tokens.get(token),
    routes: {
      'GET /login/oauth/authorize': (request) => {
        const code = randomBytes(10).toString('hex');
        const redirectUri = request.searchParams.get('redirect_uri') ?? '';
        codes.set(code, {
          user: oauth.approveAs,
          challenge: request.searchParams.get('code_challenge') ?? '',
          redirectUri,
        });
        const back = new URL(redirectUri);
        back.searchParams.set('code', code);
        back.searchParams.set('state', request.searchParams.get('state') ?? '');
        return { status: 302, headers: { location: back.href }, body: '' };
      },
      'POST /login/oauth/access_token': (request) => {
        if (
          field(request, 'client_id') !== OAUTH_APP.clientId ||
          field(request, 'client_secret') !== OAUTH_APP.clientSecret
        )
          return ok({ error: 'incorrect_client_credentials' });
        if (field(request, 'grant_type') === 'refresh_token') {
          const login = refreshTokens.get(field(request, 'refresh_token'));
          if (login === undefined) return ok({ error: 'bad_refresh_token' });
          refreshTokens.delete(field(request, 'refresh_token'));
          return issue(login);
        }
        const code = codes.get(field(request, 'code'));
        codes.delete(field(request, 'code'));
        const challenge = createHash('sha256')
          .update(field(request, 'code_verifier'))
          .digest('base64url');
        if (
          code === undefined ||
          code.redirectUri !== field(request, 'redirect_uri') ||
          code.challenge !== challenge
        )
          return ok({ error: 'bad_verification_code' });
        return issue(code.user);
      },
      'DELETE /applications/:client_id/grant': (request) => {
        if (request.params.client_id !== OAUTH_APP.clientId) return fail(404, 'Not Found');
        tokens.delete(field(request, 'access_token'));
        return { status: 204, body: '' };
      },
      'GET /user': (request) => {
        const token = (request.headers.authorization ?? '').replace(/^(token|bearer) /i, '');
        const login = tokens.get(token);
        if (login === undefined) return fail(401, 'Bad credentials');
        return ok({ ...user(login), name: `User ${login}`, company: null, public_repos: 1 });
      },
    },
  };
  return oauth;
}
