#!/usr/bin/env node
/**
 * @module
 * Entry point of mcp-server-filesystem: parses the command line and serves. The server itself is
 * imported only after --help and --version are handled.
 */
import { runServer } from '@plugboard/kit/cli';
import { spec } from './spec.js';

await runServer({
  spec,
  create: async (input) => {
    const { startFilesystemServer } = await import('./server.js');
    return startFilesystemServer(input);
  },
});
