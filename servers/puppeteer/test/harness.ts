/**
 * @module
 * The browser server in process, configured the way the command line would configure it and
 * connected to the official SDK client, so every call goes through the real protocol, the real
 * URL policy, the real egress proxy and a real headless Chromium.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { nullLogger, type Logger } from '@plugboard/protocol';
import type { FlagValue } from '@plugboard/kit/cli';
import { InMemoryTransport } from '@plugboard/protocol/testing';
import { serverHarness, type ServerHarness } from '@plugboard/testing';
import { parseConfig } from '../src/config.js';
import type { BrowserDeps } from '../src/context.js';
import type { Connect } from '../src/policy/egress-proxy.js';
import type { Resolve } from '../src/policy/url-policy.js';
import { createBrowserDeps, createPuppeteerServer } from '../src/server.js';
import { tools } from '../src/tools/index.js';

export interface HarnessOptions {
  /** Command-line flags by name, e.g. `{ 'block-loopback': true, 'allow-origin': ['http://x'] }`. */
  flags?: Record<string, FlagValue>;
  env?: Record<string, string>;
  resolve?: Resolve;
  connect?: Connect;
  logger?: Logger;
  /** Called for every server notification the client receives. */
  onNotification?: (method: string, params: unknown) => void;
}

export interface Harness extends ServerHarness {
  readonly deps: BrowserDeps;
}

export { textOf } from '@plugboard/testing';

/** Environment for tests: the browser the CI installs, whatever PUPPETEER_EXECUTABLE_PATH says. */
export function browserEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
  return { ...env, ...extra };
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const flags = new Map<string, FlagValue>(Object.entries(options.flags ?? {}));
  const config = parseConfig(flags, browserEnv(options.env), process.cwd());
  const logger = options.logger ?? nullLogger;
  const deps = createBrowserDeps(config, {
    logger,
    ...(options.resolve === undefined ? {} : { resolve: options.resolve }),
    ...(options.connect === undefined ? {} : { connect: options.connect }),
  });
  const server = createPuppeteerServer(deps, { tools, logger });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: 'puppeteer-test', version: '0.0.0' }, { capabilities: {} });
  if (options.onNotification !== undefined) {
    const listener = options.onNotification;
    client.fallbackNotificationHandler = (notification) => {
      listener(notification.method, notification.params);
      return Promise.resolve();
    };
  }
  await client.connect(clientSide as unknown as Transport);
  // Listing first makes the client validate every structured result against the tool's outputSchema.
  await client.listTools();
  const close = async (): Promise<void> => {
    await client.close();
    await server.close();
    await deps.session.close();
  };
  return { ...serverHarness(client, close), deps };
}
