/**
 * @module
 * The in-process test bench: the Slack fake, the real server (configured through the same
 * `parseConfig` as the command line, with the real `@slack/web-api` client pointed at the fake)
 * and the official SDK client over a linked in-memory pair. Calls return the SDK's parsed result,
 * which the client has already checked against each tool's output schema.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { nullLogger, type Logger, type Transport } from '@plugboard/protocol';
import type { FlagValue } from '@plugboard/protocol/cli';
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

export interface Harness {
  readonly fake: FakeSlack;
  readonly client: Client;
  readonly config: SlackConfig;
  call(
    name: string,
    args?: Record<string, unknown>,
    options?: { signal?: AbortSignal },
  ): Promise<CallResult>;
  /** Calls a tool that must succeed; returns its structured content and text. */
  ok<T = Record<string, unknown>>(
    name: string,
    args?: Record<string, unknown>,
  ): Promise<T & { text: string }>;
  /** Calls a tool that must fail; returns its message. */
  fail(name: string, args?: Record<string, unknown>): Promise<string>;
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

export function textOf(result: CallResult): string {
  return result.content.map((block) => block.text ?? '').join('\n');
}

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
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  // The SDK's in-memory transport has the same shape as ours; only its callback types are narrower.
  await server.connect(serverSide as unknown as Transport);
  const client = new Client({ name: 'slack-tests', version: '0.0.0' }, { capabilities: {} });
  await client.connect(clientSide);
  // Listing tools lets the client validate every structured result against its output schema.
  await client.listTools();
  const call = async (
    name: string,
    args: Record<string, unknown> = {},
    callOptions: { signal?: AbortSignal } = {},
  ): Promise<CallResult> =>
    (await client.callTool(
      { name, arguments: args },
      undefined,
      callOptions.signal === undefined ? {} : { signal: callOptions.signal },
    )) as CallResult;
  const close = async (): Promise<void> => {
    await client.close();
    await server.close();
    await fake.close();
  };
  return {
    fake,
    client,
    config,
    call,
    async ok<T>(name: string, args: Record<string, unknown> = {}) {
      const result = await call(name, args);
      if (result.isError === true) throw new Error(`${name} failed: ${textOf(result)}`);
      return { ...(result.structuredContent as T), text: textOf(result) };
    },
    async fail(name: string, args: Record<string, unknown> = {}) {
      const result = await call(name, args);
      if (result.isError !== true)
        throw new Error(`${name} succeeded but should have failed: ${textOf(result)}`);
      return textOf(result);
    },
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
