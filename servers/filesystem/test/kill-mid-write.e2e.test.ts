/**
 * @module
 * The built server killed with SIGKILL in the middle of large writes, as an operator's machine
 * does it: after each kill the target is absent or complete (a new file) and old or new (a
 * replaced one), never partial; the temporary files the kills leave behind are removed by the next
 * server once they are old enough, and a young one (a write in progress) is left alone.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { rawStdio, tmpDir, type TmpDir } from '@plugboard/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isTemporaryName, STALE_AFTER_MS } from '../src/fs/temporary.js';

const SERVER = fileURLToPath(new URL('../dist/main.js', import.meta.url));
/** Large enough that writing it takes many write calls (Node writes files in 512 KiB chunks). */
const SIZE = 12 * 1024 * 1024;
const ROUNDS = 16;

let dir: TmpDir;

beforeEach(async () => {
  dir = await tmpDir('fs-kill-');
});

afterEach(async () => {
  await dir.cleanup();
});

/** Names in `directory` that were not in `before`. */
async function newNames(directory: string, before: ReadonlySet<string>): Promise<string[]> {
  return (await fs.readdir(directory)).filter((name) => !before.has(name));
}

/**
 * Starts a server, asks it to write `content` to `name`, and kills it `delay` event-loop turns
 * after the first new entry shows up in the directory (or when it answers, if it is faster).
 */
async function killDuringWrite(name: string, content: string, delay: number): Promise<void> {
  const peer = rawStdio({ command: process.execPath, args: [SERVER, dir.path] });
  try {
    await peer.initialize();
    const before = new Set(await fs.readdir(dir.path));
    const since = peer.mark();
    void peer.send({
      jsonrpc: '2.0',
      id: 'write',
      method: 'tools/call',
      params: { name: 'write_file', arguments: { path: name, content } },
    });
    while ((await newNames(dir.path, before)).length === 0 && peer.mark() === since) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    for (let turn = 0; turn < delay; turn++) await new Promise((resolve) => setImmediate(resolve));
  } finally {
    peer.child.kill('SIGKILL');
    await peer.exit;
  }
}

function contentFor(round: number): string {
  return String.fromCharCode(97 + (round % 26)).repeat(SIZE);
}

describe('a server killed mid-write', () => {
  it('never leaves a partial new file, and the next start removes the stale temporary files', async () => {
    let interrupted = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const name = `new-${round}.txt`;
      const content = contentFor(round);
      await killDuringWrite(name, content, round * 2);
      const target = path.join(dir.path, name);
      const stats = await fs.stat(target).catch(() => undefined);
      if (stats !== undefined) {
        expect(stats.size).toBe(SIZE);
        expect(await fs.readFile(target, 'utf8')).toBe(content);
      } else interrupted++;
    }
    const leftovers = (await fs.readdir(dir.path)).filter(isTemporaryName);
    // The kills landed inside writes: some files never appeared, and their temporaries stayed.
    expect(interrupted).toBeGreaterThan(0);
    expect(leftovers.length).toBeGreaterThan(0);

    const old = new Date(Date.now() - STALE_AFTER_MS - 60_000);
    for (const name of leftovers) await fs.utimes(path.join(dir.path, name), old, old);
    const young = '.other.txt.0123456789ab.plugboard.tmp';
    await fs.writeFile(path.join(dir.path, young), 'a write in progress');
    const peer = rawStdio({ command: process.execPath, args: [SERVER, dir.path] });
    try {
      await peer.initialize();
      expect((await fs.readdir(dir.path)).filter(isTemporaryName)).toEqual([young]);
    } finally {
      peer.child.kill('SIGKILL');
      await peer.exit;
    }
  });

  it('keeps a replaced file old or new, never partial', async () => {
    const target = path.join(dir.path, 'replaced.txt');
    const first = 'old content\n';
    await fs.writeFile(target, first);
    const seen = new Set<string>();
    for (let round = 0; round < ROUNDS; round++) {
      const previous = await fs.readFile(target, 'utf8');
      const content = contentFor(round);
      await killDuringWrite('replaced.txt', content, round * 2);
      const now = await fs.readFile(target, 'utf8');
      expect([previous, content]).toContain(now);
      seen.add(now === previous ? 'old' : 'new');
    }
    expect(seen.has('old')).toBe(true);
  });
});
