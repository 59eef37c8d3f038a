/**
 * @module
 * A local OAuth 2.0 provider speaking the wire format of GitHub's OAuth apps, for the connect
 * flow's tests: `/authorize` approves at once as the user set in {@link FakeProvider.approveAs}
 * and redirects back with a code; `/token` checks the client, the code, the redirect URI and the
 * PKCE verifier against the challenge, and issues per-user tokens that expire, with refresh;
 * `/whoami` answers as the user a token belongs to, so a test can tell whose token was used.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const FAKE_CLIENT = { clientId: 'fake-app', clientSecret: 'fake-app-secret-0123456789' };

interface Code {
  user: string;
  challenge: string;
  redirectUri: string;
}

export interface FakeProvider {
  readonly url: string;
  /** Whom `/authorize` approves as. */
  approveAs: string;
  /** Lifetime of the access tokens issued, seconds. */
  expiresIn: number;
  /** Every grant type asked for at `/token`, in order. */
  readonly exchanges: string[];
  /** Refresh tokens no longer accepted (as when the user revoked the app). */
  revokeRefreshTokens(): void;
  close(): Promise<void>;
}

function reply(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'Content-Type': 'application/json' });
  response.end(JSON.stringify(body));
}

async function formOf(request: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

export async function startFakeProvider(): Promise<FakeProvider> {
  const codes = new Map<string, Code>();
  const tokens = new Map<string, string>();
  const refreshTokens = new Map<string, string>();
  const issue = (user: string) => {
    const access = `at-${user}-${randomBytes(8).toString('hex')}`;
    const refresh = `rt-${user}-${randomBytes(8).toString('hex')}`;
    tokens.set(access, user);
    refreshTokens.set(refresh, user);
    return {
      access_token: access,
      refresh_token: refresh,
      expires_in: fake.expiresIn,
      token_type: 'bearer',
      scope: 'repo',
    };
  };
  const token = async (request: IncomingMessage, response: ServerResponse) => {
    const form = await formOf(request);
    fake.exchanges.push(form.get('grant_type') ?? '');
    if (
      form.get('client_id') !== FAKE_CLIENT.clientId ||
      form.get('client_secret') !== FAKE_CLIENT.clientSecret
    )
      return reply(response, 200, { error: 'incorrect_client_credentials' });
    if (form.get('grant_type') === 'refresh_token') {
      const user = refreshTokens.get(form.get('refresh_token') ?? '');
      if (user === undefined) return reply(response, 200, { error: 'bad_refresh_token' });
      refreshTokens.delete(form.get('refresh_token')!);
      return reply(response, 200, issue(user));
    }
    const code = codes.get(form.get('code') ?? '');
    codes.delete(form.get('code') ?? '');
    const challenge = createHash('sha256')
      .update(form.get('code_verifier') ?? '')
      .digest('base64url');
    if (code === undefined || code.redirectUri !== form.get('redirect_uri'))
      return reply(response, 200, { error: 'bad_verification_code' });
    if (code.challenge !== challenge)
      return reply(response, 200, { error: 'invalid_grant', error_description: 'PKCE' });
    return reply(response, 200, issue(code.user));
  };
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://fake');
    if (url.pathname === '/authorize') {
      const code = randomBytes(12).toString('hex');
      codes.set(code, {
        user: fake.approveAs,
        challenge: url.searchParams.get('code_challenge') ?? '',
        redirectUri: url.searchParams.get('redirect_uri') ?? '',
      });
      const back = new URL(url.searchParams.get('redirect_uri') ?? '');
      back.searchParams.set('code', code);
      back.searchParams.set('state', url.searchParams.get('state') ?? '');
      response.writeHead(302, { Location: back.href });
      response.end();
      return;
    }
    if (url.pathname === '/token' && request.method === 'POST') {
      void token(request, response);
      return;
    }
    if (url.pathname === '/whoami') {
      const user = tokens.get((request.headers.authorization ?? '').replace(/^Bearer /, ''));
      if (user === undefined) return reply(response, 401, { message: 'Bad credentials' });
      return reply(response, 200, { login: user });
    }
    reply(response, 404, { message: 'Not Found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const fake: FakeProvider = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    approveAs: 'nobody',
    expiresIn: 3600,
    exchanges: [],
    revokeRefreshTokens: () => refreshTokens.clear(),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  return fake;
}
