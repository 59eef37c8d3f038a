/**
 * @module
 * Which remote URLs the server may talk to: https, ssh (URL or `user@host:path`) and git. No
 * transport helpers (`ext::sh -c ...` runs a program), no plain http, and local paths or
 * `file://` only when the operator allowed local remotes, and then only inside the allowed
 * areas. Git's own `GIT_ALLOW_PROTOCOL` enforces the same list a second time.
 */
import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ToolError } from '@plugboard/protocol';
import { areaOf, canonical } from './boundary.js';
import { runGit, type RunnerSettings } from './git-runner.js';
import { dangerousKeys, parseConfigList } from './hardening.js';
import { rejectOption } from './validate.js';

export type RemoteUrl =
  { kind: 'network'; url: string } | { kind: 'local'; url: string; path: string };

export interface UrlPolicy {
  readonly allowLocalRemotes: boolean;
  readonly areas: readonly string[];
  /** Relative local paths resolve from here (the repository, or the clone's parent). */
  readonly base: string;
}

const NETWORK_SCHEMES = new Set(['https', 'ssh', 'git', 'git+ssh', 'ssh+git']);
const SCP_LIKE = /^(?:[^@/\s:]+@)?(\[[^\]/]+\]|[A-Za-z0-9._-]+):(?!\/\/)/;

/** Classifies and checks a remote URL the model gave or the repository's config holds. */
export async function checkRemoteUrl(
  url: string,
  policy: UrlPolicy,
  field: string,
): Promise<RemoteUrl> {
  rejectOption(url, field);
  if (/^[A-Za-z][A-Za-z0-9+.-]*::/.test(url)) {
    throw new ToolError(
      `${field} uses a Git transport helper ("${url.split('::')[0]}::"), which is never allowed: it can run programs.`,
    );
  }
  if (/\s/.test(url)) throw new ToolError(`${field} must not contain whitespace.`);
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(url)?.[1]?.toLowerCase();
  if (scheme !== undefined && NETWORK_SCHEMES.has(scheme)) return { kind: 'network', url };
  if (scheme === undefined && SCP_LIKE.test(url)) return { kind: 'network', url };
  if (scheme !== undefined && scheme !== 'file') {
    throw new ToolError(
      `${field} uses ${scheme}://; remotes may use https://, ssh:// (or user@host:path) and git://.`,
    );
  }
  if (!policy.allowLocalRemotes) {
    throw new ToolError(
      `${field} ${JSON.stringify(url)} is a local path. Local remotes are off; the operator can allow them (inside the ` +
        'configured repositories only) with --allow-local-remotes.',
    );
  }
  let path: string;
  try {
    path = scheme === 'file' ? fileURLToPath(url) : resolve(policy.base, url);
  } catch {
    throw new ToolError(`${field} ${JSON.stringify(url)} is not a valid file URL.`);
  }
  const real = await canonical(path);
  if (real === undefined) throw new ToolError(`${field} ${JSON.stringify(url)} does not exist.`);
  if (areaOf(real, policy.areas) === undefined) {
    throw new ToolError(
      `${field} ${JSON.stringify(url)} is outside the repositories this server may use (${policy.areas.join(', ')}).`,
    );
  }
  return { kind: 'local', url, path: real };
}

/**
 * Checks a repository on this machine used as a remote. Its Git data must be inside the allowed
 * areas too (a `.git` file could point elsewhere). Pushing there runs that repository's receive
 * hooks with its own configuration (git clears our `-c` overrides for the other side), so a
 * push target must also have no active hooks and no configuration that runs programs.
 */
export async function checkLocalRemote(
  remote: { path: string; url: string },
  options: {
    areas: readonly string[];
    settings: RunnerSettings;
    signal: AbortSignal;
    pushing: boolean;
  },
): Promise<void> {
  const { settings, signal } = options;
  const located = await runGit(
    settings,
    remote.path,
    ['rev-parse', '--path-format=absolute', '--git-common-dir'],
    { signal },
  );
  const commonDir = await canonical(located.stdout.toString('utf8').trim() || remote.path);
  if (located.exitCode !== 0 || commonDir === undefined)
    throw new ToolError(`The remote ${remote.url} is not a Git repository.`);
  if (areaOf(commonDir, options.areas) === undefined) {
    throw new ToolError(
      `The remote ${remote.url} keeps its Git data at ${commonDir}, outside the repositories this server may use.`,
    );
  }
  if (!options.pushing) return;
  const listed = await runGit(settings, remote.path, ['config', '--list', '--show-scope', '-z'], {
    signal,
  });
  const entries = parseConfigList(listed.stdout.toString('utf8'));
  const keys = dangerousKeys(entries, 'remote').map((found) => found.key);
  for (const entry of entries) {
    const key = entry.key.toLowerCase();
    if (
      (entry.scope === 'local' || entry.scope === 'worktree') &&
      (key === 'core.hookspath' || key === 'receive.procreceiverefs')
    ) {
      keys.push(entry.key);
    }
  }
  const hooks = await activeHooks(join(commonDir, 'hooks'));
  if (keys.length > 0 || hooks.length > 0) {
    throw new ToolError(
      `Refusing to push to ${remote.url}: pushing there would run its ${[...keys, ...hooks.map((hook) => `hooks/${hook}`)].join(', ')}.`,
    );
  }
}

async function activeHooks(directory: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(directory);
  } catch {
    return [];
  }
  const active: string[] = [];
  for (const name of names) {
    if (name.endsWith('.sample')) continue;
    try {
      const info = await stat(join(directory, name));
      if (info.isFile() && (info.mode & 0o111) !== 0) active.push(name);
    } catch {
      // A dangling entry cannot run.
    }
  }
  return active;
}
