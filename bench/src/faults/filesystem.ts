/**
 * @module
 * kill -9 while `write_file` creates a new file. The server is killed at spread moments after the
 * first entry appears in the directory (the write has begun); afterwards the new name must hold
 * nothing or everything. Temp files left beside it are counted too.
 */
import { mkdtempSync, readdirSync, realpathSync, rmSync, statSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildRegistry } from '../launch.js';
import type { Outcome } from './outcome.js';
import { signalAll, startSession } from './session.js';

/** Size of the new file: large enough that writing it takes a while, under every line cap. */
const CONTENT_BYTES = 8 * 1024 * 1024;
/** Milliseconds to wait after the write began, one kill each. */
const KILL_DELAYS_MS = [0, 0, 1, 1, 2, 3, 5, 8, 13, 21];

export interface FilesystemSubject {
  readonly server: string;
  readonly argv: readonly string[];
}

async function untilEntry(dir: string, give: () => boolean): Promise<boolean> {
  while (!give()) {
    if (readdirSync(dir).length > 0) return true;
    await new Promise((resolve) => setImmediate(resolve));
  }
  return false;
}

/**
 * Whether leftovers beside the new name outlive the next start: they are aged past any "recent"
 * window first, then the server starts again on the directory and answers one call.
 */
async function leftoversAfterRestart(
  subject: FilesystemSubject,
  dir: string,
  leftovers: readonly string[],
  registry: ChildRegistry,
): Promise<number> {
  const longAgo = new Date(Date.now() - 60 * 60_000);
  for (const name of leftovers) utimesSync(join(dir, name), longAgo, longAgo);
  const again = await startSession({ argv: [...subject.argv, dir] }, registry);
  await again.call('list_allowed_directories', {}).catch(() => undefined);
  signalAll([again.launched.pid], 'SIGTERM');
  await again.launched.exited;
  return readdirSync(dir).filter((name) => name !== 'new.txt').length;
}

/**
 * One kill; says whether the new name was partial, whether anything else was left beside it, and
 * whether that was still there after the next start.
 */
async function oneKill(
  subject: FilesystemSubject,
  delayMs: number,
  registry: ChildRegistry,
): Promise<{ partial: boolean; leftovers: number; stayed: number; wrote: boolean }> {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'plugboard-faults-fs-')));
  try {
    const session = await startSession({ argv: [...subject.argv, dir] }, registry);
    const target = join(dir, 'new.txt');
    const pending = session
      .call('write_file', { path: target, content: 'x'.repeat(CONTENT_BYTES) })
      .catch(() => undefined);
    const started = await untilEntry(dir, session.exited);
    if (started && delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    signalAll([session.launched.pid], 'SIGKILL');
    await session.launched.exited;
    await pending;
    const entries = readdirSync(dir);
    const size = entries.includes('new.txt') ? statSync(target).size : undefined;
    const leftovers = entries.filter((name) => name !== 'new.txt');
    return {
      partial: size !== undefined && size !== CONTENT_BYTES,
      leftovers: leftovers.length,
      stayed:
        leftovers.length === 0 ? 0 : await leftoversAfterRestart(subject, dir, leftovers, registry),
      wrote: size === CONTENT_BYTES,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function killDuringNewFileWrite(
  subject: FilesystemSubject,
  registry: ChildRegistry,
): Promise<Outcome> {
  let partial = 0;
  let leftovers = 0;
  let stayed = 0;
  let complete = 0;
  for (const delay of KILL_DELAYS_MS) {
    const kill = await oneKill(subject, delay, registry);
    if (kill.partial) partial++;
    if (kill.leftovers > 0) leftovers++;
    if (kill.stayed > 0) stayed++;
    if (kill.wrote) complete++;
  }
  const kills = KILL_DELAYS_MS.length;
  return {
    fault: 'kill -9 while write_file creates a new 8 MiB file',
    server: subject.server,
    ok: partial === 0 && stayed === 0,
    result:
      `${partial} of ${kills} kills left a partial file under the new name` +
      (leftovers === 0
        ? ''
        : `, ${leftovers} left temp files beside it (${stayed} still there after the next start)`) +
      ` (${complete} finished before the kill, the rest left nothing)`,
  };
}
