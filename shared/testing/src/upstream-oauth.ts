/**
 * @module
 * Runs an upstream provider's authorization code flow against its fake the way the kit's
 * connect routes do (the authorize URL from the provider's fields, PKCE S256, `state`, then the
 * code exchange posted form-encoded with the client credentials), for tests of a provider's
 * wire shapes and for tokens a test needs from the fake's own flow.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { UpstreamClient, UpstreamProvider } from '@plugboard/kit/accounts';

/** Where the fakes send the browser back; nothing listens there, the test reads the redirect. */
export const REDIRECT_URI = 'http://127.0.0.1:9/connect/callback';

/** The provider's authorize URL with `state` and a PKCE challenge for `verifier`. */
export function authorizeUrl(
  provider: UpstreamProvider,
  client: UpstreamClient,
  state: string,
  verifier: string,
): string {
  const url = new URL(provider.authorizationEndpoint);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', client.clientId);
  url.searchParams.set('redirect_uri', REDIRECT_URI);
  url.searchParams.set(
    provider.scopeParameter ?? 'scope',
    provider.scopes.join(provider.scopeSeparator ?? ' '),
  );
  url.searchParams.set('state', state);
  url.searchParams.set('code_challenge', createHash('sha256').update(verifier).digest('base64url'));
  url.searchParams.set('code_challenge_method', 'S256');
  for (const [name, value] of Object.entries(provider.authorizeParameters ?? {}))
    url.searchParams.set(name, value);
  return url.href;
}

/** Posts a form to the token endpoint and returns its JSON answer, whatever its status. */
export async function tokenRequest(
  provider: UpstreamProvider,
  client: UpstreamClient,
  parameters: Readonly<Record<string, string>>,
): Promise<Record<string, unknown>> {
  const response = await fetch(provider.tokenEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({
      ...parameters,
      client_id: client.clientId,
      client_secret: client.clientSecret,
    }).toString(),
  });
  return (await response.json()) as Record<string, unknown>;
}

/** The whole flow: consent (as whoever the fake has signed in), then the code exchange. */
export async function runAuthorizationCode(
  provider: UpstreamProvider,
  client: UpstreamClient,
  options: { verifier?: string; sentVerifier?: string } = {},
): Promise<Record<string, unknown>> {
  const verifier = options.verifier ?? randomBytes(32).toString('base64url');
  const state = randomBytes(8).toString('hex');
  const consent = await fetch(authorizeUrl(provider, client, state, verifier), {
    redirect: 'manual',
  });
  const location = new URL(consent.headers.get('location') ?? '');
  if (location.searchParams.get('state') !== state) throw new Error('state did not come back');
  const code = location.searchParams.get('code');
  if (code === null) throw new Error(`no code: ${location.searchParams.get('error')}`);
  return tokenRequest(provider, client, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: `${location.origin}${location.pathname}`,
    code_verifier: options.sentVerifier ?? verifier,
  });
}
