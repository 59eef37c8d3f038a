#!/usr/bin/env node
import { runServer } from '@plugboard/protocol/cli';
import { spec } from './spec.js';

const argv = process.argv.slice(2);
if (argv[0] === 'auth')
  process.exitCode = await (await import('./auth/command.js')).runAuth(argv.slice(1));
else
  await runServer({
    spec,
    argv,
    create: async (input) => (await import('./server.js')).startGdriveServer(input),
  });
