/**
 * @module
 * Runs one git command through simple-git with the hardening applied, a wall-clock timeout,
 * cancellation that ends the child, and a cap on what is read from stdout (past it the child is
 * stopped and the output marked truncated, so a 1 GiB blob never reaches memory). Arguments
 * are built by the tools from validated values; nothing from tool input is ever an option or a
 * config entry here.
 */
import type { SimpleGitOptions, simpleGit } from 'simple-git';
import { ToolError } from '@plugboard/protocol';

export type SimpleGitFactory = typeof simpleGit;

/** What every git child of one server shares. */
export interface RunnerSettings {
  /** The complete environment of each child (see `gitEnvironment`). */
  readonly env: Readonly<Record<string, string>>;
  /** `key=value` entries passed as `-c` (see `hardeningConfig`). */
  readonly config: readonly string[];
  readonly timeoutMs: number;
  /** simple-git, imported on first use so that start-up stays cheap. */
  loadSimpleGit(): Promise<SimpleGitFactory>;
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

/**
 * The simple-git guards our fixed hardening trips: `-c core.fsmonitor=false` and
 * `-c core.hooksPath=/dev/null` are "configuring fsmonitor/hooksPath" to it, and `GIT_EDITOR`
 * and `GIT_ASKPASS` are set (to a no-op) on purpose. Every other guard (upload-pack, exec,
 * protocol overrides, config paths, templates, aliases, ...) stays on, so a value that somehow
 * slipped past our own validation would still be refused.
 */
const HARDENING_ALLOWANCES = {
  allowUnsafeFsMonitor: true,
  allowUnsafeHooksPath: true,
  allowUnsafeEditor: true,
  allowUnsafeAskPass: true,
} as const;

export async function runGit(
  settings: RunnerSettings,
  cwd: string,
  args: readonly string[],
  options: RunOptions,
): Promise<GitOutput> {
  const simpleGit = await settings.loadSimpleGit();
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  // Paths the tools put after `--` come from the model: pathspec magic (`:(top)`, `:!`, globs)
  // is turned off for them. Only there: git's own porcelain (stash -u) relies on magic inside.
  const literal = args.includes('--') ? { GIT_LITERAL_PATHSPECS: '1' } : {};
  const env = { ...settings.env, ...literal, ...options.env };
  const controller = new AbortController();
  let stopped: 'cap' | 'timeout' | 'cancel' | undefined;
  const stop = (reason: 'cap' | 'timeout' | 'cancel'): void => {
    stopped ??= reason;
    controller.abort();
  };
  const timer = setTimeout(() => stop('timeout'), settings.timeoutMs);
  const onCancel = (): void => stop('cancel');
  options.signal.addEventListener('abort', onCancel, { once: true });
  if (options.signal.aborted) stop('cancel');

  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  let stdoutBytes = 0;
  let stderrBytes = 0;
  let exitCode = 0;
  const gitOptions: Partial<SimpleGitOptions> = {
    baseDir: cwd,
    config: [...settings.config],
    abort: controller.signal,
    allowEnvironment: Object.keys(env),
    unsafe: HARDENING_ALLOWANCES,
    // Every exit is returned to the caller, which knows which codes mean what (merge conflicts
    // exit 1); only simple-git's own refusals stay errors.
    errors(error, result) {
      exitCode = result.exitCode;
      return error instanceof Error && error.name === 'GitPluginError' ? error : undefined;
    },
  };
  const git = simpleGit(gitOptions)
    .env({ ...env })
    .outputHandler((_command, out, err) => {
      out.on('data', (chunk: Buffer) => {
        if (stopped === 'cap') return;
        const room = maxBytes - stdoutBytes;
        if (chunk.length > room) {
          if (room > 0) stdout.push(chunk.subarray(0, room));
          stdoutBytes = maxBytes;
          stop('cap');
          return;
        }
        stdout.push(chunk);
        stdoutBytes += chunk.length;
      });
      // simple-git waits 50 ms more for a child that printed nothing; an empty chunk at the
      // end of stdout tells it the output was seen, so silent commands finish promptly.
      out.once('end', () => out.emit('data', Buffer.alloc(0)));
      err.on('data', (chunk: Buffer) => {
        if (stderrBytes < MAX_STDERR_BYTES) {
          stderr.push(chunk);
          stderrBytes += chunk.length;
        }
        if (options.onProgress !== undefined) {
          for (const match of chunk.toString('utf8').matchAll(PROGRESS)) {
            options.onProgress(match[1]!.trim(), Number(match[2]));
          }
        }
      });
    });
  try {
    await git.raw([...args]);
  } catch (error) {
    if (stopped === undefined) throw error;
  } finally {
    clearTimeout(timer);
    options.signal.removeEventListener('abort', onCancel);
  }
  if (stopped === 'timeout') {
    throw new ToolError(
      `git ${args[0] ?? ''} did not finish within ${Math.round(settings.timeoutMs / 1000)} s and was stopped. ` +
        'Narrow the request, or ask the operator to raise --timeout.',
    );
  }
  if (stopped === 'cancel') throw new Error('cancelled');
  return {
    stdout: Buffer.concat(stdout),
    stderr: Buffer.concat(stderr).toString('utf8'),
    exitCode,
    truncated: stopped === 'cap',
  };
}
