#!/usr/bin/env node
import { ChildProcesses } from '@plugboard/kit/process';
import { runServer } from '@plugboard/kit/cli';
import { translateOfficialArguments } from './compat.js';
import { spec } from './spec.js';

// A shutdown ends every git still running; an exit any other way (a crash) still kills them.
const children = new ChildProcesses();
process.once('exit', () => children.killAll());

await runServer({
  spec,
  argv: translateOfficialArguments(process.argv.slice(2)),
  create: async (input) =>
    (await import('./server.js')).startGitServer(input, process.cwd(), children),
});
