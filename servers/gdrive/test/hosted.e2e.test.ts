/**
 * The built server hosted: `--transport http` with sign-in at a real OpenID provider
 * (oidc-provider, the test issuer), per-user Google accounts through the kit's connect flow, and
 * the Google fake's consent page, token endpoint (PKCE, refresh, `invalid_grant`) and revocation.
 * Alice and Bob each connect their own Google account in their own browser and see only their
 * own files; expiring tokens are renewed; an account whose access the user removed is asked for
 * again.
 */
import { fileURLToPath } from 'node:url';
import { CLIENT, startTestIssuer, TestBrowser, type TestIssuer } from '@plugboard/peers/oidc';
import {
  freePort,
  startHostedServer,
  type HostedServer,
  type HostedUser,
} from '@plugboard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeDrive, READ_SCOPE, type FakeDrive } from './fake-drive.js';
import { CLIENT_ID, CLIENT_SECRET } from './harness.js';

const SERVER = fileURLToPath(new URL('../dist/main.js', import.meta.url));

let issuer: TestIssuer;
let fake: FakeDrive;
let server: HostedServer;
let origin: string;

beforeAll(async () => {
  const port = await freePort();
  origin = `http://127.0.0.1:${port}`;
  // Tokens that expire within the kit's renewal margin: every call renews.
  [issuer, fake] = await Promise.all([
    startTestIssuer({ redirectUris: [`${origin}/connect/google/signin`] }),
    fakeDrive({ tokenLifetime: 30 }),
  ]);
  fake.addClient(CLIENT_ID, CLIENT_SECRET);
  fake.add({ name: 'alice-plan.txt', content: 'alice', viewers: ['alice@example.com'] });
  fake.add({ name: 'bob-notes.txt', content: 'bob', viewers: ['bob@example.com'] });
  fake.add({ name: 'everyone.txt', content: 'all' });
  server = await startHostedServer({
    entry: SERVER,
    port,
    issuer: {
      issuer: issuer.issuer,
      signingKey: issuer.signingKey,
      client: { id: CLIENT.id, secret: CLIENT.secret },
    },
    env: {
      // No saved sign-in anywhere: hosted, the server never looks for one.
      HOME: '/nonexistent',
      GDRIVE_OAUTH_CLIENT_ID: CLIENT_ID,
      GDRIVE_OAUTH_CLIENT_SECRET: CLIENT_SECRET,
      GDRIVE_API_URL: fake.apiUrl,
      GDRIVE_TOKEN_URL: fake.tokenUrl,
      GDRIVE_AUTH_URL: fake.authUrl,
    },
  });
});

afterAll(async () => {
  await server.close();
  await Promise.all([fake.close(), issuer.close()]);
});

/** `subject` signed in to the hosted server; Google's consent approves as `account`. */
async function user(subject: string, account: string): Promise<HostedUser> {
  const browser = new TestBrowser(subject);
  return server.user(subject, (url) => {
    fake.signedIn = account;
    return browser.open(url);
  });
}

function names(result: { structured: Record<string, unknown> | undefined }): string[] {
  return ((result.structured?.files ?? []) as { name: string }[]).map((file) => file.name).sort();
}

describe('mcp-server-gdrive hosted, each user with their own Google account', () => {
  it('asks Alice to connect, then lists her own files only', async () => {
    const alice = await user('alice', 'alice@example.com');
    const result = await alice.call('list_folder');
    expect(result.isError, result.text).toBe(false);
    expect(alice.links).toHaveLength(1);
    expect(names(result)).toEqual(['alice-plan.txt', 'everyone.txt']);
    const consent = fake.requests.find((request) => request.path === '/o/oauth2/v2/auth')!;
    expect(consent.searchParams.get('scope')).toBe(READ_SCOPE);
    expect(consent.searchParams.get('access_type')).toBe('offline');
    expect(consent.searchParams.get('prompt')).toBe('consent');
    await alice.close();
  });

  it('gives Bob his own flow and his own files', async () => {
    const bob = await user('bob', 'bob@example.com');
    const result = await bob.call('list_folder');
    expect(result.isError, result.text).toBe(false);
    expect(bob.links).toHaveLength(1);
    expect(names(result)).toEqual(['bob-notes.txt', 'everyone.txt']);
    await bob.close();
  });

  it('renews an expiring token with the refresh token, without asking again', async () => {
    const refreshes = () =>
      fake
        .tokenRequests()
        .filter(
          (request) => (request.body as Record<string, string>).grant_type === 'refresh_token',
        ).length;
    const before = refreshes();
    const alice = await user('alice', 'alice@example.com');
    const result = await alice.call('list_folder');
    expect(result.isError, result.text).toBe(false);
    expect(alice.links).toHaveLength(0);
    expect(refreshes()).toBeGreaterThan(before);
    await alice.close();
  });

  it('disconnects Bob on request, revoking his grant at Google, and asks him again next time', async () => {
    const bob = await user('bob', 'bob@example.com');
    const revoked = fake.revocations.length;
    const result = await bob.call('disconnect_google_account');
    expect(result).toMatchObject({ isError: false, structured: { disconnected: true } });
    expect(fake.revocations).toHaveLength(revoked + 1);
    const again = await bob.call('list_folder');
    expect(again.isError, again.text).toBe(false);
    expect(bob.links).toHaveLength(1);
    expect(names(again)).toEqual(['bob-notes.txt', 'everyone.txt']);
    await bob.close();
  });

  it('asks Alice again once she removed the access on her Google account', async () => {
    fake.revokeAccount('alice@example.com');
    const alice = await user('alice', 'alice@example.com');
    const result = await alice.call('list_folder');
    expect(result.isError, result.text).toBe(false);
    expect(alice.links).toHaveLength(1);
    expect(names(result)).toEqual(['alice-plan.txt', 'everyone.txt']);
    expect(server.stderr()).not.toContain('ya29.');
    expect(server.stderr()).not.toContain(CLIENT_SECRET);
    await alice.close();
  });
});
