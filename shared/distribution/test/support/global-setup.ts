/**
 * @module
 * Vitest global setup: packs every built server with `scripts/pack.sh` (what `npm run tarballs` runs,
 * `pnpm pack` in each server; plus @plugboard/protocol, which a server may still need at run time)
 * and installs each tarball with plain npm into its own clean directory, as `npx -y` would. The
 * suites receive the install locations through `inject`.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import type { TestProject } from 'vitest/node';
import { measureFootprint, type Footprint } from './footprint.js';
import { npmInstall } from './npm.js';
import {
  announceSkips,
  listServers,
  repoRoot,
  tarballName,
  type ServerPackage,
} from './workspace.js';

const run = promisify(execFile);

/** One server installed from its tarball. */
export interface Installed {
  readonly id: string;
  readonly name: string;
  readonly tarball: string;
  /** The package.json inside the tarball, after pnpm rewrote workspace and catalog references. */
  readonly packed: ServerPackage;
  readonly prefix: string;
  /** The bin's name, `mcp-server-<id>`. */
  readonly binName: string;
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

/** Runs the README's pack script once for every server; the tarball paths by file name. */
async function packAll(destination: string): Promise<ReadonlyMap<string, string>> {
  const { stdout } = await run(
    'bash',
    [join(repoRoot, 'scripts/pack.sh'), '--no-build', destination],
    {
      cwd: repoRoot,
    },
  );
  const tarballs = stdout.split('\n').filter((line) => line.endsWith('.tgz'));
  return new Map(tarballs.map((tarball) => [basename(tarball), tarball]));
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
  const ready = servers.filter((candidate) => candidate.notReady === undefined);
  let tarballs: ReadonlyMap<string, string> = new Map();
  let packError: string | undefined;
  try {
    if (ready.length > 0) tarballs = await packAll(await mkdtemp(join(root, 'pack-')));
  } catch (error) {
    packError = `scripts/pack.sh failed: ${error instanceof Error ? error.message : String(error)}`;
  }
  for (const server of ready) {
    try {
      const tarball = tarballs.get(tarballName(server.pkg));
      if (tarball === undefined)
        throw new Error(packError ?? `scripts/pack.sh printed no ${tarballName(server.pkg)}`);
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
        binName: server.binName,
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
