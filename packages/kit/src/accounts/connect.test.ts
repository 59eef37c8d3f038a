/**
 * The connect flow end to end on real peers: the hosted endpoint with sign-in, the official SDK
 * client, a real OpenID provider (oidc-provider) where the test browser signs in, and a local
 * provider speaking GitHub's OAuth wire format. Each user connects their own account and is
 * answered with their own data; every attack on the flow is refused with nothing stored.
 */
import {
  Client as ModernClient,
  StreamableHTTPClientTransport as ModernTransport,
} from '@modelcontextprotocol/client';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { createServer, createMemoryStore, defineTool, nullLogger, text } from '@plugboard/protocol';
import { StoreError, type AppendOptions, type Store } from '@plugboard/protocol';
import { serveHttp, type HttpListening } from '@plugboard/protocol/http';
import {
  CLIENT,
  startTestIssuer,
  TestBrowser,
  type BrowsedPage,
  type TestIssuer,
} from '@plugboard/peers/oidc';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createAccounts, type Accounts } from './create-accounts.js';
import { subjectKey } from './secrets.js';
import { FAKE_CLIENT, startFakeProvider, type FakeProvider } from './test-support/fake-provider.js';

const KEY = 'accounts-key-for-tests-0123456789abcdef';
const ANNOTATIONS = {
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: true,
} as const;

let issuer: TestIssuer;
let fake: FakeProvider;
let listening: HttpListening;
const store = createMemoryStore();
let origin: string;

