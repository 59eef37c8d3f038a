import { readdir, readFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { ChildProcesses } from './child-processes.js';
import { runCommand } from './run-command.js';

/** Live processes (zombies excluded) whose environment carries `MARK=<mark>`: a child and everything it started. */
async function marked(mark: string): Promise<number[]> {
  const found: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = await readFile(`/proc/${entry}/stat`, 'utf8');
      if (/\) Z /.test(stat)) continue;
      const environ = await readFile(`/proc/${entry}/environ`, 'utf8');
      if (environ.split('\0').includes(`MARK=${mark}`)) found.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

/** A shell that starts two background sleepers and waits: a leader with helpers. */
const FAMILY = 'sleep 300 & sleep 300 & wait';
/** The same family, deaf to SIGTERM: only SIGKILL ends it. */
const STUBBORN = `trap '' TERM; ${FAMILY}`;

describe('runCommand and ChildProcesses', () => {
  const children = new ChildProcesses({ graceMs: 200 });
  const env = (mark: string): Record<string, string> => ({
    PATH: process.env.PATH ?? '',
    MARK: mark,
  });

  afterEach(async () => {
    await children.closeAll();
  });

  it('ends the whole group on timeout, helpers included', async () => {
    const mark = randomUUID();
    const result = await runCommand(children, 'sh', ['-c', FAMILY], {
      env: env(mark),
      timeoutMs: 300,
    });
    expect(result.stopped).toBe('timeout');
    expect(await marked(mark)).toEqual([]);
    expect(children.size).toBe(0);
  });

  it('kills a group that ignores SIGTERM once the grace is over', async () => {
    const mark = randomUUID();
    const result = await runCommand(children, 'sh', ['-c', STUBBORN], {
      env: env(mark),
      timeoutMs: 300,
    });
    expect(result.stopped).toBe('timeout');
    expect(result.exitCode).toBeNull();
    expect(await marked(mark)).toEqual([]);
  });

  it('ends the group when the signal aborts, and when it was aborted before the start', async () => {
    const mark = randomUUID();
    const controller = new AbortController();
    const running = runCommand(children, 'sh', ['-c', FAMILY], {
      env: env(mark),
      signal: controller.signal,
    });
    while ((await marked(mark)).length < 3) await new Promise((resolve) => setTimeout(resolve, 20));
    controller.abort();
    expect((await running).stopped).toBe('cancel');
    expect(await marked(mark)).toEqual([]);
    const early = await runCommand(children, 'sh', ['-c', FAMILY], {
      env: env(mark),
      signal: AbortSignal.abort(),
    });
    expect(early.stopped).toBe('cancel');
    expect(await marked(mark)).toEqual([]);
  });

  it('ends helpers left behind by a leader that exits normally', async () => {
    const mark = randomUUID();
    const result = await runCommand(children, 'sh', ['-c', 'sleep 300 & echo done'], {
      env: env(mark),
    });
    expect(result.stopped).toBeUndefined();
    expect(result.exitCode).toBe(0);
    expect(result.stdout.toString()).toBe('done\n');
    expect(await marked(mark)).toEqual([]);
  });

  it('stops at the stdout cap with exactly the cap read', async () => {
    const mark = randomUUID();
    const result = await runCommand(children, 'yes', ['0123456789'], {
      env: env(mark),
      maxStdoutBytes: 100_000,
    });
    expect(result.stopped).toBe('cap');
    expect(result.stdout.length).toBe(100_000);
    expect(await marked(mark)).toEqual([]);
  });

  it('returns exit code, stdout and capped stderr of a failing command', async () => {
    const result = await runCommand(
      children,
      'sh',
      ['-c', 'echo out; head -c 5000 /dev/zero | tr "\\0" e >&2; exit 3'],
      { maxStderrBytes: 1000 },
    );
    expect(result).toMatchObject({ exitCode: 3, stopped: undefined });
    expect(result.stdout.toString()).toBe('out\n');
    expect(result.stderr.toString()).toBe('e'.repeat(1000));
  });

  it('rejects when the program does not exist, and tracks nothing', async () => {
    await expect(runCommand(children, 'no-such-program-here', [])).rejects.toMatchObject({
      code: 'ENOENT',
    });
    expect(children.size).toBe(0);
  });

  it('ends every live group on closeAll, and kills them at once on killAll', async () => {
    const mark = randomUUID();
    const first = runCommand(children, 'sh', ['-c', FAMILY], { env: env(mark) });
    const second = runCommand(children, 'sh', ['-c', STUBBORN], { env: env(mark) });
    while ((await marked(mark)).length < 6) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(children.size).toBe(2);
    await children.closeAll();
    await Promise.all([first, second]);
    expect(await marked(mark)).toEqual([]);

    const third = runCommand(children, 'sh', ['-c', STUBBORN], { env: env(mark) });
    while ((await marked(mark)).length < 3) await new Promise((resolve) => setTimeout(resolve, 20));
    children.killAll();
    expect((await third).exitCode).toBeNull();
    while ((await marked(mark)).length > 0) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(children.size).toBe(0);
  });
});
