/**
 * @module
 * The in-process test bench: the GitHub fake, the real server (real Octokit, real policy) and the
 * official SDK client over a linked in-memory pair. Calls return the SDK's parsed result, which
 * the client has already checked against each tool's output schema.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { nullLogger, type Logger, type Transport } from '@plugboard/protocol';
import type { GithubConfig } from '../src/config.js';
import type { GithubDeps } from '../src/context.js';
import { createGithubClient, type Pacing } from '../src/github.js';
import { createRepoPolicy } from '../src/policy.js';
import { createGithubServer } from '../src/server.js';
import { tools } from '../src/tools/index.js';
import { fakeGithub, type FakeGithub, type FakeGithubOptions, type Route } from './fake-github.js';

export const TEST_TOKEN = 'ghp_TestTokenThatMustNeverLeak0123456789';

/** No spacing between writes or searches: tests are not integrators hitting github.com. */
export const NO_PACING: Pacing = { writeMs: 0, searchMs: 0, notificationsMs: 0 };

export interface HarnessOptions extends FakeGithubOptions {
  readonly routes?: Readonly<Record<string, Route>>;
  readonly config?: Partial<GithubConfig>;
  readonly pacing?: Pacing;
  readonly logger?: Logger;
  /** Retry wait unit; the real one is a second. */
  readonly retryBaseMs?: number;
}

export interface CallResult {
  isError?: boolean;
  content: { type: string; text?: string }[];
  structuredContent?: Record<string, unknown>;
}

export interface Harness {
  readonly fake: FakeGithub;
  readonly client: Client;
  readonly config: GithubConfig;
  call(
    name: string,
    args?: Record<string, unknown>,
    options?: { signal?: AbortSignal },
  ): Promise<CallResult>;
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

export function textOf(result: CallResult): string {
  return result.content.map((block) => block.text ?? '').join('\n');
}

export function testConfig(apiUrl: string, overrides: Partial<GithubConfig> = {}): GithubConfig {
  return {
    token: TEST_TOKEN,
    apiUrl,
    graphqlUrl: `${apiUrl}/graphql`,
    toolsets: undefined,
    allowlist: undefined,
    lockdown: false,
    allowWorkflowWrites: false,
    allowDefaultBranchWrites: false,
    allowPrivateToPublic: false,
    timeoutMs: 15_000,
    outputBudget: 65_536,
    ...overrides,
  };
}

/** Fake, server and client, wired together; every tool is exposed. */
export async function harness(options: HarnessOptions = {}): Promise<Harness> {
  const fake = await fakeGithub(options.routes, options);
  const config = testConfig(fake.url, options.config);
  const deps: GithubDeps = {
    config,
    github: createGithubClient(config, {
      logger: options.logger ?? nullLogger,
      pacing: options.pacing ?? NO_PACING,
      retryBaseMs: options.retryBaseMs ?? 10,
    }),
    policy: createRepoPolicy(config),
  };
  const server = createGithubServer(deps, { tools, logger: options.logger ?? nullLogger });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  // The SDK's in-memory transport has the same shape as ours; only its callback types are narrower.
  await server.connect(serverSide as unknown as Transport);
  const client = new Client({ name: 'github-tests', version: '0.0.0' }, { capabilities: {} });
  await client.connect(clientSide);
  // Listing tools lets the client validate every structured result against its output schema.
  await client.listTools();
  const close = async (): Promise<void> => {
    await client.close();
    await server.close();
    await fake.close();
  };
  return {
    fake,
    client,
    config,
    call: async (name, args = {}, callOptions = {}) =>
      (await client.callTool(
        { name, arguments: args },
        undefined,
        callOptions.signal === undefined ? {} : { signal: callOptions.signal },
      )) as CallResult,
    close,
    [Symbol.asyncDispose]: close,
  };
}

/** A logger that keeps every line it is given (at every level), for assertions on what is logged. */
export function captureLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const keep =
    (level: string) =>
    (message: string, fields?: Readonly<Record<string, unknown>>): void => {
      lines.push(`${level} ${message} ${fields === undefined ? '' : JSON.stringify(fields)}`);
    };
  return {
    lines,
    logger: {
      debug: keep('debug'),
      info: keep('info'),
      warn: keep('warn'),
      error: keep('error'),
      enabled: () => true,
    },
  };
}
