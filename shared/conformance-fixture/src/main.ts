#!/usr/bin/env node
/**
 * @module
 * Runs the conformance fixture: stdio by default, `--transport http --port N` for the official
 * conformance suite.
 */
import { runServer } from '@plugboard/kit/cli';
import { loadTools } from '@plugboard/kit/tools';

await runServer({
  spec: {
    bin: 'plugboard-conformance-fixture',
    version: '0.0.0',
    prefix: 'FIXTURE',
    summary: 'Every fixture the MCP conformance suite calls, built on @plugboard/protocol',
    flags: [
      {
        name: 'page-size',
        type: 'integer',
        env: 'FIXTURE_PAGE_SIZE',
        placeholder: 'N',
        description: 'Items per page of every list method (default 100)',
      },
    ],
  },
  create: async ({ flags, serverDefaults }) => {
    const { createFixtureServer } = await import('./server.js');
    // Listed from the build's manifest; the tool modules (and zod) load on the first call.
    const tools = await loadTools(new URL('./tools.json', import.meta.url), async () => {
      const registry = await import('./tools/index.js');
      return registry.tools;
    });
    const pageSize = flags.get('page-size');
    return {
      server: createFixtureServer(tools, {
        ...serverDefaults,
        ...(typeof pageSize === 'number' ? { pageSize } : {}),
      }),
    };
  },
});
