/**
 * @module
 * The operator's configuration, from the command line and the environment, checked once at
 * start-up: a bad origin pattern, a missing upload directory or unsafe launch options stop the
 * server with one line saying what to fix. Nothing a client sends can change the result.
 */
import { realpathSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEFAULT_OUTPUT_BUDGET } from '@plugboard/protocol';
import { type Flags, integerFlag, listFlag, UsageError } from '@plugboard/kit/cli';
import { parseLaunchOptions, type OperatorLaunchOptions } from './launch-options.js';
import { parseOriginPattern, type OriginPattern } from './policy/origin-pattern.js';
import type { UrlPolicyConfig } from './policy/url-policy.js';
import { DEFAULT_MAX_TABS, DEFAULT_TIMEOUT_MS } from './spec.js';

export interface BrowserConfig {
  readonly policy: UrlPolicyConfig;
  readonly allowEvaluate: boolean;
  /** The optional tool groups the operator turned on (--toolsets; `all` for every one). */
  readonly toolsets: readonly string[];
  /** Credential headers are shown as they are, not masked (--show-secret-headers). */
  readonly showSecretHeaders: boolean;
  /** Canonical directories puppeteer_upload_file may read from. */
  readonly uploadDirs: readonly string[];
  /** Canonical directory for downloads; undefined denies downloads. */
  readonly downloadsDir: string | undefined;
  /** Canonical directory of named browser profiles and storage state files (--profiles-dir). */
  readonly profilesDir: string | undefined;
  /** The operator turned the sandbox off (--no-sandbox). */
  readonly noSandbox: boolean;
  readonly timeoutMs: number;
  readonly maxTabs: number;
  readonly outputBudget: number;
  readonly launch: OperatorLaunchOptions;
  /** Launch settings accepted only because ALLOW_DANGEROUS is set, for the start-up log. */
  readonly dangerous: readonly string[];
  /** The environment variables browser discovery reads (PUPPETEER_EXECUTABLE_PATH, ...). */
  readonly discoveryEnv: Readonly<Record<string, string | undefined>>;
}

type Env = Readonly<Record<string, string | undefined>>;

function bool(flags: Flags, name: string): boolean {
  return flags.get(name) === true;
}

function patterns(flags: Flags, name: string): OriginPattern[] {
  return listFlag(flags, name).map((text) => {
    try {
      return parseOriginPattern(text);
    } catch (error) {
      throw new UsageError(`--${name} ${error instanceof Error ? error.message : String(error)}`);
    }
  });
}

function directory(flag: string, path: string, cwd: string): string {
  let real: string;
  try {
    real = realpathSync(resolve(cwd, path));
  } catch {
    throw new UsageError(`--${flag} ${path} does not exist; create it or fix the path`);
  }
  if (!statSync(real).isDirectory()) throw new UsageError(`--${flag} ${path} is not a directory`);
  return real;
}

const DISCOVERY_ENV = [
  'PUPPETEER_EXECUTABLE_PATH',
  'PUPPETEER_CACHE_DIR',
  'PROGRAMFILES',
  'PROGRAMFILES(X86)',
  'LOCALAPPDATA',
];

function defined(env: Env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined) out[key] = value;
  return out;
}

function isTrue(value: string | undefined): boolean {
  return value !== undefined && /^(1|true|yes|on)$/i.test(value.trim());
}

export function parseConfig(flags: Flags, env: Env, cwd: string): BrowserConfig {
  const allowOrigins = patterns(flags, 'allow-origin');
  const onlyAllowedOrigins = bool(flags, 'only-allowed-origins');
  if (onlyAllowedOrigins && allowOrigins.length === 0)
    throw new UsageError('--only-allowed-origins needs at least one --allow-origin');
  const downloads = flags.get('downloads-dir');
  const profiles = flags.get('profiles-dir');
  let launch;
  try {
    launch = parseLaunchOptions(env.PUPPETEER_LAUNCH_OPTIONS, isTrue(env.ALLOW_DANGEROUS));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const profilesDir =
    typeof profiles === 'string' && profiles !== ''
      ? directory('profiles-dir', profiles, cwd)
      : undefined;
  if (profilesDir !== undefined && launch.options.userDataDir !== undefined)
    throw new UsageError(
      '--profiles-dir and a userDataDir in PUPPETEER_LAUNCH_OPTIONS both choose the profile; keep one',
    );
  return {
    policy: {
      allowOrigins,
      blockOrigins: patterns(flags, 'block-origin'),
      onlyAllowedOrigins,
      allowPrivateNetwork: bool(flags, 'allow-private-network'),
      blockLoopback: bool(flags, 'block-loopback'),
    },
    allowEvaluate: bool(flags, 'allow-evaluate'),
    toolsets: listFlag(flags, 'toolsets'),
    showSecretHeaders: bool(flags, 'show-secret-headers'),
    uploadDirs: listFlag(flags, 'upload-dir').map((path) => directory('upload-dir', path, cwd)),
    downloadsDir:
      typeof downloads === 'string' && downloads !== ''
        ? directory('downloads-dir', downloads, cwd)
        : undefined,
    profilesDir,
    noSandbox: bool(flags, 'no-sandbox'),
    timeoutMs: integerFlag(flags, 'timeout', {
      fallback: DEFAULT_TIMEOUT_MS,
      min: 1000,
      max: 600_000,
    }),
    maxTabs: integerFlag(flags, 'max-tabs', { fallback: DEFAULT_MAX_TABS, min: 1, max: 100 }),
    outputBudget: integerFlag(flags, 'output-budget', {
      fallback: DEFAULT_OUTPUT_BUDGET,
      min: 4096,
      max: 16 * 1024 * 1024,
    }),
    // Operator env adds to the environment the browser would inherit; it does not replace it.
    launch:
      launch.options.env === undefined
        ? launch.options
        : { ...launch.options, env: { ...defined(env), ...launch.options.env } },
    dangerous: launch.dangerous,
    discoveryEnv: Object.fromEntries(DISCOVERY_ENV.map((name) => [name, env[name]])),
  };
}
