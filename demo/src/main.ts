#!/usr/bin/env node
/**
 * @module
 * The demo's command line: `node demo/dist/main.js [--only a,b] [--verbose]`, as run by
 * `npm run demo` after everything is built.
 */
import { parseArgs } from 'node:util';
import { runDemo } from './demo.js';

const USAGE = 'Usage: plugboard-demo [--only filesystem,git,postgres,protocol] [--verbose]';

function parse(): { only?: string; verbose: boolean; help: boolean } | undefined {
  try {
    return parseArgs({
      options: {
        only: { type: 'string' },
        verbose: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    }).values;
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return undefined;
  }
}

// A reader that stops early (`| head`) closes the pipe: stop quietly, not with a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  process.exit(error.code === 'EPIPE' ? 0 : 1);
});

const values = parse();
if (values === undefined) {
  process.exitCode = 2;
} else if (values.help) {
  console.log(USAGE);
} else {
  process.exitCode = await runDemo({
    only: values.only?.split(',').filter((name) => name !== '') ?? [],
    verbose: values.verbose,
    write: (line) => {
      console.log(line);
    },
  });
}
