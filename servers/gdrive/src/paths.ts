/**
 * @module
 * Where the OAuth client keys and the saved sign-in live when the operator does not say:
 * `$XDG_CONFIG_HOME/mcp-server-gdrive/` (default `~/.config/mcp-server-gdrive/`), or
 * `%APPDATA%\mcp-server-gdrive\` on Windows. A leading `~/` in a configured path means the home
 * directory, so host configs can be copied between machines.
 */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

type Env = Readonly<Record<string, string | undefined>>;

export interface PathContext {
  readonly env: Env;
  readonly platform: NodeJS.Platform;
  readonly home: string;
  readonly cwd: string;
}

export function hostPaths(env: Env): PathContext {
  return { env, platform: process.platform, home: homedir(), cwd: process.cwd() };
}

export function configDirectory(context: PathContext): string {
  const { env, platform, home } = context;
  if (platform === 'win32')
    return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'mcp-server-gdrive');
  const base = env.XDG_CONFIG_HOME?.trim() ? env.XDG_CONFIG_HOME : join(home, '.config');
  return join(base, 'mcp-server-gdrive');
}

/** An absolute path for `raw`, with `~` expanded; relative paths resolve against the cwd. */
export function expandPath(raw: string, context: PathContext): string {
  if (raw === '~') return context.home;
  if (raw.startsWith('~/') || raw.startsWith('~\\')) return join(context.home, raw.slice(2));
  return resolve(context.cwd, raw);
}

export const DEFAULT_KEYS_FILE = 'gcp-oauth.keys.json';
export const DEFAULT_CREDENTIALS_FILE = 'credentials.json';
