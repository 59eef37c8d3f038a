#!/usr/bin/env node
import { runServer } from '@plugboard/protocol/cli';
import { translateOfficialArguments } from './compat.js';
import { spec } from './spec.js';

await runServer({
  spec,
  argv: translateOfficialArguments(process.argv.slice(2)),
  create: async (input) => (await import('./server.js')).startGitServer(input, process.cwd()),
});
