import { runAuthorizationCode, tokenRequest } from '@plugboard/testing';
import { describe, expect, it } from 'vitest';
import { fakeSlack, type FakeSlackOptions } from '../test/fake-slack.js';
import { TokenEndpointError } from '@plugboard/kit/accounts';
import { readSlackGrant, slackProvider } from './slack-oauth.js';
import { userScopesFor } from './scopes.js';

const CLIENT = { clientId: '1111.2222', clientSecret: 'app-secret-that-must-never-leak' };

function oauth(expiresIn?: number): NonNullable<FakeSlackOptions['oauth']> {
  return {
    app: { ...CLIENT, ...(expiresIn === undefined ? {} : { expiresIn }) },
    people: [
      { userId: 'U0ALICE', channels: ['C0GENERAL', 'C0SECRET'] },
      { userId: 'U0BOB', channels: ['C0GENERAL', 'C0RANDOM'] },
    ],
  };
}

async function slackWithApp(expiresIn?: number) {
  const fake = await fakeSlack({ oauth: oauth(expiresIn) });
  const provider = slackProvider({
    authorizeUrl: `${fake.url}/oauth/v2/authorize`,
    apiUrl: fake.apiUrl,
    scopes: userScopesFor(['slack_get_channel_history', 'slack_search_messages']),
  });
  return {
    fake,
    provider,
    oauth: fake.oauth!,
    [Symbol.asyncDispose]: () => fake.close(),
  };
}

async function whoIs(apiUrl: string, token: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${apiUrl}auth.test`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
  });
  return (await response.json()) as Record<string, unknown>;
}

describe('the Slack provider', () => {
  it('asks for user token scopes, comma-separated, at oauth.v2.access under the API root', async () => {
    await using setup = await slackWithApp();
    const { provider, fake } = setup;
    expect(provider.scopeParameter).toBe('user_scope');
    expect(provider.scopeSeparator).toBe(',');
    expect(provider.tokenEndpoint).toBe(`${fake.apiUrl}oauth.v2.access`);
    expect(provider.scopes).toContain('search:read');
    expect(provider.scopes).toContain('channels:history');
    expect(provider.scopes).not.toContain('chat:write');
  });

  it('reads the user token from authed_user, as the person who consented', async () => {
    await using setup = await slackWithApp();
    setup.oauth.signInAs('U0BOB');
    const body = await runAuthorizationCode(setup.provider, CLIENT);
    expect(body).toMatchObject({ ok: true, authed_user: { id: 'U0BOB', token_type: 'user' } });
    const grant = readSlackGrant(body);
    expect(grant.accessToken).toMatch(/^xoxp-/);
    expect(grant.refreshToken).toBeUndefined();
    expect(grant.expiresAt).toBeUndefined();
    expect(grant.account).toBe('U0BOB@T0TEST');
    expect(grant.scope?.split(',')).toContain('search:read');
    expect(await whoIs(setup.fake.apiUrl, grant.accessToken)).toMatchObject({
      ok: true,
      user_id: 'U0BOB',
    });
  });

  it('reads rotating tokens, and a refresh answered at the top level with token_type user', async () => {
    await using setup = await slackWithApp(43_200);
    setup.oauth.signInAs('U0ALICE');
    const before = Date.now();
    const grant = readSlackGrant(await runAuthorizationCode(setup.provider, CLIENT), before);
    expect(grant.refreshToken).toMatch(/^xoxe-1-/);
    expect(grant.expiresAt).toBe(before + 43_200_000);
    const refresh = await tokenRequest(setup.provider, CLIENT, {
      grant_type: 'refresh_token',
      refresh_token: grant.refreshToken!,
    });
    expect(refresh).toMatchObject({ ok: true, token_type: 'user', user_id: 'U0ALICE' });
    expect(refresh.authed_user).toBeUndefined();
    const renewed = readSlackGrant(refresh);
    expect(renewed.accessToken).not.toBe(grant.accessToken);
    expect(renewed.refreshToken).not.toBe(grant.refreshToken);
    expect(renewed.account).toBe('U0ALICE@T0TEST');
    expect(await whoIs(setup.fake.apiUrl, renewed.accessToken)).toMatchObject({
      user_id: 'U0ALICE',
    });
    // A refresh token is good once: Slack rotated it.
    const again = await tokenRequest(setup.provider, CLIENT, {
      grant_type: 'refresh_token',
      refresh_token: grant.refreshToken!,
    });
    const refusal = (() => {
      try {
        readSlackGrant(again);
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    // A refusal the kit takes as final: it drops the grant and asks the user to connect again.
    expect(refusal).toBeInstanceOf(TokenEndpointError);
    expect(refusal).toMatchObject({
      message: 'Slack refused: invalid_refresh_token',
      refused: true,
    });
  });

  it('refuses the ok: false answers Slack gives with status 200, naming only the error code', async () => {
    await using setup = await slackWithApp();
    setup.oauth.signInAs('U0ALICE');
    const wrongSecret = { ...CLIENT, clientSecret: 'not-the-secret' };
    const body = await runAuthorizationCode(setup.provider, wrongSecret);
    expect(body).toEqual({ ok: false, error: 'bad_client_secret' });
    expect(() => readSlackGrant(body)).toThrow('Slack refused: bad_client_secret');
    const badVerifier = await runAuthorizationCode(setup.provider, CLIENT, {
      sentVerifier: 'x'.repeat(43),
    });
    expect(() => readSlackGrant(badVerifier)).toThrow('Slack refused: invalid_code_verifier');
    expect(() => readSlackGrant({ ok: false, error: '<script>alert(1)</script>' })).toThrow(
      'Slack refused: an unknown error',
    );
  });

  it('refuses an answer that holds only a bot token: the server never acts as a shared bot', async () => {
    await using setup = await slackWithApp();
    setup.oauth.signInAs('U0ALICE');
    const botOnly = slackProvider({
      authorizeUrl: `${setup.fake.url}/oauth/v2/authorize`,
      apiUrl: setup.fake.apiUrl,
      scopes: ['channels:read'],
    });
    const body = await runAuthorizationCode({ ...botOnly, scopeParameter: 'scope' }, CLIENT);
    expect(body).toMatchObject({ ok: true, token_type: 'bot', authed_user: { id: 'U0ALICE' } });
    expect(() => readSlackGrant(body)).toThrow(/granted no user token/);
  });

  it('revokes the token with auth.revoke, and takes a token already gone as revoked', async () => {
    await using setup = await slackWithApp();
    setup.oauth.signInAs('U0ALICE');
    const grant = readSlackGrant(await runAuthorizationCode(setup.provider, CLIENT));
    const signal = new AbortController().signal;
    await setup.provider.revoke!(grant, CLIENT, signal);
    expect(setup.oauth.counts.revocations).toBe(1);
    expect(await whoIs(setup.fake.apiUrl, grant.accessToken)).toEqual({
      ok: false,
      error: 'invalid_auth',
    });
    await expect(setup.provider.revoke!(grant, CLIENT, signal)).resolves.toBeUndefined();
    const revokes = setup.fake.calls('auth.revoke');
    expect(revokes.map((request) => request.headers.authorization)).toEqual([
      `Bearer ${grant.accessToken}`,
      `Bearer ${grant.accessToken}`,
    ]);
  });
});
