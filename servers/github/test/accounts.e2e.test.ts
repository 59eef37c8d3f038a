/**
 * Hosted GitHub with per-user accounts, on the built server: sign-in at a real OpenID provider,
 * the official SDK client, the test browser, and the GitHub fake's OAuth app. Each user connects
 * their own GitHub account and GitHub is called with their token (the fake answers `GET /user`
 * as the token's owner); another user's browser is refused; disconnecting revokes the grant.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import {
  findRedisServer,
  freePort,
  runOnce,
  startRedis,
  waitFor,
  type RedisServer,
} from '@plugboard/testing';
import {
  CLIENT,
  startTestIssuer,
  TestBrowser,
  type BrowsedPage,
  type TestIssuer,
} from '@plugboard/peers/oidc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeGithub, type FakeGithub } from './fake-github.js';
import { fakeOAuth, OAUTH_APP, type FakeOAuth } from './fake-github-oauth.js';

const SERVER = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const ACCOUNTS_KEY = 'accounts-key-for-the-github-test-0123456789';

let issuer: TestIssuer;
let oauth: FakeOAuth;
let fake: FakeGithub;
let origin: string;
/** The first instance's stderr so far. */
let stderr: () => string;
/** The two instances on one Redis, in the last describe. */
let sharedPort: number;
const children: ChildProcess[] = [];

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

/** Starts the built server with `args`; resolves once it listens, with its stderr so far. */
async function startServer(args: string[], env: Record<string, string>): Promise<() => string> {
  let output = '';
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  children.push(child);
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  await waitFor(() => output.includes('listening on'), 15_000);
  return () => output;
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
  sharedPort = await freePort();
  origin = `http://127.0.0.1:${port}`;
  issuer = await startTestIssuer({
    redirectUris: [port, sharedPort].map(
      (each) => `http://127.0.0.1:${each}/connect/github/signin`,
    ),
  });
  oauth = fakeOAuth();
  fake = await fakeGithub(oauth.routes);
  stderr = await startServer(serverArgs(port), serverEnv());
});

afterAll(async () => {
  for (const child of children) child.kill('SIGTERM');
  await Promise.all([issuer.close(), fake.close()]);
});

/** The SDK client signed in as `subject`; a URL elicitation is accepted and opened in `browser`. */
async function signedIn(subject: string, browser: TestBrowser, at = origin) {
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
    new StreamableHTTPClientTransport(new URL(`${at}/mcp`), {
      requestInit: {
        headers: { Authorization: `Bearer ${await issuer.userToken(subject, `${at}/mcp`)}` },
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
    expect(stderr()).not.toMatch(/ghu_|ghr_/);
    expect(stderr()).not.toContain(OAUTH_APP.clientSecret);
  });

  it('refuses to start hosted without PLUGBOARD_ACCOUNTS_KEY, naming it', async () => {
    const { PLUGBOARD_ACCOUNTS_KEY: _key, ...env } = serverEnv();
    const run = await runOnce(process.execPath, serverArgs(await freePort()), env);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('PLUGBOARD_ACCOUNTS_KEY');
  });
});

const redisBinary = findRedisServer();
if (redisBinary === undefined)
  process.stderr.write('SKIP [github accounts on Redis] redis-server is missing\n');

describe.skipIf(redisBinary === undefined)('hosted GitHub on a shared Redis', () => {
  let redis: RedisServer;
  let second: string;
  const redisCli = (...args: string[]) =>
    promisify(execFile)('redis-cli', ['-p', String(redis.port), ...args]);

  beforeAll(async () => {
    redis = await startRedis(redisBinary!);
    const env = {
      ...serverEnv(),
      PLUGBOARD_STORE: redis.url,
      MCP_REQUEST_STATE_KEY: 'request-state-key-for-the-test-0123456789',
    };
    const secondPort = await freePort();
    second = `http://127.0.0.1:${secondPort}`;
    await startServer(serverArgs(sharedPort), env);
    await startServer(serverArgs(secondPort), env);
  });

  afterAll(async () => {
    await redis.close();
  });

  it('keeps the grant in Redis as ciphertext, and a second instance on it uses the grant', async () => {
    oauth.approveAs = 'dana-gh';
    const first = `http://127.0.0.1:${sharedPort}`;
    const dana = await signedIn('dana', new TestBrowser('dana'), first);
    expect((await dana.call('get_me')).text).toMatch(/^dana-gh /);
    await dana.client.close();
    const { stdout: keys } = await redisCli('--scan', '--pattern', '*accounts:github:grant:*');
    const grantKeys = keys.split('\n').filter((key) => key !== '');
    expect(grantKeys).toHaveLength(1);
    expect(grantKeys[0]).not.toContain('dana');
    const { stdout: raw } = await redisCli('GET', grantKeys[0]!);
    expect(raw).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\s*$/);
    expect(raw).not.toMatch(/ghu_|ghr_|dana/);
    const onSecond = await signedIn('dana', new TestBrowser('dana'), second);
    expect((await onSecond.call('get_me')).text).toMatch(/^dana-gh /);
    expect(onSecond.links).toEqual([]);
    await onSecond.client.close();
  });
});
