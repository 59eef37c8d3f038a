#!/usr/bin/env node
/**
 * @module
 * Entry point of mcp-server-slack: parses the command line and serves. The server itself (and
 * the Slack client) is imported only after --help and --version are handled.
 */
import { runServer } from '@plugboard/kit/cli';
import { spec } from './spec.js';

await runServer({
  spec,
  create: async (input) => (await import('./server.js')).startSlackServer(input),
});
