/**
 * @module
 * Measures an npm install: how many packages landed in node_modules (nested copies included) and
 * how many bytes their files take, the figures a user pays for on first `npx -y`.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** Packages and bytes under one node_modules tree. */
export interface Footprint {
  readonly packages: number;
  readonly bytes: number;
}

async function bytesUnder(path: string): Promise<number> {
  const entries = await readdir(path, { withFileTypes: true });
  let total = 0;
  for (const entry of entries) {
    const full = join(path, entry.name);
    if (entry.isDirectory()) total += await bytesUnder(full);
    else if (entry.isFile()) total += (await stat(full)).size;
  }
  return total;
}

async function packagesUnder(nodeModules: string): Promise<number> {
  const entries = await readdir(nodeModules, { withFileTypes: true }).catch(() => []);
  let count = 0;
  for (const entry of entries) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    const full = join(nodeModules, entry.name);
    if (entry.name.startsWith('@')) {
      count += await packagesUnder(full);
      continue;
    }
    count += 1 + (await packagesUnder(join(full, 'node_modules')));
  }
  return count;
}

/** The footprint of `<prefix>/node_modules`. */
export async function measureFootprint(prefix: string): Promise<Footprint> {
  const nodeModules = join(prefix, 'node_modules');
  return { packages: await packagesUnder(nodeModules), bytes: await bytesUnder(nodeModules) };
}

/** `1.2 MB` style, decimal units as npm prints them. */
export function formatBytes(bytes: number): string {
  if (bytes < 1_000_000) return `${(bytes / 1000).toFixed(0)} kB`;
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}
