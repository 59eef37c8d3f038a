/**
 * @module
 * Runs one git command: the hardening applied (`-c` overrides first, the prepared environment),
 * the arguments checked by {@link refuseUnsafeArguments}, a wall-clock timeout, cancellation,
 * and a cap on what is read from stdout (past it git is stopped and the output marked truncated,
 * so a 1 GiB blob never reaches memory). Git runs through `@plugboard/kit/process`: in a process
 * group of its own, ended as a whole, so `git remote-https` and the helpers it starts never
 * outlive the call. Arguments are built by the tools from validated values; nothing from tool
 * input is ever an option or a config entry here.
 */
import { ToolError } from '@plugboard/protocol';
import { runCommand, type ChildProcesses } from '@plugboard/kit/process';
import { refuseUnsafeArguments } from './argument-guard.js';

/** What every git child of one server shares. */
export interface RunnerSettings {
  /** The complete environment of each child (see `gitEnvironment`). */
  readonly env: Readonly<Record<string, string>>;
  /** `key=value` entries passed as `-c` (see `hardeningConfig`). */
  readonly config: readonly string[];
  readonly timeoutMs: number;
  /** The server's children: every git runs as one, and all are ended when the server stops. */
  readonly children: ChildProcesses;
}

export interface RunOptions {
  readonly signal: AbortSignal;
  /** Stop reading stdout after this many bytes and end git; the result is then `truncated`. */
  readonly maxBytes?: number;
  /** Added to the environment for this command only. */
  readonly env?: Readonly<Record<string, string>>;
  /** Called with git's progress lines (`Receiving objects: 45% (9/20)`) from stderr. */
  readonly onProgress?: (stage: string, percent: number) => void;
}

export interface GitOutput {
  readonly stdout: Buffer;
  readonly stderr: string;
  readonly exitCode: number;
  /** stdout was cut at `maxBytes`; `exitCode` is then meaningless. */
  readonly truncated: boolean;
}

/** The most any command may print before it is stopped, when the caller sets no cap. */
const DEFAULT_MAX_BYTES = 32 * 1024 * 1024;
const MAX_STDERR_BYTES = 64 * 1024;
const PROGRESS = /([A-Za-z][A-Za-z ]*):\s+(\d+)% \(\d+\/\d+\)/g;

export async function runGit(
  settings: RunnerSettings,
  cwd: string,
  args: readonly string[],
  options: RunOptions,
): Promise<GitOutput> {
  refuseUnsafeArguments(args);
  // Paths the tools put after `--` come from the model: pathspec magic (`:(top)`, `:!`, globs)
  // is turned off for them. Only there: git's own porcelain (stash -u) relies on magic inside.
  const literal = args.includes('--') ? { GIT_LITERAL_PATHSPECS: '1' } : {};
  const { onProgress } = options;
  const config = settings.config.flatMap((entry) => ['-c', entry]);
  let result;
  try {
    result = await runCommand(settings.children, 'git', [...config, ...args], {
      cwd,
      env: { ...settings.env, ...literal, ...options.env },
      signal: options.signal,
      timeoutMs: settings.timeoutMs,
      maxStdoutBytes: options.maxBytes ?? DEFAULT_MAX_BYTES,
      maxStderrBytes: MAX_STDERR_BYTES,
      ...(onProgress === undefined
        ? {}
        : {
            onStderr: (chunk: Buffer) => {
              for (const match of chunk.toString('utf8').matchAll(PROGRESS)) {
                onProgress(match[1]!.trim(), Number(match[2]));
              }
            },
          }),
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new ToolError('Git is not installed or not on the PATH of the server process.');
    }
    throw error;
  }
  if (result.stopped === 'timeout') {
    throw new ToolError(
      `git ${args[0] ?? ''} did not finish within ${Math.round(settings.timeoutMs / 1000)} s and was stopped. ` +
        'Narrow the request, or ask the operator to raise --timeout.',
    );
  }
  if (result.stopped === 'cancel') throw new Error('cancelled');
  return {
    stdout: result.stdout,
    stderr: result.stderr.toString('utf8'),
    // A git killed by a signal it did not ask for failed; 128 + signal is how a shell says it.
    exitCode: result.exitCode ?? 128,
    truncated: result.stopped === 'cap',
  };
}