async function freePort(): Promise<number> {
  const probe = createNetServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** A store that can be made unreachable, as Redis going away is for its clients. */
function switchable(inner: Store): { store: Store; down: (value: boolean) => void } {
  let down = false;
  const guard =
    <A extends unknown[], R>(run: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> =>
      down ? Promise.reject(new StoreError('The shared store is unreachable')) : run(...args);
  const wrap = (scoped: Store): Store => ({
    kind: scoped.kind,
    shared: scoped.shared,
    scope: (name) => wrap(scoped.scope(name)),
    get: guard((key: string) => scoped.get(key)),
    set: guard((key: string, value: string, ttl: number) => scoped.set(key, value, ttl)),
    add: guard((key: string, value: string, ttl: number) => scoped.add(key, value, ttl)),
    delete: guard((key: string) => scoped.delete(key)),
    append: guard((key: string, value: string, options: AppendOptions) =>
      scoped.append(key, value, options),
    ),
    items: guard((key: string) => scoped.items(key)),
    publish: guard((channel: string, message: string) => scoped.publish(channel, message)),
    subscribe: (channel, listener) => scoped.subscribe(channel, listener),
    close: () => scoped.close(),
  });
  return { store: wrap(inner), down: (value) => void (down = value) };
}

interface Instance {
  readonly listening: HttpListening;
  readonly accounts: Accounts;
}

const instances: Instance[] = [];

/** One instance of the hosted server on `port`, its accounts on `on` sealed with `keys`. */
async function startInstance(port: number, on: Store, keys: readonly string[]): Promise<Instance> {
  const instanceOrigin = `http://127.0.0.1:${port}`;
  const hosted = createAccounts({
    provider: {
      id: 'fake',
      title: 'Fake Hub',
      authorizationEndpoint: `${fake.url}/authorize`,
      tokenEndpoint: `${fake.url}/token`,
      scopes: ['repo', 'read:org'],
      scopeSeparator: ',',
    },
    client: FAKE_CLIENT,
    store: on,
    keys,
    identity: {
      issuer: issuer.issuer,
      client: { clientId: CLIENT.id, clientSecret: CLIENT.secret },
    },
    publicUrl: instanceOrigin,
    logger: nullLogger,
    pollMs: 25,
  });
  const whoami = defineTool({
    name: 'whoami_upstream',
    description: 'Says whom the upstream takes the caller for.',
    input: z.object({}),
    annotations: ANNOTATIONS,
    run: async (_args, ctx) => {
      const token = await hosted.accounts.accessToken(ctx);
      const response = await fetch(`${fake.url}/whoami`, {
        headers: { Authorization: `Bearer ${token}` },
      });
      return text(((await response.json()) as { login: string }).login);
    },
  });
  const disconnect = defineTool({
    name: 'disconnect_upstream',
    description: 'Forgets the caller’s upstream account.',
    input: z.object({}),
    annotations: { ...ANNOTATIONS, readOnlyHint: false, idempotentHint: false },
    run: async (_args, ctx) => text(String(await hosted.accounts.disconnect(ctx))),
  });
  const mcp = createServer({
    name: 'accounts-test',
    version: '1.0.0',
    tools: [whoami, disconnect],
  });
  const served = await serveHttp(mcp, {
    host: '127.0.0.1',
    port,
    publicUrl: instanceOrigin,
    // Every instance takes tokens for the one resource, as instances behind one balancer do.
    signIn: { issuer: issuer.issuer, resource: `${origin}/mcp` },
    routes: hosted.routes,
  });
  const instance = { listening: served, accounts: hosted };
  instances.push(instance);
  return instance;
}

beforeAll(async () => {
  const port = await freePort();
  origin = `http://127.0.0.1:${port}`;
  [issuer, fake] = await Promise.all([
    startTestIssuer({ redirectUris: [`${origin}/connect/fake/signin`] }),
    startFakeProvider(),
  ]);
  ({ listening } = await startInstance(port, store, [KEY]));
});

afterAll(async () => {
  for (const instance of instances) await instance.listening.close();
  await Promise.all([issuer.close(), fake.close()]);
});

/** The browse of a client that must not be asked to connect. */
const notAsked = (): Promise<BrowsedPage> => Promise.reject(new Error('not asked'));

type Elicitation = { mode?: string; url?: string; elicitationId?: string; message: string };

/**
 * The SDK client signed in as `subject`; on a URL elicitation it accepts and `browse` opens the
 * link (the person's browser), as a client shows the link and the person follows it.
 */
async function connectAs(
  subject: string,
  browse: (url: string) => Promise<BrowsedPage>,
  elicitation: Record<string, object> = { url: {} },
  endpoint = listening.url,
) {
  const client = new Client(
    { name: 'accounts-test', version: '1' },
    { capabilities: { elicitation } },
  );
  const asked: Elicitation[] = [];
  const pages: Promise<BrowsedPage>[] = [];
  client.setRequestHandler(ElicitRequestSchema, (request) => {
    const params = request.params as Elicitation;
    asked.push(params);
    pages.push(browse(params.url!));
    return { action: 'accept' };
  });
  const token = await issuer.userToken(subject, `${origin}/mcp`);
  const transport = new StreamableHTTPClientTransport(new URL(endpoint), {
    requestInit: { headers: { Authorization: `Bearer ${token}` } },
  });
  await client.connect(transport);
  const call = async (name = 'whoami_upstream') => {
    const result = (await client.callTool({ name, arguments: {} })) as {
      isError?: boolean;
      content: { text: string }[];
    };
    return { isError: result.isError === true, text: result.content[0]?.text ?? '' };
  };
  return { client, asked, pages, call };
}

async function storedGrant(subject: string): Promise<string | undefined> {
  return store.scope('accounts:fake').get(`grant:${await subjectKey(subject)}`);
}

describe('connecting an upstream account', () => {
  it('asks alice once with a URL of her own, signs her in, and answers with her data', async () => {
    fake.approveAs = 'alice-upstream';
    const browser = new TestBrowser('alice');
    const alice = await connectAs('alice', (url) => browser.open(url));
    expect(await alice.call()).toEqual({ isError: false, text: 'alice-upstream' });
    expect(alice.asked).toHaveLength(1);
    const [question] = alice.asked;
    expect(question?.mode).toBe('url');
    expect(question?.url).toMatch(new RegExp(`^${origin}/connect/fake/[A-Za-z0-9_-]{43}$`));
    expect(question?.elicitationId).toBe(question?.url?.split('/').pop());
    const page = await alice.pages[0]!;
    expect(page.status).toBe(200);
    expect(page.text).toContain('Fake Hub account connected');
    // Through the operator's sign-in first, then the provider.
    expect(page.visited.some((url) => url.startsWith(`${issuer.issuer}/auth`))).toBe(true);
    expect(page.visited.findIndex((url) => url.startsWith(fake.url))).toBeGreaterThan(
      page.visited.findIndex((url) => url.startsWith(issuer.issuer)),
    );
    expect(await alice.call()).toEqual({ isError: false, text: 'alice-upstream' });
    expect(alice.asked).toHaveLength(1);
    await alice.client.close();
  });

  it('stores the grant as ciphertext under a hashed key', async () => {
    const raw = await storedGrant('alice');
    expect(raw).toBeDefined();
    expect(raw).not.toContain('at-alice');
    expect(raw).not.toContain('rt-alice');
  });

  it('gives bob his own flow and his own data, never alice’s', async () => {
    fake.approveAs = 'bob-upstream';
    const browser = new TestBrowser('bob');
    const bob = await connectAs('bob', (url) => browser.open(url));
    expect(await bob.call()).toEqual({ isError: false, text: 'bob-upstream' });
    expect(bob.asked).toHaveLength(1);
    await bob.client.close();
  });

  it('refuses bob opening carol’s connect link, burns it, and stores nothing for anyone', async () => {
    fake.approveAs = 'bob-upstream';
    const bobsBrowser = new TestBrowser('bob');
    const carol = await connectAs('carol', (url) => bobsBrowser.open(url));
    const result = await carol.call();
    expect(result.isError).toBe(true);
    expect(result.text).toContain(
      'signed in as someone other than the person this link was made for',
    );
    const page = await carol.pages[0]!;
    expect(page.status).toBe(403);
    expect(page.visited.some((url) => url.startsWith(fake.url))).toBe(false);
    expect(await storedGrant('carol')).toBeUndefined();
    // The link is used up: opening it again, even as carol, connects nobody.
    const again = await new TestBrowser('carol').open(carol.asked[0]!.url!);
    expect(again.status).toBe(404);
    expect(await storedGrant('carol')).toBeUndefined();
    await carol.client.close();
  });

  it('refuses a forged state and a replayed one, storing nothing', async () => {
    fake.approveAs = 'dave-upstream';
    const browser = new TestBrowser('dave');
    const dave = await connectAs('dave', (url) => browser.open(url));
    expect((await dave.call()).text).toBe('dave-upstream');
    const callback = (await dave.pages[0]!).visited.find((url) =>
      url.includes('/connect/fake/callback'),
    )!;
    expect((await dave.call('disconnect_upstream')).text).toBe('true');
    const replayed = await browser.open(callback);
    expect(replayed.status).toBe(400);
    expect(replayed.text).toContain('already used');
    const forged = new URL(callback);
    forged.searchParams.set('state', 'A'.repeat(43));
    expect((await browser.open(forged.href)).status).toBe(400);
    expect(await storedGrant('dave')).toBeUndefined();
    await dave.client.close();
  });

  it('answers -32042 with the URL to a client that cannot take URL elicitation', async () => {
    const erin = await connectAs('erin', notAsked, {});
    const failure = await erin.call().catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: -32042 });
    const data = (failure as { data?: { elicitations?: Elicitation[] } }).data;
    expect(data?.elicitations?.[0]).toMatchObject({ mode: 'url' });
    expect(data?.elicitations?.[0]?.url).toMatch(new RegExp(`^${origin}/connect/fake/`));
    // The client opens the URL itself, then retries: the grant is there.
    fake.approveAs = 'erin-upstream';
    const page = await new TestBrowser('erin').open(data!.elicitations![0]!.url!);
    expect(page.status).toBe(200);
    expect(await erin.call()).toEqual({ isError: false, text: 'erin-upstream' });
    await erin.client.close();
  });

  it('refreshes a token about to expire, and asks again once the refresh is refused', async () => {
    fake.approveAs = 'frank-upstream';
    fake.expiresIn = 30;
    const browser = new TestBrowser('frank');
    const frank = await connectAs('frank', (url) => browser.open(url));
    expect((await frank.call()).text).toBe('frank-upstream');
    const refreshes = () => fake.exchanges.filter((grant) => grant === 'refresh_token').length;
    const before = refreshes();
    expect((await frank.call()).text).toBe('frank-upstream');
    expect(refreshes()).toBe(before + 1);
    expect(frank.asked).toHaveLength(1);
    fake.revokeRefreshTokens();
    expect((await frank.call()).text).toBe('frank-upstream');
    expect(frank.asked).toHaveLength(2);
    fake.expiresIn = 3600;
    await frank.client.close();
  });

  it('forgets the grant on disconnect and asks again on the next call', async () => {
    fake.approveAs = 'gina-upstream';
    const browser = new TestBrowser('gina');
    const gina = await connectAs('gina', (url) => browser.open(url));
    expect((await gina.call()).text).toBe('gina-upstream');
    expect(await gina.call('disconnect_upstream')).toEqual({ isError: false, text: 'true' });
    expect(await storedGrant('gina')).toBeUndefined();
    expect(await gina.call('disconnect_upstream')).toEqual({ isError: false, text: 'false' });
    expect((await gina.call()).text).toBe('gina-upstream');
    expect(gina.asked).toHaveLength(2);
    await gina.client.close();
  });

  it('lets a second instance on the same store and key use the grant, asking nothing', async () => {
    const second = await startInstance(await freePort(), store, [KEY]);
    const alice = await connectAs('alice', notAsked, undefined, second.listening.url);
    expect(await alice.call()).toEqual({ isError: false, text: 'alice-upstream' });
    expect(alice.asked).toEqual([]);
    await alice.client.close();
  });

  it('fails clearly on an instance whose accounts key does not open the grant, and keeps it', async () => {
    const wrong = await startInstance(await freePort(), store, [
      'another-accounts-key-0123456789abcdef',
    ]);
    const alice = await connectAs('alice', notAsked, undefined, wrong.listening.url);
    const result = await alice.call();
    expect(result.isError).toBe(true);
    expect(result.text).toContain('does not open with any key of PLUGBOARD_ACCOUNTS_KEY');
    expect(alice.asked).toEqual([]);
    expect(await storedGrant('alice')).toBeDefined();
    await alice.client.close();
  });

  it('answers a clear error while the store is unreachable, and works again once it is back', async () => {
    const flaky = switchable(store);
    const instance = await startInstance(await freePort(), flaky.store, [KEY]);
    const alice = await connectAs('alice', notAsked, undefined, instance.listening.url);
    flaky.down(true);
    const result = await alice.call();
    expect(result).toEqual({
      isError: true,
      text: 'The store of Fake Hub accounts is unavailable; try again shortly.',
    });
    const page = await new TestBrowser('alice').open(
      `${instance.listening.url.replace('/mcp', '')}/connect/fake/${'A'.repeat(43)}`,
    );
    expect(page.status).toBe(503);
    flaky.down(false);
    expect(await alice.call()).toEqual({ isError: false, text: 'alice-upstream' });
    await alice.client.close();
  });

  it('connects a 2026-07-28 client through an input-required round and its retry', async () => {
    fake.approveAs = 'hank-upstream';
    const browser = new TestBrowser('hank');
    const client = new ModernClient(
      { name: 'accounts-test', version: '1' },
      {
        capabilities: { elicitation: { url: {} } },
        versionNegotiation: { mode: { pin: '2026-07-28' } },
      },
    );
    const pages: BrowsedPage[] = [];
    client.setRequestHandler('elicitation/create', async (request) => {
      // The person follows the link before the client answers; the retry then finds the grant.
      pages.push(await browser.open((request.params as Elicitation).url!));
      return { action: 'accept' };
    });
    const token = await issuer.userToken('hank', `${origin}/mcp`);
    await client.connect(
      new ModernTransport(new URL(listening.url), {
        requestInit: { headers: { Authorization: `Bearer ${token}` } },
      }),
    );
    const result = (await client.callTool({ name: 'whoami_upstream', arguments: {} })) as {
      content: { text: string }[];
    };
    expect(result.content[0]?.text).toBe('hank-upstream');
    expect(pages.map((page) => page.status)).toEqual([200]);
    await client.close();
  });
});
