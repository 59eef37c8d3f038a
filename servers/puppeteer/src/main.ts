#!/usr/bin/env node
import { runServer } from '@plugboard/kit/cli';
import { spec } from './spec.js';

await runServer({
  spec,
  create: async (input) => (await import('./server.js')).startPuppeteerServer(input, process.cwd()),
});
