import { nullLogger, ToolError } from '@plugboard/protocol';
import { connectedAccounts, runAuthorizationCode, signedInCall } from '@plugboard/testing';
import { describe, expect, it } from 'vitest';
import { fakeDrive, READ_SCOPE } from '../test/fake-drive.js';
import { CLIENT_ID, CLIENT_SECRET, testConfig } from '../test/harness.js';
import { call } from './context.js';
import { googleProvider, readGoogleGrant } from './google-oauth.js';
import { accountDrive, createGdriveDeps } from './server.js';

const CLIENT = { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET };

async function hosted() {
  const fake = await fakeDrive();
  fake.addClient(CLIENT_ID, CLIENT_SECRET);
  fake.add({ name: 'alice-plan.txt', content: 'alice', viewers: ['alice@example.com'] });
  fake.add({ name: 'bob-notes.txt', content: 'bob', viewers: ['bob@example.com'] });
  fake.add({ name: 'everyone.txt', content: 'all' });
  const provider = googleProvider({
    authorizeUrl: fake.authUrl,
    tokenUrl: fake.tokenUrl,
    scopes: [READ_SCOPE],
  });
  const tokens = new Map<string, string>();
  for (const person of ['alice', 'bob']) {
    fake.signedIn = `${person}@example.com`;
    tokens.set(
      `${person}-sub`,
      readGoogleGrant(await runAuthorizationCode(provider, CLIENT)).accessToken,
    );
  }
  const accounts = connectedAccounts(provider, tokens);
  const config = testConfig(fake, '/nonexistent');
  const deps = createGdriveDeps(config, accountDrive(config, accounts.accounts, nullLogger));
  return { fake, tokens, accounts, deps, [Symbol.asyncDispose]: () => fake.close() };
}

type Setup = Awaited<ReturnType<typeof hosted>>;

function names(setup: Setup, subject: string): Promise<string[]> {
  return call(signedInCall(setup.deps, subject), { subject: 'the search' }, (drive, options) =>
    drive.files.list({ fields: 'files(name)' }, options),
  ).then((list) => (list.files ?? []).map((file) => file.name ?? '').sort());
}

function email(setup: Setup, subject: string): Promise<string | null | undefined> {
  return call(signedInCall(setup.deps, subject), { subject: 'the account' }, (drive, options) =>
    drive.about.get({ fields: 'user' }, options),
  ).then((about) => about.user?.emailAddress);
}

describe('Google Drive for each signed-in user', () => {
  it('acts for each user with their own token, and shows each only their own files', async () => {
    await using setup = await hosted();
    expect(await email(setup, 'alice-sub')).toBe('alice@example.com');
    expect(await email(setup, 'bob-sub')).toBe('bob@example.com');
    expect(await names(setup, 'alice-sub')).toEqual(['alice-plan.txt', 'everyone.txt']);
    expect(await names(setup, 'bob-sub')).toEqual(['bob-notes.txt', 'everyone.txt']);
    const used = new Set(setup.fake.apiRequests().map((request) => request.headers.authorization));
    expect(used).toEqual(
      new Set([`Bearer ${setup.tokens.get('alice-sub')}`, `Bearer ${setup.tokens.get('bob-sub')}`]),
    );
  });

  it('asks for the caller’s token once per call, and nothing of Google before they connected', async () => {
    await using setup = await hosted();
    setup.fake.http.clear();
    await expect(names(setup, 'carol-sub')).rejects.toThrow(
      new ToolError('Connect your Google account first.'),
    );
    expect(setup.fake.apiRequests()).toHaveLength(0);
    await names(setup, 'alice-sub');
    expect(setup.accounts.asked).toEqual(['carol-sub', 'alice-sub']);
  });

  it('forgets an account whose access the user removed, and says to connect again', async () => {
    await using setup = await hosted();
    setup.fake.revokeAccount('alice@example.com');
    const failure = names(setup, 'alice-sub');
    await expect(failure).rejects.toThrow(ToolError);
    await expect(failure).rejects.toThrow(/no longer accepts the Google account you connected/);
    expect(setup.accounts.disconnected).toEqual(['alice-sub']);
    expect(await names(setup, 'bob-sub')).toEqual(['bob-notes.txt', 'everyone.txt']);
  });

  it('never renews a connected account’s token itself: the token endpoint is the kit’s alone', async () => {
    await using setup = await hosted();
    setup.fake.expireAccessTokens('alice@example.com');
    const before = setup.fake.tokenRequests().length;
    await expect(names(setup, 'alice-sub')).rejects.toThrow(ToolError);
    expect(setup.fake.tokenRequests()).toHaveLength(before);
  });
});
