/**
 * @module
 * The in-process test bench: the Slack fake, the real server (configured through the same
 * `parseConfig` as the command line, with the real `@slack/web-api` client pointed at the fake)
 * and the official SDK client over a linked in-memory pair. Calls return the SDK's parsed result,
 * which the client has already checked against each tool's output schema.
 */
import { nullLogger, type Logger } from '@plugboard/protocol';
import { connectInProcess, serverHarness, type ServerHarness } from '@plugboard/testing';
import type { FlagValue } from '@plugboard/kit/cli';
import { parseConfig, type SlackConfig } from '../src/config.js';
import { createSlackDeps, createSlackServer } from '../src/server.js';
import { tools } from '../src/tools/index.js';
import { BOT_TOKEN, fakeSlack, NOW, type FakeSlack, type FakeSlackOptions } from './fake-slack.js';

export interface HarnessOptions extends FakeSlackOptions {
  /** Command-line flags, as parsed (`{ 'post-channels': ['C1'] }`). */
  readonly flags?: Readonly<Record<string, FlagValue>>;
  /** Environment besides SLACK_BOT_TOKEN (set unless overridden) and SLACK_API_URL. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly logger?: Logger;
  /** The fetch under the Slack client (to watch or delay requests). */
  readonly fetch?: typeof fetch;
}

export interface CallResult {
  isError?: boolean;
  content: { type: string; text?: string }[];
  structuredContent?: Record<string, unknown>;
}

/** `call`, plus `ok` (must succeed: its data and text) and `fail` (must fail: its message). */
export interface Harness extends ServerHarness<CallResult> {
  readonly fake: FakeSlack;
  readonly config: SlackConfig;
}

export { textOf } from '@plugboard/testing';

/** Fake, server and client, wired together; every tool is exposed. */
export async function harness(options: HarnessOptions = {}): Promise<Harness> {
  const fake = await fakeSlack(options);
  const flags = new Map<string, FlagValue>(Object.entries(options.flags ?? {}));
  flags.set('api-url', fake.apiUrl);
  const config = parseConfig(flags, { SLACK_BOT_TOKEN: BOT_TOKEN, ...options.env });
  const logger = options.logger ?? nullLogger;
  const deps = createSlackDeps(config, {
    logger,
    retryBaseMs: 5,
    now: () => options.now ?? NOW,
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  });
  const server = createSlackServer(deps, { tools, logger });
  const client = await connectInProcess(server, {
    clientInfo: { name: 'slack-tests', version: '0.0.0' },
  });
  const close = async (): Promise<void> => {
    await client.close();
    await server.close();
    await fake.close();
  };
  return { ...serverHarness<CallResult>(client, close), fake, config };
}
