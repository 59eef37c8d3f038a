/**
 * @module
 * The in-process test bench: the GitHub fake, the real server (real Octokit, real policy) and the
 * official SDK client over a linked in-memory pair. Calls return the SDK's parsed result, which
 * the client has already checked against each tool's output schema.
 */
import { nullLogger, type Logger } from '@plugboard/protocol';
import { connectInProcess, serverHarness, type ServerHarness } from '@plugboard/testing';
import { graphqlUrlFor, webUrlFor, type GithubConfig } from '../src/config.js';
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
  /** Path of the REST root on the fake, e.g. `/api/v3` to stand in for GitHub Enterprise Server. */
  readonly apiPath?: string;
  /** Most bytes of one upstream response body (the kit's cap). */
  readonly maxBodyBytes?: number;
}

export interface CallResult {
  isError?: boolean;
  content: { type: string; text?: string }[];
  structuredContent?: Record<string, unknown>;
}

export interface Harness extends ServerHarness<CallResult> {
  readonly fake: FakeGithub;
  readonly config: GithubConfig;
}

export { textOf } from '@plugboard/testing';

export function testConfig(apiUrl: string, overrides: Partial<GithubConfig> = {}): GithubConfig {
  return {
    token: TEST_TOKEN,
    apiUrl,
    graphqlUrl: graphqlUrlFor(apiUrl),
    webUrl: webUrlFor(apiUrl),
    oauth: undefined,
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
  const config = testConfig(`${fake.url}${options.apiPath ?? ''}`, options.config);
  const deps: GithubDeps = {
    config,
    github: createGithubClient(config, {
      logger: options.logger ?? nullLogger,
      pacing: options.pacing ?? NO_PACING,
      retryBaseMs: options.retryBaseMs ?? 10,
      ...(options.maxBodyBytes === undefined ? {} : { maxBodyBytes: options.maxBodyBytes }),
    }),
    policy: createRepoPolicy(config),
  };
  const server = createGithubServer(deps, { tools, logger: options.logger ?? nullLogger });
  const client = await connectInProcess(server, {
    clientInfo: { name: 'github-tests', version: '0.0.0' },
  });
  const close = async (): Promise<void> => {
    await client.close();
    await server.close();
    await fake.close();
    const violations = fake.graphqlViolations();
    if (violations.length > 0)
      throw new Error(`GraphQL that is not GitHub's:\n${violations.join('\n')}`);
  };
  return { ...serverHarness<CallResult>(client, close), fake, config };
}
