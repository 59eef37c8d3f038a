/**
 * @module
 * {@link createFixtureServer}: the conformance fixture, a server built only on
 * `@plugboard/protocol` that exposes every tool, resource and prompt the official conformance
 * suite calls, for both protocol revisions, plus what the interop and robustness tests need.
 */
import { createServer } from '@plugboard/protocol';
import type { McpServer, ServerOptions, Tool } from '@plugboard/protocol';
import type { FixtureControl, FixtureDeps } from './context.js';
import { dynamicPrompt, prompts } from './prompts.js';
import { dynamicResource, resources, resourceTemplates, watched } from './resources.js';

/** What callers may tune: logging, the request-state key, page size, caching hints, budget. */
export type FixtureServerOptions = Partial<
  Pick<
    ServerOptions<FixtureDeps>,
    'logger' | 'requestStateKey' | 'pageSize' | 'cache' | 'outputBudget'
  >
>;

/** Adds `item` under `key`, or removes it when present; returns whether it is now registered. */
function toggle<T>(
  registry: { get(key: string): T | undefined; set(item: T): void; delete(key: string): boolean },
  key: string,
  item: T,
): boolean {
  if (registry.get(key) !== undefined) {
    registry.delete(key);
    return false;
  }
  registry.set(item);
  return true;
}

/**
 * A fresh fixture server with its own state. `tools` come from the caller (see `main.ts`), so
 * building the server never imports the tool modules and zod.
 */
export function createFixtureServer(
  tools: readonly Tool<FixtureDeps>[],
  options: FixtureServerOptions = {},
): McpServer<FixtureDeps> {
  let watchedVersion = 0;
  const control: FixtureControl = {
    toggleTool: (tool) => toggle(server.tools, tool.name, tool),
    togglePrompt: () => toggle(server.prompts, dynamicPrompt.name, dynamicPrompt),
    toggleResource: () => toggle(server.resources, dynamicResource.descriptor.uri, dynamicResource),
    touchResource(uri) {
      if (uri === watched.descriptor.uri) watchedVersion++;
      server.notifyResourceUpdated(uri);
    },
    watchedVersion: () => watchedVersion,
  };
  const server = createServer<FixtureDeps>({
    name: 'plugboard-conformance-fixture',
    title: 'Plugboard conformance fixture',
    version: '0.0.0',
    resourceSubscriptions: true,
    instructions:
      'A test fixture: every tool, resource and prompt exists to exercise the protocol.',
    tools,
    resources,
    resourceTemplates,
    prompts,
    context: { control, cancelled: [] },
    // test_echo answers with what it is given, and the robustness tests send it a megabyte; the
    // protocol's budget is exercised by its own tests (and by --output-budget on this fixture).
    outputBudget: 16 * 1024 * 1024,
    ...options,
  });
  return server;
}
