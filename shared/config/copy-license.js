#!/usr/bin/env node
/**
 * @module
 * `plugboard-license`: puts the repository's one LICENSE beside the package.json of the package
 * being built, so `npm pack` and `pnpm pack` put it in the tarball (npm always packs a root
 * LICENSE, whatever `files` says). The copy is build output: ignored by git, restored by turbo.
 */
import { copyFileSync, existsSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Copies the LICENSE of the workspace holding `packageDir` into it; returns the copy's path. */
export function copyLicense(packageDir) {
  let dir = packageDir;
  while (!existsSync(join(dir, 'pnpm-workspace.yaml'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`${packageDir} is not inside a pnpm workspace`);
    dir = parent;
  }
  const copy = join(packageDir, 'LICENSE');
  copyFileSync(join(dir, 'LICENSE'), copy);
  return copy;
}

// Run as the bin (a link under node_modules/.bin resolving to this file), not when imported.
const invoked = process.argv[1] === undefined ? undefined : realpathSync(process.argv[1]);
if (invoked !== undefined && import.meta.url === pathToFileURL(invoked).href)
  copyLicense(process.cwd());
