/**
 * The built server hosted: `--transport http` with sign-in at a real OpenID provider
 * (oidc-provider, the test issuer), per-user Slack accounts through the kit's connect flow,
 * and the Slack fake speaking OAuth v2 with token rotation. Alice and Bob each connect their
 * own Slack account in their own browser and see only their own conversations; an expiring
 * token is renewed with its refresh token; an account whose access the user removed at Slack is
 * asked for again.
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
import { fakeSlack, type FakeSlack } from './fake-slack.js';

const SERVER = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const APP = { clientId: '1111.2222', clientSecret: 'slack-app-secret-never-leaks' };
/** Token rotation with tokens that expire within the kit's renewal margin: every call renews. */
const EXPIRES_IN = 30;

let issuer: TestIssuer;
let fake: FakeSlack;
let server: HostedServer;
let origin: string;

beforeAll(async () => {
  const port = await freePort();
  origin = `http://127.0.0.1:${port}`;
  [issuer, fake] = await Promise.all([
    startTestIssuer({ redirectUris: [`${origin}/connect/slack/signin`] }),
    fakeSlack({
      oauth: {
        app: { ...APP, expiresIn: EXPIRES_IN },
        people: [
          { userId: 'U0ALICE', channels: ['C0GENERAL', 'C0SECRET', 'D0ALICE'] },
          { userId: 'U0BOB', channels: ['C0GENERAL', 'C0RANDOM', 'G0GROUP'] },
        ],
      },
    }),
  ]);
  server = await startHostedServer({
    entry: SERVER,
    port,
    issuer: {
      issuer: issuer.issuer,
      signingKey: issuer.signingKey,
      client: { id: CLIENT.id, secret: CLIENT.secret },
    },
    env: {
      SLACK_CLIENT_ID: APP.clientId,
      SLACK_CLIENT_SECRET: APP.clientSecret,
      SLACK_API_URL: fake.apiUrl,
      SLACK_OAUTH_URL: `${fake.url}/oauth/v2/authorize`,
    },
  });
});

afterAll(async () => {
  await server.close();
  await Promise.all([fake.close(), issuer.close()]);
});

/** `subject` signed in to the hosted server, their browser signed in at the issuer as them. */
async function user(subject: string, slackUser: string): Promise<HostedUser> {
  const browser = new TestBrowser(subject);
  // Slack's consent page approves as whoever is signed in to Slack in this browser.
  return server.user(subject, (url) => {
    fake.oauth!.signInAs(slackUser);
    return browser.open(url);
  });
}

function channelIds(result: { structured: Record<string, unknown> | undefined }): string[] {
  const channels = (result.structured?.channels ?? []) as { id: string }[];
  return channels.map((channel) => channel.id).sort();
}

describe('mcp-server-slack hosted, each user with their own Slack account', () => {
  it('asks Alice to connect, then answers with her own conversations, never Bob’s', async () => {
    const alice = await user('alice', 'U0ALICE');
    const result = await alice.call('slack_list_channels', { types: ['private_channel'] });
    expect(result.isError, result.text).toBe(false);
    expect(alice.links).toHaveLength(1);
    expect(alice.links[0]).toMatch(new RegExp(`^${origin}/connect/slack/`));
    expect(channelIds(result)).toEqual(['C0SECRET']);
    // The consent asked for user scopes only, and only those of the offered tools.
    const consent = fake.http.requests.find((request) => request.path === '/oauth/v2/authorize')!;
    const scopes = consent.searchParams.get('user_scope')!.split(',');
    expect(scopes).toContain('channels:history');
    expect(scopes).not.toContain('files:write');
    expect(consent.searchParams.get('scope')).toBeNull();
    await alice.close();
  });

  it('gives Bob his own flow and his own conversations', async () => {
    const bob = await user('bob', 'U0BOB');
    const result = await bob.call('slack_list_channels', { types: ['private_channel', 'mpim'] });
    expect(result.isError, result.text).toBe(false);
    expect(bob.links).toHaveLength(1);
    expect(channelIds(result)).toEqual(['G0GROUP']);
    await bob.close();
  });

  it('acts with each user’s own token, never another user’s and never the MCP token', () => {
    const apiCalls = fake.calls().filter((request) => request.path !== '/api/oauth.v2.access');
    const users = new Set(
      apiCalls.map((request) => {
        const token = (request.headers.authorization ?? '').replace(/^Bearer /, '');
        return /^xoxe\.xoxp-(U0[A-Z]+)-/.exec(token)?.[1];
      }),
    );
    expect(users).toEqual(new Set(['U0ALICE', 'U0BOB']));
    expect(server.stderr()).not.toContain('xoxp-');
    expect(server.stderr()).not.toContain(APP.clientSecret);
  });

  it('renews an expiring token with its refresh token, and goes on without asking again', async () => {
    const before = fake.oauth!.counts.refreshes;
    const alice = await user('alice', 'U0ALICE');
    const result = await alice.call('slack_list_channels', { types: ['private_channel'] });
    expect(result.isError, result.text).toBe(false);
    expect(channelIds(result)).toEqual(['C0SECRET']);
    expect(alice.links).toHaveLength(0);
    expect(fake.oauth!.counts.refreshes).toBeGreaterThan(before);
    await alice.close();
  });

  it('disconnects Bob on request, revoking his token at Slack, and asks him again next time', async () => {
    const bob = await user('bob', 'U0BOB');
    const revoked = fake.oauth!.counts.revocations;
    const result = await bob.call('slack_disconnect_account');
    expect(result).toMatchObject({ isError: false, structured: { disconnected: true } });
    expect(fake.oauth!.counts.revocations).toBe(revoked + 1);
    expect(await bob.call('slack_disconnect_account')).toMatchObject({
      structured: { disconnected: false },
    });
    const again = await bob.call('slack_list_channels', { types: ['private_channel', 'mpim'] });
    expect(again.isError, again.text).toBe(false);
    expect(bob.links).toHaveLength(1);
    expect(channelIds(again)).toEqual(['G0GROUP']);
    await bob.close();
  });

  it('asks Alice again once she removed the app’s access at Slack', async () => {
    fake.oauth!.revokeAll('U0ALICE');
    const alice = await user('alice', 'U0ALICE');
    const result = await alice.call('slack_list_channels', { types: ['private_channel'] });
    expect(result.isError, result.text).toBe(false);
    expect(alice.links).toHaveLength(1);
    expect(channelIds(result)).toEqual(['C0SECRET']);
    await alice.close();
  });
});
