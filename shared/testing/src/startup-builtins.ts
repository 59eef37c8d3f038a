/**
 * @module
 * {@link startupBuiltins}: which of Node's own modules a built server has loaded once it has
 * answered `initialize` and `tools/list` and its stdin has ended, read from `process.moduleLoadList`
 * by a preload that prints it on exit. A module absent here was not loaded on the way to
 * `tools/list` either, which is what a test of a lazy import asserts (each one costs every cold
 * start its load time).
 */
import { rawStdio, type RawStdioOptions } from './raw-stdio.js';

const MARK = 'PLUGBOARD_BUILTINS ';

/** Prints the modules Node loaded, on exit, in one line on stderr. */
const PRELOAD = `data:text/javascript,${encodeURIComponent(
  `import { writeSync } from 'node:fs';
process.on('exit', () => writeSync(2, '\\n${MARK}' + JSON.stringify(process.moduleLoadList) + '\\n'));`,
)}`;

/**
 * Starts the server with the preload, lists its tools, ends its stdin and returns the public
 * built-in modules it had loaded by then (`NativeModule child_process` becomes `child_process`;
 * internal ones are left out).
 */
export async function startupBuiltins(options: RawStdioOptions): Promise<string[]> {
  const peer = rawStdio({
    ...options,
    env: { ...options.env, NODE_OPTIONS: `--import=${PRELOAD}` },
  });
  try {
    await peer.initialize();
    await peer.request('tools/list');
  } finally {
    await peer.close();
  }
  const line = peer
    .stderr()
    .split('\n')
    .find((text) => text.startsWith(MARK));
  if (line === undefined) throw new Error(`the server printed no module list:\n${peer.stderr()}`);
  return (JSON.parse(line.slice(MARK.length)) as string[])
    .filter((name) => name.startsWith('NativeModule ') && !name.includes('internal/'))
    .map((name) => name.slice('NativeModule '.length));
}
