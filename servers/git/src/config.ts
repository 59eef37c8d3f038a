/**
 * @module
 * The operator's configuration, from the parsed command line: repositories are canonicalised
 * once at start-up (a path that does not exist is a configuration error, exit 2), and the
 * runner settings derived from the switches.
 */
import { realpath, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { DEFAULT_OUTPUT_BUDGET } from '@plugboard/protocol';
import { UsageError, type FlagValue } from '@plugboard/kit/cli';
import type { GitServerConfig } from './context.js';
import type { ChildProcesses } from '@plugboard/kit/process';
import type { RunnerSettings } from './git-runner.js';
import { gitEnvironment, hardeningConfig } from './hardening.js';
import { DEFAULT_TIMEOUT_SECONDS } from './spec.js';

const MIN_BUDGET = 4096;

async function canonicalRepository(path: string, cwd: string): Promise<string> {
  const absolute = resolve(cwd, path.replace(/^~(?=$|\/)/, process.env.HOME ?? '~'));
  try {
    const real = await realpath(absolute);
    if (!(await stat(real)).isDirectory())
      throw new UsageError(`--repository ${path} is not a directory`);
    return real;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`--repository ${path} does not exist (resolved to ${absolute})`);
  }
}

export interface ParsedConfig {
  config: GitServerConfig;
  runner: RunnerSettings;
  signCommits: boolean;
}

/** The server's configuration from its flags, environment and working directory. */
export async function parseConfig(
  flags: ReadonlyMap<string, FlagValue>,
  positionals: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
  children: ChildProcesses,
): Promise<ParsedConfig> {
  if (positionals.length > 0) {
    throw new UsageError(
      `unexpected argument ${positionals[0]!}; give repositories with --repository PATH`,
    );
  }
  const paths = (flags.get('repository') as string[] | undefined) ?? [];
  const repositories = [
    ...new Set(await Promise.all(paths.map((path) => canonicalRepository(path, cwd)))),
  ];
  const timeout = (flags.get('timeout') as number | undefined) ?? DEFAULT_TIMEOUT_SECONDS;
  if (timeout < 1) throw new UsageError('--timeout must be at least 1 second');
  const outputBudget = (flags.get('output-budget') as number | undefined) ?? DEFAULT_OUTPUT_BUDGET;
  if (outputBudget < MIN_BUDGET)
    throw new UsageError(`--output-budget must be at least ${MIN_BUDGET} bytes`);
  const allowLocalRemotes = flags.get('allow-local-remotes') === true;
  const signCommits = flags.get('sign-commits') === true;
  return {
    config: {
      repositories,
      allowRemote: flags.get('allow-remote') === true,
      allowDestructive: flags.get('allow-destructive') === true,
      allowLocalRemotes,
      outputBudget,
    },
    runner: {
      env: gitEnvironment(env, { allowLocalRemotes }),
      config: hardeningConfig({ signing: signCommits }),
      timeoutMs: timeout * 1000,
      children,
    },
    signCommits,
  };
}
