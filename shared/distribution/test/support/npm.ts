/**
 * @module
 * Plain npm the way a user's machine runs it: a clean environment (none of the `npm_config_*`
 * variables pnpm exports to scripts), a dedicated cache that makes repeat runs offline, and
 * `--prefer-offline` so cached metadata is trusted instead of revalidated.
 */
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * The npm cache the tests share across runs. Third-party dependencies (zod, pg, octokit...) can
 * only come from the registry the first time; after that every install here is served from it.
 */
export const npmCache = join(tmpdir(), 'plugboard-distribution-npm-cache');

/** The environment a user's shell would give npm and the servers: no pnpm leftovers. */
export function cleanEnv(extra: Readonly<Record<string, string>> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TERM']) {
    const value = process.env[key];
    if (value !== undefined) env[key] = value;
  }
  return { ...env, ...extra };
}

/**
 * The environment for `npx -y --package=<tarball>` as a host would run it, with npm pointed at
 * the tests' cache (dependencies installed once by the global setup are served from it).
 */
export function npxEnv(extra: Readonly<Record<string, string>> = {}): Record<string, string> {
  return {
    npm_config_cache: npmCache,
    npm_config_prefer_offline: 'true',
    npm_config_update_notifier: 'false',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    ...extra,
  };
}

/** Creates `prefix` as an empty project and installs `specs` (tarball paths or names) into it. */
export async function npmInstall(prefix: string, specs: readonly string[]): Promise<void> {
  await mkdir(prefix, { recursive: true });
  await writeFile(join(prefix, 'package.json'), '{ "name": "npx-like", "private": true }\n');
  await run(
    'npm',
    [
      'install',
      '--prefer-offline',
      '--cache',
      npmCache,
      '--no-audit',
      '--no-fund',
      '--no-package-lock',
      '--omit=dev',
      '--loglevel=error',
      ...specs,
    ],
    { cwd: prefix, env: cleanEnv(), maxBuffer: 16 * 1024 * 1024 },
  );
}
