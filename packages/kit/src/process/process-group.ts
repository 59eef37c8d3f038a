/**
 * @module
 * Ending a whole process group. A child started in a group of its own (`detached: true`) is the
 * leader of that group, and every helper it starts (git's `remote-https`, Chromium's renderers)
 * joins it unless it makes a group of its own. Signalling the negative pid reaches all of them,
 * including the ones already re-parented to PID 1 after the leader died.
 */
import { setTimeout as sleep } from 'node:timers/promises';

/** How often a group is polled while it is given time to exit. */
const POLL_MS = 20;

/** Sends `signal` to every member of group `pgid`; false when the group has no member left. */
export function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (error) {
    // ESRCH: nobody left. EPERM cannot happen for a group we made, but is no reason to crash.
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
}

/** Polls until group `pgid` is empty or `ms` have passed; true when it is empty. */
async function emptied(pgid: number, ms: number): Promise<boolean> {
  for (let waited = 0; waited < ms; waited += POLL_MS) {
    await sleep(POLL_MS);
    if (!signalGroup(pgid, 0)) return true;
  }
  return false;
}

/**
 * Asks group `pgid` to exit (SIGTERM), waits up to `graceMs` for it to empty, then kills what is
 * left (SIGKILL) and waits (as long again at most) for the killed members to be reaped, so that
 * when this resolves the group is normally gone from the process table.
 */
export async function endProcessGroup(pgid: number, graceMs: number): Promise<void> {
  if (!signalGroup(pgid, 'SIGTERM')) return;
  if (await emptied(pgid, graceMs)) return;
  if (!signalGroup(pgid, 'SIGKILL')) return;
  await emptied(pgid, Math.max(graceMs, 200));
}
