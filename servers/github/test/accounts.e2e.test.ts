/**
 * Hosted GitHub with per-user accounts, on the built server: sign-in at a real OpenID provider,
 * the official SDK client, the test browser, and the GitHub fake's OAuth app. Each user connects
 * their own GitHub account and GitHub is called with their token (the fake answers `GET /user`
 * as the token's owner); another user's browser is refused; disconnecting revokes the grant.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { freePort, runOnce, waitFor } from '@plugboard/testing';
import {
  CLIENT,
  startTestIssuer,
  TestBrowser,
  type BrowsedPage,
  type TestIssuer,
} from '@plugboard/test-issuer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeGithub, type FakeGithub } from './fake-github.js';
import { fakeOAuth, OAUTH_APP, type FakeOAuth } from './fake-github-oauth.js';

const SERVER = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const ACCOUNTS_KEY = 'accounts-key-for-the-github-test-0123456789';

let issuer: TestIssuer;
let oauth: FakeOAuth;
let fake: FakeGithub;
let server: ChildProcess;
let origin: string;
let stderr = '';

function serverEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env))
    if (value !== undefined && !name.startsWith('GITHUB_')) env[name] = value;
  return {
    ...env,
    GITHUB_API_URL: fake.url,
    GITHUB_WEB_URL: fake.url,
    GITHUB_OAUTH_CLIENT_ID: OAUTH_APP.clientId,
    GITHUB_OAUTH_CLIENT_SECRET: OAUTH_APP.clientSecret,
    PLUGBOARD_ACCOUNTS_KEY: ACCOUNTS_KEY,
    MCP_AUTH_CLIENT_SECRET: CLIENT.secret,
  };
}

function serverArgs(port: number): string[] {
  return [
    SERVER,
    '--transport',
    'http',
    '--port',
    String(port),
    '--public-url',
    `http://127.0.0.1:${port}`,
    '--auth-issuer',
    issuer.issuer,
    '--auth-client-id',
    CLIENT.id,
    '--auth-resource',
    `http://127.0.0.1:${port}/mcp`,
  ];
}

beforeAll(async () => {
  const port = await freePort();
  origin = `http://127.0.0.1:${port}`;
  issuer = await startTestIssuer({ redirectUris: [`${origin}/connect/github/signin`] });
  oauth = fakeOAuth();
  fake = await fakeGithub(oauth.routes);
  server = spawn(process.execPath, serverArgs(port), {
    env: serverEnv(),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  server.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  await waitFor(() => stderr.includes('listening on'), 15_000);
});

afterAll(async () => {
  server.kill('SIGTERM');
  await Promise.all([issuer.close(), fake.close()]);
});

/** The SDK client signed in as `subject`; a URL elicitation is accepted and opened in `browser`. */
async function signedIn(subject: string, browser: TestBrowser) {
  const client = new Client(
    { name: 'github-accounts-test', version: '1' },
    { capabilities: { elicitation: { url: {} } } },
  );
  const pages: Promise<BrowsedPage>[] = [];
  const links: string[] = [];
  client.setRequestHandler(ElicitRequestSchema, (request) => {
    const url = (request.params as { url: string }).url;
    links.push(url);
    pages.push(browser.open(url));
    return { action: 'accept' };
  });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${origin}/mcp`), {
      requestInit: {
        headers: { Authorization: `Bearer ${await issuer.userToken(subject, `${origin}/mcp`)}` },
      },
    }),
  );
  const call = async (name: string) => {
    const result = (await client.callTool({ name, arguments: {} })) as {
      isError?: boolean;
      content: { text: string }[];
    };
    return { isError: result.isError === true, text: result.content[0]?.text ?? '' };
  };
  return { client, pages, links, call };
}

describe('hosted GitHub, each user as themselves', () => {
  it('connects alice’s GitHub account and calls GitHub with her token', async () => {
    oauth.approveAs = 'alice-gh';
    const alice = await signedIn('alice', new TestBrowser('alice'));
    const me = await alice.call('get_me');
    expect(me.isError).toBe(false);
    expect(me.text).toMatch(/^alice-gh \(User alice-gh\)/);
    expect(alice.links[0]).toMatch(new RegExp(`^${origin}/connect/github/[A-Za-z0-9_-]{43}$`));
    expect((await alice.pages[0]!).text).toContain('GitHub account connected');
    const asked = fake.requests.filter((request) => request.path === '/user');
    expect(oauth.userOf(String(asked.at(-1)?.headers.authorization).split(' ')[1]!)).toBe(
      'alice-gh',
    );
    await alice.client.close();
  });

  it('gives bob his own account, never alice’s', async () => {
    oauth.approveAs = 'bob-gh';
    const bob = await signedIn('bob', new TestBrowser('bob'));
    expect((await bob.call('get_me')).text).toMatch(/^bob-gh /);
    await bob.client.close();
    const alice = await signedIn('alice', new TestBrowser('alice'));
    expect((await alice.call('get_me')).text).toMatch(/^alice-gh /);
    expect(alice.links).toEqual([]);
    await alice.client.close();
  });

  it('refuses bob’s browser on carol’s connect link, connecting nobody', async () => {
    oauth.approveAs = 'bob-gh';
    const carol = await signedIn('carol', new TestBrowser('bob'));
    const result = await carol.call('get_me');
    expect(result.isError).toBe(true);
    expect(result.text).toContain('someone other than the person this link was made for');
    expect((await carol.pages[0]!).status).toBe(403);
    await carol.client.close();
  });

  it('lists disconnect_github_account hosted; it forgets the grant and revokes it at GitHub', async () => {
    const alice = await signedIn('alice', new TestBrowser('alice'));
    const { tools } = await alice.client.listTools();
    expect(tools.map((tool) => tool.name)).toContain('disconnect_github_account');
    const done = await alice.call('disconnect_github_account');
    expect(done).toEqual({
      isError: false,
      text: 'Your GitHub account is disconnected from this server and its grant revoked at GitHub.',
    });
    const revoked = fake.requests.filter((request) => request.method === 'DELETE');
    expect(revoked.map((request) => request.path)).toEqual([
      `/applications/${OAUTH_APP.clientId}/grant`,
    ]);
    expect(revoked[0]?.headers.authorization).toMatch(/^Basic /);
    oauth.approveAs = 'alice-gh';
    expect((await alice.call('get_me')).text).toMatch(/^alice-gh /);
    expect(alice.links).toHaveLength(1);
    await alice.client.close();
  });

  it('keeps no token in its logs', () => {
    expect(stderr).not.toMatch(/ghu_|ghr_/);
    expect(stderr).not.toContain(OAUTH_APP.clientSecret);
  });

  it('refuses to start hosted without PLUGBOARD_ACCOUNTS_KEY, naming it', async () => {
    const { PLUGBOARD_ACCOUNTS_KEY: _key, ...env } = serverEnv();
    const run = await runOnce(process.execPath, serverArgs(await freePort()), env);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('PLUGBOARD_ACCOUNTS_KEY');
  });
});
