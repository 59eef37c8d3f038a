#!/usr/bin/env node
/**
 * @module
 * The `mcp-server-postgres` command: the only file that touches argv, env and the process exit.
 * The server module is imported after the command line is read, so --help loads nothing else.
 */
import { createRequire } from 'node:module';
import { runServer } from '@plugboard/kit/cli';
import { COMMAND } from './command.js';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

await runServer({
  spec: { ...COMMAND, version },
  create: async (input) =>
    (await import('./server.js')).startPostgresServer(input, {
      version,
      exit: (code) => process.exit(code),
    }),
});
