/**
 * @module
 * Starting and stopping what the harness measures. Children are spawned the way an MCP host
 * spawns a server (same session, pipes on stdin/stdout/stderr); one that does not exit by itself
 * is stopped with the processes it started, found through their parent pids, and nothing else.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { processTree, readTree } from './proc.js';

/** How to start a process: the program and its arguments, plus optional environment additions. */
export interface Command {
  argv: readonly string[];
  env?: Readonly<Record<string, string>>;
  cwd?: string;
}

/** The children alive right now, so that an interrupted run can stop them all. */
export class ChildRegistry {
  readonly #live = new Set<number>();

  add(pid: number): void {
    this.#live.add(pid);
  }

  delete(pid: number): void {
    this.#live.delete(pid);
  }

  /** Sends SIGKILL to every child the harness started and has not reaped, and their descendants. */
  killAll(): void {
    for (const pid of this.#live) killAll(processTree(pid), 'SIGKILL');
    this.#live.clear();
  }
}

/** A started child with its start time and the tail of its stderr. */
export interface Launched {
  child: ChildProcessWithoutNullStreams;
  pid: number;
  startedAt: number;
  /** Resolves once the process has exited and its pipes are closed; `at` is when it exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
  /** The last few KiB of stderr, for error messages. */
  stderrTail(): string;
}

function killAll(pids: readonly number[], signal: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // Already gone.
    }
  }
}

/** Spawns `command`; stdout is left to the caller, stderr is drained. */
export function launch(command: Command, registry: ChildRegistry): Launched {
  const [program, ...args] = command.argv;
  if (program === undefined) throw new Error('empty command');
  const startedAt = performance.now();
  const child = spawn(program, args, {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, ...command.env },
    ...(command.cwd === undefined ? {} : { cwd: command.cwd }),
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start ${program}`);
  registry.add(pid);
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (text: string) => {
    stderr = (stderr + text).slice(-4096);
  });
  let exitAt: number | undefined;
  child.on('exit', () => {
    exitAt = performance.now();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>(
    (resolve) => {
      child.on('close', (code, signal) => {
        registry.delete(pid);
        resolve({ code, signal, at: exitAt ?? performance.now() });
      });
    },
  );
  child.on('error', () => {
    // Reported through `close` (spawn failures close with code -2 and the message on `error`).
  });
  return { child, pid, startedAt, exited, stderrTail: () => stderr.trim() };
}

/**
 * Closes the child's stdin (how an MCP host ends a stdio session) and returns how long it took
 * to exit. After `graceMs` it and its descendants get SIGTERM, then SIGKILL; `signalled` says so.
 * Descendants still alive once it has exited are killed too.
 */
export async function stop(
  launched: Launched,
  graceMs: number,
): Promise<{ exitMs: number; signalled: boolean }> {
  const tree = processTree(launched.pid);
  const asked = performance.now();
  launched.child.stdin.end();
  let signalled = false;
  const term = setTimeout(() => {
    signalled = true;
    killAll(processTree(launched.pid), 'SIGTERM');
  }, graceMs);
  const kill = setTimeout(() => {
    killAll(processTree(launched.pid), 'SIGKILL');
  }, graceMs + 2000);
  const { at } = await launched.exited;
  clearTimeout(term);
  clearTimeout(kill);
  killAll(tree.slice(1), 'SIGKILL');
  return { exitMs: at - asked, signalled };
}

/** Stops a child at once with its descendants (a server that failed, or an HTTP server). */
export async function terminate(launched: Launched): Promise<void> {
  const tree = processTree(launched.pid);
  killAll(tree, 'SIGTERM');
  const kill = setTimeout(() => {
    killAll(tree, 'SIGKILL');
  }, 2000);
  await launched.exited;
  clearTimeout(kill);
  killAll(tree.slice(1), 'SIGKILL');
}

/** What a one-shot command cost: wall time from spawn to exit, and how much it printed. */
export interface CommandRun {
  wallMs: number;
  stdoutBytes: number;
  /** Peak RSS sampled every 5 ms while it ran (0 if it ended before the first sample). */
  peakRssMb: number;
  code: number | null;
  /** A number the command reported about itself on stderr as `{"inProcessMs": n}`, if any. */
  inProcessMs?: number;
  stderrTail: string;
}

/** Runs a command to completion with stdin closed and stdout drained and counted. */
export async function runCommand(command: Command, registry: ChildRegistry): Promise<CommandRun> {
  const launched = launch(command, registry);
  launched.child.stdin.end();
  let stdoutBytes = 0;
  launched.child.stdout.on('data', (chunk: Buffer) => {
    stdoutBytes += chunk.length;
  });
  // Peak RSS can only be read while the process lives: sample it (a lower bound of the true peak).
  let peakRssMb = 0;
  const sample = setInterval(() => {
    peakRssMb = Math.max(peakRssMb, readTree(launched.pid, [launched.pid]).peakRssMb);
  }, 5);
  const { code, at } = await launched.exited;
  clearInterval(sample);
  const tail = launched.stderrTail();
  const reported = /\{"inProcessMs":([0-9.]+)\}/.exec(tail)?.[1];
  return {
    wallMs: at - launched.startedAt,
    stdoutBytes,
    peakRssMb,
    code,
    stderrTail: tail,
    ...(reported === undefined ? {} : { inProcessMs: Number(reported) }),
  };
}

/** Rejects with a clear message when `promise` takes longer than `ms`. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`${what} took longer than ${Math.round(ms / 1000)} s`));
    }, ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
