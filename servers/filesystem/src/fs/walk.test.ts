import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import ignore from 'ignore';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SKIP, STOP, walk } from './walk.js';

let base: string;
const signal = new AbortController().signal;

beforeEach(async () => {
  base = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'walk-')));
  await fs.mkdir(path.join(base, 'b', 'deep'), { recursive: true });
  await fs.mkdir(path.join(base, 'a'));
  await fs.writeFile(path.join(base, 'z.txt'), '');
  await fs.writeFile(path.join(base, 'a', 'x.txt'), '');
  await fs.writeFile(path.join(base, 'b', 'deep', 'y.txt'), '');
  await fs.symlink(base, path.join(base, 'b', 'loop'));
});

afterEach(async () => {
  await fs.rm(base, { recursive: true, force: true });
});

describe('walk', () => {
  it('visits breadth first, sorted by name, and never descends symlinks', async () => {
    const seen: string[] = [];
    const result = await walk(base, true, { signal }, (entry) => {
      seen.push(`${entry.relative}:${entry.type}:${entry.depth}`);
      return entry.type === 'directory' ? true : undefined;
    });
    expect(seen).toEqual([
      'a:directory:1',
      'b:directory:1',
      'z.txt:file:1',
      'a/x.txt:file:2',
      'b/deep:directory:2',
      'b/loop:symlink:2',
      'b/deep/y.txt:file:3',
    ]);
    expect(result).toEqual({ completed: true, pending: [], unreadable: 0, tooLong: 0 });
  });

  it('does not descend a directory answered with SKIP', async () => {
    const seen: string[] = [];
    await walk(base, true, { signal }, (entry) => {
      seen.push(entry.relative);
      return entry.name === 'b' ? SKIP : true;
    });
    expect(seen).toEqual(['a', 'b', 'z.txt', 'a/x.txt']);
  });

  it('stops on STOP and returns the directories it never read', async () => {
    const result = await walk(base, 'root', { signal }, (entry) =>
      entry.name === 'z.txt' ? STOP : entry.name,
    );
    expect(result).toEqual({ completed: false, pending: ['a', 'b'], unreadable: 0, tooLong: 0 });
  });

  it('honours .gitignore files from the allowed root down, and skips .git', async () => {
    await fs.writeFile(path.join(base, '.gitignore'), 'deep/\n');
    await fs.writeFile(path.join(base, 'b', '.gitignore'), '*.txt\n!keep.txt\n');
    await fs.writeFile(path.join(base, 'b', 'keep.txt'), '');
    await fs.writeFile(path.join(base, 'b', 'drop.txt'), '');
    await fs.mkdir(path.join(base, '.git'));
    const seen: string[] = [];
    await walk(
      path.join(base, 'b'),
      true,
      { signal, gitignore: { allowedRoot: base, create: () => ignore() } },
      (entry) => {
        seen.push(entry.relative);
        return true;
      },
    );
    expect(seen).toEqual(['.gitignore', 'keep.txt', 'loop']);
  });

  it('throws when cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    await fs.mkdir(path.join(base, 'wide'));
    await Promise.all(
      Array.from({ length: 2000 }, (_, index) =>
        fs.writeFile(path.join(base, 'wide', `f${index}`), ''),
      ),
    );
    await expect(
      walk(base, true, { signal: controller.signal }, () => {
        const until = performance.now() + 1;
        while (performance.now() < until) {
          // Busy work per entry, so the walk yields and sees the cancellation.
        }
        return true;
      }),
    ).rejects.toThrow();
  });
});
