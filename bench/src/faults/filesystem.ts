/**
 * @module
 * kill -9 while `write_file` creates a new file. The server is killed at spread moments after the
 * first entry appears in the directory (the write has begun); afterwards the new name must hold
 * nothing or everything. Temp files left beside it are counted too.
 */
import { mkdtempSync, readdirSync, realpathSync, rmSync, statSync } from 'node:fs';
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

/** One kill; says whether the new name was partial and how many other entries were left. */
async function oneKill(
  subject: FilesystemSubject,
  delayMs: number,
  registry: ChildRegistry,
): Promise<{ partial: boolean; leftovers: number; wrote: boolean }> {
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
    return {
      partial: size !== undefined && size !== CONTENT_BYTES,
      leftovers: entries.filter((name) => name !== 'new.txt').length,
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
  let complete = 0;
  for (const delay of KILL_DELAYS_MS) {
    const kill = await oneKill(subject, delay, registry);
    if (kill.partial) partial++;
    if (kill.leftovers > 0) leftovers++;
    if (kill.wrote) complete++;
  }
  const kills = KILL_DELAYS_MS.length;
  return {
    fault: 'kill -9 while write_file creates a new 8 MiB file',
    server: subject.server,
    ok: partial === 0 && leftovers === 0,
    result:
      `${partial} of ${kills} kills left a partial file under the new name` +
      (leftovers === 0 ? '' : `, ${leftovers} left temp files beside it`) +
      ` (${complete} finished before the kill, the rest left nothing)`,
  };
}
