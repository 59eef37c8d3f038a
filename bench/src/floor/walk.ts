/**
 * @module
 * The in-process floor for the filesystem suite: a plain synchronous Node walk of a tree, run as
 * its own process. `tree DIR` prints the tree as compact JSON (`[{name, type, children}]`, the
 * shape of directory_tree); `find DIR SUFFIX` prints the paths whose names end with SUFFIX, one
 * per line. The time of the walk and the serialisation alone, without process start-up, goes to
 * stderr as `{"inProcessMs": n}` for the harness.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

interface Entry {
  name: string;
  type: 'file' | 'directory';
  children?: Entry[];
}

function walkTree(dir: string): Entry[] {
  return readdirSync(dir, { withFileTypes: true }).map((dirent) =>
    dirent.isDirectory()
      ? { name: dirent.name, type: 'directory', children: walkTree(join(dir, dirent.name)) }
      : { name: dirent.name, type: 'file' },
  );
}

function find(dir: string, suffix: string, out: string[]): void {
  for (const dirent of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, dirent.name);
    if (dirent.isDirectory()) find(path, suffix, out);
    else if (dirent.name.endsWith(suffix)) out.push(path);
  }
}

const [mode, dir, suffix] = process.argv.slice(2);
if ((mode !== 'tree' && mode !== 'find') || dir === undefined) {
  process.stderr.write('usage: walk.js tree DIR | walk.js find DIR SUFFIX\n');
  process.exit(2);
}
const started = performance.now();
let text: string;
if (mode === 'tree') {
  text = JSON.stringify(walkTree(dir));
} else {
  const paths: string[] = [];
  find(dir, suffix ?? '', paths);
  text = paths.join('\n');
}
const inProcessMs = performance.now() - started;
process.stdout.write(text);
process.stderr.write(`${JSON.stringify({ inProcessMs })}\n`);
