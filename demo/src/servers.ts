/**
 * @module
 * Finds the built entry file of a server in this checkout: the package's folder, then its `bin`
 * entry. A server that is not built yet (no file there) is reported as such, so the demo can skip
 * it with a note. The demo does not depend on the servers as packages: one that does not build
 * must not keep the others from being shown.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The checkout's root: the demo's dist/ and src/ sit two levels below it. */
export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export type Located =
  | {
      readonly status: 'built';
      readonly entry: string;
      readonly bin: string;
      readonly version: string;
    }
  | { readonly status: 'missing'; readonly reason: string; readonly short: string };

interface PackageJson {
  readonly name?: string;
  readonly version?: string;
  readonly bin?: string | Readonly<Record<string, string>>;
}

/** Where the executable of the package in `folder` (relative to the root) is, if it has been built. */
export function locateServer(folder: string, root = REPO_ROOT): Located {
  const dir = join(root, folder);
  const manifestPath = join(dir, 'package.json');
  if (!existsSync(manifestPath))
    return {
      status: 'missing',
      reason: `${folder} is not in this checkout`,
      short: 'not in this checkout',
    };
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as PackageJson;
  const name = manifest.name ?? folder;
  const bins = typeof manifest.bin === 'string' ? { [name]: manifest.bin } : (manifest.bin ?? {});
  const [bin, relative] = Object.entries(bins)[0] ?? [];
  if (bin === undefined || relative === undefined) {
    return {
      status: 'missing',
      reason: `${name} has no executable yet`,
      short: 'no executable yet',
    };
  }
  const entry = join(dir, relative);
  if (!existsSync(entry)) {
    return {
      status: 'missing',
      reason: `not built yet (no ${folder}/${relative})`,
      short: 'not built yet',
    };
  }
  return { status: 'built', entry, bin, version: manifest.version ?? '0.0.0' };
}
