#!/usr/bin/env node
/**
 * @module
 * Runs the conformance fixture: stdio by default, `--transport http --port N` for the official
 * conformance suite.
 */
import { runServer } from '@plugboard/protocol/cli';

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
    const pageSize = flags.get('page-size');
    return {
      server: createFixtureServer({
        ...serverDefaults,
        ...(typeof pageSize === 'number' ? { pageSize } : {}),
      }),
    };
  },
});
