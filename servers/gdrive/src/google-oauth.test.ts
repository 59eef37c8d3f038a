import { runAuthorizationCode, tokenRequest } from '@plugboard/testing';
import { describe, expect, it } from 'vitest';
import { fakeDrive, FULL_SCOPE, READ_SCOPE } from '../test/fake-drive.js';
import { CLIENT_ID, CLIENT_SECRET } from '../test/harness.js';
import { TokenEndpointError } from '@plugboard/kit/accounts';
import { googleProvider, readGoogleGrant, revocationUrl } from './google-oauth.js';
import { scopesFor } from './scopes.js';

const CLIENT = { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET };

async function googleWithClient(scopes = [READ_SCOPE]) {
  const fake = await fakeDrive();
  fake.addClient(CLIENT_ID, CLIENT_SECRET);
  const provider = googleProvider({ authorizeUrl: fake.authUrl, tokenUrl: fake.tokenUrl, scopes });
  return { fake, provider, [Symbol.asyncDispose]: () => fake.close() };
}

async function whoIs(apiUrl: string, token: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${apiUrl}drive/v3/about?fields=user`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return (await response.json()) as Record<string, unknown>;
}

describe('the Google provider', () => {
  it('asks for offline access with consent, and the scopes of the enabled groups', () => {
    const provider = googleProvider({
      authorizeUrl: 'https://accounts.google.com/o/oauth2/v2/auth',
      tokenUrl: 'https://oauth2.googleapis.com/token',
      scopes: scopesFor({ allowWrite: true, allowSharing: false, readOnly: false }),
    });
    expect(provider.authorizeParameters).toEqual({ access_type: 'offline', prompt: 'consent' });
    expect(provider.scopes).toEqual([FULL_SCOPE]);
    expect(provider.scopeSeparator ?? ' ').toBe(' ');
    expect(revocationUrl('https://oauth2.googleapis.com/token')).toBe(
      'https://oauth2.googleapis.com/revoke',
    );
  });

  it('reads the code exchange: access and refresh token, expiry, scope, as the account that consented', async () => {
    await using setup = await googleWithClient();
    setup.fake.signedIn = 'alice@example.com';
    const before = Date.now();
    const body = await runAuthorizationCode(setup.provider, CLIENT);
    expect(body).toMatchObject({ token_type: 'Bearer', scope: READ_SCOPE });
    const grant = readGoogleGrant(body, before);
    expect(grant.accessToken).toMatch(/^ya29\./);
    expect(grant.refreshToken).toMatch(/^1\/\//);
    expect(grant.expiresAt).toBe(before + 3_599_000);
    expect(grant.scope).toBe(READ_SCOPE);
    expect(await whoIs(setup.fake.apiUrl, grant.accessToken)).toMatchObject({
      user: { emailAddress: 'alice@example.com' },
    });
  });

  it('reads a refresh, which brings no new refresh token', async () => {
    await using setup = await googleWithClient();
    setup.fake.signedIn = 'bob@example.com';
    const grant = readGoogleGrant(await runAuthorizationCode(setup.provider, CLIENT));
    const renewed = readGoogleGrant(
      await tokenRequest(setup.provider, CLIENT, {
        grant_type: 'refresh_token',
        refresh_token: grant.refreshToken!,
      }),
    );
    expect(renewed.accessToken).not.toBe(grant.accessToken);
    expect(renewed.refreshToken).toBeUndefined();
    expect(await whoIs(setup.fake.apiUrl, renewed.accessToken)).toMatchObject({
      user: { emailAddress: 'bob@example.com' },
    });
  });

  it('refuses Google’s errors by their code: a wrong verifier, a revoked refresh token', async () => {
    await using setup = await googleWithClient();
    const badVerifier = await runAuthorizationCode(setup.provider, CLIENT, {
      sentVerifier: 'y'.repeat(43),
    });
    expect(badVerifier.error).toBe('invalid_grant');
    expect(() => readGoogleGrant(badVerifier)).toThrow(TokenEndpointError);
    expect(() => readGoogleGrant(badVerifier)).toThrow('Google refused: invalid_grant');
    const grant = readGoogleGrant(await runAuthorizationCode(setup.provider, CLIENT));
    setup.fake.revokeAccount('user@example.com');
    const refresh = await tokenRequest(setup.provider, CLIENT, {
      grant_type: 'refresh_token',
      refresh_token: grant.refreshToken!,
    });
    // A refusal the kit takes as final: it drops the grant and asks the user to connect again.
    expect(() => readGoogleGrant(refresh)).toThrow(
      expect.objectContaining({ message: 'Google refused: invalid_grant', refused: true }),
    );
    expect(() => readGoogleGrant({ token_type: 'Bearer' })).toThrow(/without an access token/);
  });

  it('revokes the refresh token at the revocation endpoint, ending its access tokens', async () => {
    await using setup = await googleWithClient();
    const grant = readGoogleGrant(await runAuthorizationCode(setup.provider, CLIENT));
    const signal = new AbortController().signal;
    await setup.provider.revoke!(grant, CLIENT, signal);
    expect(setup.fake.revocations).toEqual([grant.refreshToken]);
    expect(await whoIs(setup.fake.apiUrl, grant.accessToken)).toMatchObject({
      error: { code: 401 },
    });
    // Already revoked: Google answers invalid_token, which leaves nothing to do.
    await expect(setup.provider.revoke!(grant, CLIENT, signal)).resolves.toBeUndefined();
  });
});
