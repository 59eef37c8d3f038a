/**
 * @module
 * {@link ChildProcesses}: the one place a server starts programs. Each child runs in a process
 * group of its own, so that ending it ends everything it started; the set of live groups is kept
 * so that the server can end all of them when it shuts down (stdin end, SIGTERM, SIGINT), and
 * kill them synchronously if it exits any other way.
 */
import type { ChildProcess, SpawnOptions } from 'node:child_process';
import { endProcessGroup, signalGroup } from './process-group.js';

/** How long a group gets between SIGTERM and SIGKILL unless the owner says otherwise. */
export const DEFAULT_GRACE_MS = 500;

export interface ChildProcessesOptions {
  /** Time between SIGTERM and SIGKILL when a group is ended. */
  readonly graceMs?: number;
}

/** What a child may be started with; the group and the pipes are not the caller's choice. */
export type StartOptions = Omit<SpawnOptions, 'detached' | 'stdio' | 'shell'> & {
  /** stdin is closed unless this is true (then it is a pipe the caller writes and ends). */
  readonly stdin?: boolean;
};

export class ChildProcesses {
  readonly graceMs: number;
  /** Process group ids of the children started and not yet ended. */
  readonly #groups = new Set<number>();

  constructor(options: ChildProcessesOptions = {}) {
    this.graceMs = options.graceMs ?? DEFAULT_GRACE_MS;
  }

  /** How many groups are live (started and not ended yet). */
  get size(): number {
    return this.#groups.size;
  }

  /**
   * Starts `command` (never through a shell) in a new process group with piped stdout and
   * stderr. The group stays tracked until {@link end} is called for it, which every caller must
   * do once it is finished with the child, also after a normal exit: helpers may outlive the
   * leader.
   *
   * `node:child_process` is imported here, on the first start, not with this module: every
   * server holds a `ChildProcesses` from start-up, most never start a program, and loading it
   * costs a few milliseconds of every cold start (bench/README.md, "Start-up of every server").
   */
  async start(
    command: string,
    args: readonly string[],
    options: StartOptions = {},
  ): Promise<ChildProcess> {
    const { stdin, ...spawnOptions } = options;
    const { spawn } = await import('node:child_process');
    const child = spawn(command, [...args], {
      ...spawnOptions,
      detached: true,
      shell: false,
      stdio: [stdin === true ? 'pipe' : 'ignore', 'pipe', 'pipe'],
    });
    // A failed spawn has no pid (the error arrives as an 'error' event); there is no group then.
    if (child.pid !== undefined) this.#groups.add(child.pid);
    return child;
  }

  /** Ends the group `child` leads (SIGTERM, the grace, SIGKILL) and stops tracking it. */
  async end(child: ChildProcess): Promise<void> {
    const pgid = child.pid;
    if (pgid === undefined || !this.#groups.has(pgid)) return;
    try {
      await endProcessGroup(pgid, this.graceMs);
    } finally {
      this.#groups.delete(pgid);
    }
  }

  /** Ends every live group; for a graceful shutdown. */
  async closeAll(): Promise<void> {
    const groups = [...this.#groups];
    await Promise.all(groups.map((pgid) => endProcessGroup(pgid, this.graceMs)));
    for (const pgid of groups) this.#groups.delete(pgid);
  }

  /** Kills every live group at once, synchronously: for `process.on('exit')`, where nothing waits. */
  killAll(): void {
    for (const pgid of this.#groups) signalGroup(pgid, 'SIGKILL');
    this.#groups.clear();
  }
}
