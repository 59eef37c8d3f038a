/**
 * @module
 * Turns a server's {@link Source} into a command line, or into the reason it cannot run here: a
 * workspace package that is not written or not built yet, a Python server with no interpreter
 * module and no `uvx`. npm peers are installed with the ordinary npm client into the git-ignored
 * cache directory, pinned to the versions in the config, and reused on later runs.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Source } from './suite.js';

/** A runnable source: the command prefix (program and script) plus a note to print, if any. */
export type Resolution = { argv: string[]; source: Source; note?: string } | { skip: string };

/** Where npm peers live inside the cache. */
export function peersDir(cache: string): string {
  return join(cache, 'peers');
}

function installedVersion(cache: string, pkg: string): string | undefined {
  try {
    const manifest = JSON.parse(
      readFileSync(join(peersDir(cache), 'node_modules', pkg, 'package.json'), 'utf8'),
    ) as { version?: unknown };
    return typeof manifest.version === 'string' ? manifest.version : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Installs the pinned npm peers that are missing (one `npm install` for all of them). Returns a
 * message per package that could not be installed.
 */
export function installPeers(
  cache: string,
  peers: readonly Extract<Source, { from: 'npm' }>[],
  log: (line: string) => void,
): Map<string, string> {
  const failures = new Map<string, string>();
  const missing = peers.filter((peer) => installedVersion(cache, peer.package) !== peer.version);
  if (missing.length === 0) return failures;
  const dir = peersDir(cache);
  mkdirSync(dir, { recursive: true });
  const dependencies: Record<string, string> = {};
  for (const peer of peers) dependencies[peer.package] = peer.version;
  let existing: Record<string, string> = {};
  try {
    existing =
      (
        JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
          dependencies?: Record<string, string>;
        }
      ).dependencies ?? {};
  } catch {
    // First install.
  }
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ private: true, dependencies: { ...existing, ...dependencies } }, null, 2) +
      '\n',
  );
  log(
    `installing ${missing.map((peer) => `${peer.package}@${peer.version}`).join(', ')} into ${dir} (npm)`,
  );
  const result = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: dir,
    // The official puppeteer server must not fetch a browser: the machine's Chromium is used.
    env: { ...process.env, PUPPETEER_SKIP_DOWNLOAD: '1' },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const peer of missing) {
    if (installedVersion(cache, peer.package) !== peer.version) {
      const reason = result.error?.message ?? result.stderr.trim().split('\n').slice(-3).join(' ');
      failures.set(
        peer.package,
        `npm install failed: ${reason || `exit code ${String(result.status)}`}`,
      );
    }
  }
  return failures;
}

function which(program: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${program}`], { stdio: 'ignore' }).status === 0;
}

function pythonHas(module: string): boolean {
  if (!/^[A-Za-z_][A-Za-z0-9_.]*$/.test(module)) return false;
  return spawnSync('python3', ['-c', `import ${module}`], { stdio: 'ignore' }).status === 0;
}

/** Options that affect resolution. */
export interface ResolveContext {
  root: string;
  cache: string;
  harness: string;
  node: string;
  /** npm peers that failed to install, by package name. */
  peerFailures: ReadonlyMap<string, string>;
  /** When false, npm peers are never installed and count as unavailable if absent. */
  install: boolean;
}

function resolveOne(source: Source, ctx: ResolveContext): Resolution {
  switch (source.from) {
    case 'workspace': {
      const entry = join(ctx.root, source.dir, source.entry);
      if (existsSync(entry)) return { argv: [ctx.node, entry], source };
      if (!existsSync(join(ctx.root, source.dir, 'src', 'main.ts'))) {
        return { skip: `${source.package} is not written yet (no ${source.dir}/src/main.ts)` };
      }
      return {
        skip: `${source.package} is not built: run pnpm build (or pnpm --filter ${source.package} build)`,
      };
    }
    case 'npm': {
      const failure = ctx.peerFailures.get(source.package);
      if (failure !== undefined) return { skip: `${source.package}@${source.version}: ${failure}` };
      if (installedVersion(ctx.cache, source.package) !== source.version) {
        return {
          skip: `${source.package}@${source.version} is not installed${ctx.install ? '' : ' (--no-install)'}`,
        };
      }
      return {
        argv: [ctx.node, join(peersDir(ctx.cache), 'node_modules', source.package, source.entry)],
        source,
      };
    }
    case 'harness': {
      const script = join(ctx.harness, source.script);
      if (existsSync(script)) return { argv: [ctx.node, script], source };
      return { skip: `${source.script} is not compiled: run scripts/bench.sh` };
    }
    case 'python': {
      if (pythonHas(source.module)) return { argv: ['python3', '-m', source.module], source };
      if (which('uvx')) return { argv: ['uvx', source.uvx], source };
      return {
        skip: `the official server is Python (${source.uvx}); neither the python3 module ${source.module} nor uvx is available here`,
      };
    }
  }
}

/**
 * The first runnable source. When none is, the reason of the first one (the real server), with
 * the stand-in's reason appended if there was one.
 */
export function resolveSources(sources: readonly Source[], ctx: ResolveContext): Resolution {
  const reasons: string[] = [];
  for (const source of sources) {
    const resolution = resolveOne(source, ctx);
    if ('argv' in resolution) return resolution;
    reasons.push(resolution.skip);
  }
  return { skip: reasons.join('; ') };
}
