import type { FlagValue } from '@plugboard/kit/cli';
import { nullLogger, ToolError } from '@plugboard/protocol';
import { connectedAccounts, runAuthorizationCode, signedInCall } from '@plugboard/testing';
import { describe, expect, it } from 'vitest';
import { fakeSlack } from '../test/fake-slack.js';
import { parseConfig } from './config.js';
import { TOOL_SCOPES, userScopesFor } from './scopes.js';
import { createSlackDeps } from './server.js';
import { readSlackGrant, slackProvider } from './slack-oauth.js';
import { checkedWorkspace, directoryOf, slack } from './workspace.js';

const CLIENT = { clientId: '1111.2222', clientSecret: 'app-secret' };

async function hosted() {
  const fake = await fakeSlack({
    oauth: {
      app: CLIENT,
      people: [
        { userId: 'U0ALICE', channels: ['C0GENERAL', 'C0SECRET', 'D0ALICE'] },
        { userId: 'U0BOB', channels: ['C0GENERAL', 'C0RANDOM', 'G0GROUP'] },
      ],
    },
  });
  const tokens = new Map<string, string>();
  const provider = slackProvider({
    authorizeUrl: `${fake.url}/oauth/v2/authorize`,
    apiUrl: fake.apiUrl,
    scopes: userScopesFor(Object.keys(TOOL_SCOPES)),
  });
  const accounts = connectedAccounts(provider, tokens);
  for (const [subject, person] of [
    ['alice-sub', 'U0ALICE'],
    ['bob-sub', 'U0BOB'],
  ] as const) {
    fake.oauth!.signInAs(person);
    tokens.set(subject, readSlackGrant(await runAuthorizationCode(provider, CLIENT)).accessToken);
  }
  const flags = new Map<string, FlagValue>([['api-url', fake.apiUrl]]);
  const config = parseConfig(flags, {
    SLACK_CLIENT_ID: CLIENT.clientId,
    SLACK_CLIENT_SECRET: CLIENT.clientSecret,
  });
  const deps = createSlackDeps(config, {
    logger: nullLogger,
    retryBaseMs: 5,
    accounts: accounts.accounts,
  });
  return { fake, tokens, accounts, deps, [Symbol.asyncDispose]: () => fake.close() };
}

describe('Slack for each signed-in user', () => {
  it('acts for each signed-in user with their own token, workspace identity and directory', async () => {
    await using setup = await hosted();
    const alice = signedInCall(setup.deps, 'alice-sub');
    const bob = signedInCall(setup.deps, 'bob-sub');
    expect((await checkedWorkspace(alice)).userId).toBe('U0ALICE');
    expect((await checkedWorkspace(bob)).userId).toBe('U0BOB');
    const aliceSees = (await directoryOf(alice).conversations()).items.map((entry) => entry.id);
    const bobSees = (await directoryOf(bob).conversations()).items.map((entry) => entry.id);
    expect(aliceSees).toContain('C0SECRET');
    expect(aliceSees).not.toContain('G0GROUP');
    expect(bobSees).toContain('G0GROUP');
    expect(bobSees).not.toContain('C0SECRET');
    // Each user's requests carried that user's token, and no other.
    const byToken = (token: string) =>
      setup.fake
        .calls()
        .filter((request) => request.headers.authorization === `Bearer ${token}`)
        .map((request) => request.path);
    expect(byToken(setup.tokens.get('alice-sub')!)).toEqual([
      '/api/auth.test',
      '/api/conversations.list',
    ]);
    expect(byToken(setup.tokens.get('bob-sub')!)).toEqual([
      '/api/auth.test',
      '/api/conversations.list',
    ]);
  });

  it('keeps each user’s directory apart: a later call of one user reuses only their own', async () => {
    await using setup = await hosted();
    await directoryOf(signedInCall(setup.deps, 'alice-sub')).conversations();
    setup.fake.http.clear();
    const bobSees = await directoryOf(signedInCall(setup.deps, 'bob-sub')).conversations();
    expect(bobSees.items.map((entry) => entry.id)).not.toContain('C0SECRET');
    expect(setup.fake.calls('conversations.list')).toHaveLength(1);
    setup.fake.http.clear();
    await directoryOf(signedInCall(setup.deps, 'alice-sub')).conversations();
    expect(setup.fake.calls('conversations.list')).toHaveLength(0);
  });

  it('asks for the caller’s token once per tool call, before its first request', async () => {
    await using setup = await hosted();
    const alice = signedInCall(setup.deps, 'alice-sub');
    await slack(alice, 'users.list', (web) => web.users.list({}));
    await slack(alice, 'users.list', (web) => web.users.list({}));
    expect(setup.accounts.asked).toEqual(['alice-sub']);
  });

  it('passes on the accounts’ refusal for a user who has not connected, and calls Slack not at all', async () => {
    await using setup = await hosted();
    setup.fake.http.clear();
    const carol = signedInCall(setup.deps, 'carol-sub');
    await expect(checkedWorkspace(carol)).rejects.toThrow(
      new ToolError('Connect your Slack account first.'),
    );
    expect(setup.fake.calls()).toHaveLength(0);
  });

  it('forgets an account whose token Slack revoked, and says to connect again', async () => {
    await using setup = await hosted();
    setup.fake.oauth!.revokeAll('U0ALICE');
    const alice = signedInCall(setup.deps, 'alice-sub');
    const failure = checkedWorkspace(alice);
    await expect(failure).rejects.toThrow(ToolError);
    await expect(failure).rejects.toThrow(/no longer accepts the Slack account you connected/);
    expect(setup.accounts.disconnected).toEqual(['alice-sub']);
    // Bob is not touched.
    expect((await checkedWorkspace(signedInCall(setup.deps, 'bob-sub'))).userId).toBe('U0BOB');
  });
});
