/**
 * @module
 * {@link runCommand}: one program run to completion under the caller's limits: a wall-clock
 * timeout, the call's cancellation signal and a cap on what is read from stdout. Whichever
 * comes first stops the child's whole process group, and the group is ended after a normal
 * exit too, so no helper outlives the call.
 */
import type { ChildProcesses, StartOptions } from './child-processes.js';

/** Why a command did not run to its own end. */
export type StopReason = 'cap' | 'timeout' | 'cancel';

export interface RunCommandOptions {
  readonly cwd?: string;
  /** The complete environment of the child (nothing is inherited when this is given). */
  readonly env?: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
  /** Stop reading stdout after this many bytes and stop the child; the result is then `cap`. */
  readonly maxStdoutBytes?: number;
  /** Keep at most this much of stderr (the child is not stopped for it). Default 64 KiB. */
  readonly maxStderrBytes?: number;
  /** Every stderr chunk as it arrives (progress lines), including those past the cap. */
  readonly onStderr?: (chunk: Buffer) => void;
}

export interface CommandResult {
  readonly stdout: Buffer;
  readonly stderr: Buffer;
  /** The exit code, or null when the child was ended by a signal. */
  readonly exitCode: number | null;
  /** Set when the run was stopped before the child finished by itself. */
  readonly stopped: StopReason | undefined;
}

const DEFAULT_MAX_STDERR = 64 * 1024;

/**
 * Runs `command` with `args` and collects its output. Rejects only when the program cannot be
 * started (ENOENT, EACCES); a failing exit, a timeout, a cancel or the cap are in the result.
 */
export async function runCommand(
  children: ChildProcesses,
  command: string,
  args: readonly string[],
  options: RunCommandOptions = {},
): Promise<CommandResult> {
  const start: StartOptions = {
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    ...(options.env === undefined ? {} : { env: { ...options.env } }),
  };
  const child = await children.start(command, args, start);
  const maxStdout = options.maxStdoutBytes ?? Number.POSITIVE_INFINITY;
  const maxStderr = options.maxStderrBytes ?? DEFAULT_MAX_STDERR;
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  let stdoutBytes = 0;
  let stderrBytes = 0;
  let stopped: StopReason | undefined;
  let ending: Promise<void> | undefined;
  const stop = (reason: StopReason): void => {
    stopped ??= reason;
    ending ??= children.end(child);
  };

  child.stdout!.on('data', (chunk: Buffer) => {
    if (stopped !== undefined) return;
    const room = maxStdout - stdoutBytes;
    if (chunk.length > room) {
      if (room > 0) stdout.push(chunk.subarray(0, room));
      stdoutBytes = maxStdout;
      stop('cap');
      return;
    }
    stdout.push(chunk);
    stdoutBytes += chunk.length;
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    if (stderrBytes < maxStderr) {
      const kept = chunk.subarray(0, maxStderr - stderrBytes);
      stderr.push(kept);
      stderrBytes += kept.length;
    }
    options.onStderr?.(chunk);
  });

  const timer =
    options.timeoutMs === undefined
      ? undefined
      : setTimeout(() => stop('timeout'), options.timeoutMs);
  const onAbort = (): void => stop('cancel');
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted === true) stop('cancel');

  try {
    const exitCode = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      // A helper that inherited stdout would keep 'close' waiting: once the leader has exited,
      // the group is ended, which also closes the pipes.
      child.once('exit', () => {
        ending ??= children.end(child);
      });
      // 'close' comes after the exit and after stdout and stderr have ended, so nothing is lost.
      child.once('close', (code) => resolve(code));
    });
    return {
      stdout: Buffer.concat(stdout),
      stderr: Buffer.concat(stderr),
      exitCode,
      stopped,
    };
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
    await (ending ?? children.end(child));
  }
}
