/**
 * @module
 * Ending Chromium together with every helper it started. puppeteer-core spawns the browser
 * detached, so on POSIX it leads its own process group (group id = its pid) and the renderers,
 * the zygote and the GPU/network utilities belong to that group. Signalling the group reaches
 * all of them, including helpers that outlived the browser process itself. With CDP over a pipe
 * (the default), the browser also exits on its own when the server dies, even by SIGKILL: its
 * end of the pipe closes.
 */

/** How long the group gets to exit after SIGTERM before it is sent SIGKILL. */
export const GROUP_GRACE_MS = 2000;

const POLL_MS = 25;

/** Sends `signal` to the process group led by `pid`; false when no member is left. */
function signalGroup(pid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    // ESRCH: the group is gone. EPERM: it is not ours, so nothing to wait for either.
    return false;
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Ends the process group led by `pid`: SIGTERM, up to `graceMs` for every member to exit,
 * then SIGKILL (at once when `graceMs` is 0, for a browser that no longer answers). Resolves
 * once the group is gone or has been sent SIGKILL. Does nothing on Windows, where
 * puppeteer-core ends the tree itself.
 */
export async function endProcessGroup(pid: number, graceMs = GROUP_GRACE_MS): Promise<void> {
  if (process.platform === 'win32') return;
  if (graceMs <= 0) {
    signalGroup(pid, 'SIGKILL');
    return;
  }
  if (!signalGroup(pid, 'SIGTERM')) return;
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    await delay(POLL_MS);
    if (!signalGroup(pid, 0)) return;
  }
  signalGroup(pid, 'SIGKILL');
}
