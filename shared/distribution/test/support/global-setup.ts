/**
 * @module
 * Vitest global setup: packs every built server with `pnpm pack` (plus @plugboard/protocol, which a
 * server may still need at run time) and installs each tarball with plain npm into its own clean
 * directory, as `npx -y` would. The suites receive the install locations through `inject`.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { TestProject } from 'vitest/node';
import { measureFootprint, type Footprint } from './footprint.js';
import { npmInstall } from './npm.js';
import { announceSkips, listServers, repoRoot, type ServerPackage } from './workspace.js';

const run = promisify(execFile);

/** One server installed from its tarball. */
export interface Installed {
  readonly id: string;
  readonly name: string;
  readonly tarball: string;
  /** The package.json inside the tarball, after pnpm rewrote workspace and catalog references. */
  readonly packed: ServerPackage;
  readonly prefix: string;
  /** The installed bin, what `npx -y <name>` would run. */
  readonly bin: string;
  /** Whether the tarball of @plugboard/protocol had to be installed beside it. */
  readonly neededProtocol: boolean;
  readonly footprint: Footprint;
}

/** Everything the suites learn from the setup. */
export interface Installs {
  readonly root: string;
  readonly installed: readonly Installed[];
  readonly skipped: readonly { readonly name: string; readonly reason: string }[];
  /** Built servers whose tarball did not pack or install: always a defect. */
  readonly failed: readonly { readonly name: string; readonly reason: string }[];
}

declare module 'vitest' {
  export interface ProvidedContext {
    installs: Installs;
  }
}

async function pack(dir: string, destination: string): Promise<string> {
  await run('pnpm', ['pack', '--pack-destination', destination], { cwd: dir });
  const [tarball] = (await readdir(destination)).filter((file) => file.endsWith('.tgz'));
  if (tarball === undefined) throw new Error(`pnpm pack wrote no tarball for ${dir}`);
  return join(destination, tarball);
}

async function packedManifest(tarball: string): Promise<ServerPackage> {
  const { stdout } = await run('tar', ['-xzOf', tarball, 'package/package.json']);
  return JSON.parse(stdout) as ServerPackage;
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const root = await mkdtemp(join(tmpdir(), 'plugboard-distribution-'));
  const servers = listServers();
  announceSkips('pack', servers);
  const protocolTarball = await pack(
    join(repoRoot, 'packages/protocol'),
    await mkdtemp(join(root, 'pack-')),
  );
  const installed: Installed[] = [];
  const failed: { name: string; reason: string }[] = [];
  const skipped = servers
    .filter((server) => server.notReady !== undefined)
    .map((server) => ({ name: server.pkg.name, reason: server.notReady ?? '' }));
  for (const server of servers.filter((candidate) => candidate.notReady === undefined)) {
    try {
      const tarball = await pack(server.dir, await mkdtemp(join(root, 'pack-')));
      const packed = await packedManifest(tarball);
      const neededProtocol = packed.dependencies?.['@plugboard/protocol'] !== undefined;
      const prefix = join(root, `install-${server.id}`);
      await npmInstall(prefix, neededProtocol ? [tarball, protocolTarball] : [tarball]);
      installed.push({
        id: server.id,
        name: server.pkg.name,
        tarball,
        packed,
        prefix,
        bin: join(prefix, 'node_modules/.bin', server.binName),
        neededProtocol,
        footprint: await measureFootprint(prefix),
      });
    } catch (error) {
      const reason = `pack or install failed: ${error instanceof Error ? error.message : String(error)}`;
      failed.push({ name: server.pkg.name, reason });
    }
  }
  project.provide('installs', { root, installed, skipped, failed });
  return () => rm(root, { recursive: true, force: true });
}
