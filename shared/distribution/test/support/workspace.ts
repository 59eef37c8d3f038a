/**
 * @module
 * What the distribution tests know about the checkout: where the repository root is, which servers
 * exist under `servers/`, and which of them are built far enough to pack. Servers still being written
 * are reported as skipped with the reason, so the suites grow as servers land.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The monorepo root (the directory holding pnpm-workspace.yaml). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');

/** The fields of a server's package.json the distribution cares about. */
export interface ServerPackage {
  readonly name: string;
  readonly version: string;
  readonly description?: string;
  readonly mcpName?: string;
  readonly private?: boolean;
  readonly bin?: Readonly<Record<string, string>>;
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly files?: readonly string[];
  readonly scripts?: Readonly<Record<string, string>>;
}

/** The file name `pnpm pack` gives a package: `@plugboard/server-git` 0.1.0 → `plugboard-server-git-0.1.0.tgz`. */
export function tarballName(pkg: Pick<ServerPackage, 'name' | 'version'>): string {
  return `${pkg.name.replace('@', '').replace('/', '-')}-${pkg.version}.tgz`;
}

/** One directory under `servers/`. */
export interface ServerDir {
  /** The directory name, e.g. `filesystem`. */
  readonly id: string;
  readonly dir: string;
  readonly pkg: ServerPackage;
  /** The bin name and its path inside the package. */
  readonly binName: string;
  readonly binPath: string;
  /** Why it cannot be packed yet, or undefined when it can. */
  readonly notReady: string | undefined;
}

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8')) as unknown;
}

/** Reads a package.json; the tests treat its shape as trusted project data. */
export function readPackage(dir: string): ServerPackage {
  return readJson(join(dir, 'package.json')) as ServerPackage;
}

/** Every server directory, sorted, with whether it is ready to pack. */
export function listServers(): readonly ServerDir[] {
  const root = join(repoRoot, 'servers');
  return readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(root, entry.name, 'package.json')))
    .map((entry) => entry.name)
    .sort()
    .map((id) => {
      const dir = join(root, id);
      const pkg = readPackage(dir);
      const [binName, binPath] = Object.entries(pkg.bin ?? {})[0] ?? ['', ''];
      const notReady =
        binName === ''
          ? 'package.json declares no bin'
          : existsSync(join(dir, binPath))
            ? undefined
            : `${binPath} is not built`;
      return { id, dir, pkg, binName, binPath, notReady };
    });
}

/** Prints one loud line per server a suite cannot cover yet. */
export function announceSkips(suite: string, servers: readonly ServerDir[]): void {
  for (const server of servers) {
    if (server.notReady !== undefined)
      process.stderr.write(`SKIP [${suite}] ${server.pkg.name}: ${server.notReady}\n`);
  }
}
