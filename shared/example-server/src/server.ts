/**
 * @module
 * {@link createExampleServer} builds the server from its dependencies and tools (tests call it
 * directly); {@link parts} is what `main.ts` runs: the configuration from the command line, the
 * clear gate, the dependencies, and the tools listed from the build's manifest.
 */
import { createServer, type McpServer, type ServerOptions, type Tool } from '@plugboard/protocol';
import type { ServerParts } from '@plugboard/kit/cli';
import type { ExposedTools, ToolConfiguration } from '@plugboard/kit/tools';
import type { ExampleConfig, ExampleDeps } from './context.js';
import { spec } from './spec.js';

/** The gates the tools `require`: clear_notes is listed only with --allow-clear. */
export function exampleExposure(config: ExampleConfig): Omit<ToolConfiguration, 'selection'> {
  return {
    gates: {
      allowClear: {
        open: config.allowClear,
        label: 'the clear tool',
        enable: '--allow-clear (or EXAMPLE_ALLOW_CLEAR=1)',
      },
    },
  };
}

export function createExampleServer(
  deps: ExampleDeps,
  selected: ExposedTools<Tool<ExampleDeps>>,
  options: Pick<ServerOptions<ExampleDeps>, 'logger' | 'requestStateKey' | 'outputBudget'> = {},
): McpServer<ExampleDeps> {
  return createServer<ExampleDeps>({
    name: spec.bin,
    title: 'Example notes',
    version: spec.version,
    instructions:
      'Notes kept in memory for this session: add_note keeps one, list_notes shows them.',
    tools: selected.tools,
    disabledTools: selected.disabledTools,
    context: deps,
    ...options,
  });
}

export const parts: ServerParts<ExampleConfig, ExampleDeps> = {
  config: (input) => ({ allowClear: input.flags.get('allow-clear') === true }),
  tools: {
    manifest: new URL('./tools.json', import.meta.url),
    load: async () => (await import('./tools/index.js')).tools,
  },
  exposure: exampleExposure,
  dependencies: (config, { logger }) => {
    logger.info('notes kept in memory', { allowClear: config.allowClear });
    return { config, notes: [] };
  },
  server: createExampleServer,
};
