/**
 * @module
 * {@link LOADED_FILES_PRELOAD} and {@link loadedFiles}: which files of a directory a Node process
 * loaded as modules. The preload registers a module hook that names each module on stderr as it
 * loads (the hook runs in its own thread, so the process's own start-up is unchanged). A test of
 * a lazy import asserts that a file is absent; the start-up bench counts the files of a bundle.
 * No other import: `@plugboard/testing/loaded-files` is imported outside of vitest too.
 */
import { basename, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const MARK = 'PLUGBOARD_LOADED ';

/** For `NODE_OPTIONS: --import=<this>`: each module's URL on stderr, on a line of its own. */
export const LOADED_FILES_PRELOAD = `data:text/javascript,${encodeURIComponent(
  `import { register } from 'node:module';
register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(
    `import { writeSync } from 'node:fs';
export async function load(url, context, next) {
  writeSync(2, '\\n${MARK}' + url + '\\n');
  return next(url, context);
}`,
  )}));`,
)}`;

/** The names of the files directly in `dir` that the process whose stderr is `stderr` loaded. */
export function loadedFiles(stderr: string, dir: string): string[] {
  const files = stderr
    .split('\n')
    .filter((line) => line.startsWith(`${MARK}file:`))
    .map((line) => fileURLToPath(line.slice(MARK.length)))
    .filter((file) => dirname(file) === resolve(dir))
    .map((file) => basename(file));
  return [...new Set(files)];
}
