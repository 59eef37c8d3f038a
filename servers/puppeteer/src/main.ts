#!/usr/bin/env node
import { runServer } from '@plugboard/protocol/cli';
import { spec } from './spec.js';

await runServer({
  spec,
  create: async (input) => (await import('./server.js')).startPuppeteerServer(input, process.cwd()),
});
