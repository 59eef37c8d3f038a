#!/usr/bin/env node
/**
 * @module
 * The demo's command line: `node demo/dist/main.js [--only a,b] [--verbose]`, as run by
 * `npm run demo` after everything is built.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runDemo } from './demo.js';

const USAGE = 'Usage: plugboard-demo [--only filesystem,git,postgres,browser,protocol] [--verbose]';

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

const workRoot = mkdtempSync(join(tmpdir(), 'plugboard-demo-'));
/** Leaves no sandbox behind, however the demo ends; the servers exit when their stdin closes. */
function stop(code: number): never {
  rmSync(workRoot, { recursive: true, force: true });
  process.exit(code);
}
// A reader that stops early (`| head`) closes the pipe: stop quietly, not with a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  stop(error.code === 'EPIPE' ? 0 : 1);
});
process.once('SIGINT', () => stop(130));
process.once('SIGTERM', () => stop(143));

const values = parse();
if (values === undefined) {
  process.exitCode = 2;
} else if (values.help) {
  console.log(USAGE);
} else {
  process.exitCode = await runDemo({
    only: values.only?.split(',').filter((name) => name !== '') ?? [],
    verbose: values.verbose,
    workRoot,
    write: (line) => {
      console.log(line);
    },
  });
}
rmSync(workRoot, { recursive: true, force: true });
