import { mkdir, readdir, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tmpDir, type TmpDir } from '@plugboard/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPartial, openForReading, resolveExisting, resolveNew } from './local-dir.js';

let local: TmpDir;
let outside: TmpDir;
let dir: string;

beforeEach(async () => {
  local = await tmpDir('gdrive-local-');
  outside = await tmpDir('gdrive-outside-');
  dir = join(local.path, 'transfers');
  await mkdir(join(dir, 'sub'), { recursive: true });
  await writeFile(join(dir, 'sub', 'report.pdf'), '%PDF-inside');
  await writeFile(join(outside.path, 'secret.txt'), 'outside secret');
});

afterEach(async () => {
  await local.cleanup();
  await outside.cleanup();
});

async function readThrough(requested: string): Promise<string> {
  const { handle } = await openForReading(await resolveExisting(dir, requested));
  try {
    return (await handle.readFile()).toString('utf8');
  } finally {
    await handle.close();
  }
}

describe('names the model gives', () => {
  it('reach files inside the directory, relative or absolute', async () => {
    expect(await readThrough('sub/report.pdf')).toBe('%PDF-inside');
    expect(await readThrough(join(dir, 'sub', 'report.pdf'))).toBe('%PDF-inside');
  });

  it('are refused when they leave it by .., by an absolute path, or name the directory itself', async () => {
    await writeFile(join(local.path, 'beside.txt'), 'beside');
    for (const requested of [
      '../beside.txt',
      'sub/../../beside.txt',
      join(outside.path, 'secret.txt'),
      '.',
    ])
      await expect(resolveExisting(dir, requested), requested).rejects.toThrow(
        /outside the local directory/,
      );
    await expect(resolveNew(dir, '../new.bin')).rejects.toThrow(/outside the local directory/);
  });

  it('are refused when a symbolic link leads out, or leads nowhere', async () => {
    await symlink(join(outside.path, 'secret.txt'), join(dir, 'link.txt'));
    await expect(resolveExisting(dir, 'link.txt')).rejects.toThrow(/leads outside/);
    await symlink(outside.path, join(dir, 'out'));
    await expect(resolveExisting(dir, 'out/secret.txt')).rejects.toThrow(/leads outside/);
    await expect(resolveNew(dir, 'out/new.bin')).rejects.toThrow(/leads outside/);
    await symlink(join(dir, 'gone.txt'), join(dir, 'dangling.txt'));
    await expect(resolveExisting(dir, 'dangling.txt')).rejects.toThrow(/link to nowhere/);
  });

  it('refuse a directory as the file to upload', async () => {
    await expect(readThrough('sub')).rejects.toThrow(/not a regular file/);
  });
});

describe('a swap between the check and the open', () => {
  it('refuses a file replaced by a link out after it was checked', async () => {
    const checked = await resolveExisting(dir, 'sub/report.pdf');
    await rm(join(dir, 'sub', 'report.pdf'));
    await symlink(join(outside.path, 'secret.txt'), join(dir, 'sub', 'report.pdf'));
    await expect(openForReading(checked)).rejects.toThrow(/changed into a symbolic link/);
  });

  it.runIf(process.platform === 'linux')(
    'refuses a folder replaced by a link out after the file in it was checked',
    async () => {
      await mkdir(join(outside.path, 'sub'));
      await writeFile(join(outside.path, 'sub', 'report.pdf'), 'outside secret');
      const checked = await resolveExisting(dir, 'sub/report.pdf');
      await rename(join(dir, 'sub'), join(dir, 'moved'));
      await symlink(join(outside.path, 'sub'), join(dir, 'sub'));
      await expect(openForReading(checked)).rejects.toThrow(/changed into a link out/);
      const target = await resolveNew(dir, 'moved/new.bin');
      await rename(join(dir, 'moved'), join(dir, 'moved-again'));
      await symlink(outside.path, join(dir, 'moved'));
      await expect(createPartial(target)).rejects.toThrow(/changed into a link out/);
      expect(await readdir(outside.path)).toEqual(['secret.txt', 'sub']);
    },
  );
});

describe('files being downloaded', () => {
  it('appear under their name only when committed, and never over an existing file', async () => {
    const target = await resolveNew(dir, 'sub/new.bin');
    const partial = await createPartial(target);
    await partial.handle.write(Buffer.from([0, 1, 2, 255]));
    expect(await readdir(join(dir, 'sub'))).not.toContain('new.bin');
    await partial.commit();
    expect([...(await readFile(join(dir, 'sub', 'new.bin')))]).toEqual([0, 1, 2, 255]);
    expect(await readdir(join(dir, 'sub'))).toEqual(['new.bin', 'report.pdf']);

    await expect(resolveNew(dir, 'sub/report.pdf')).rejects.toThrow(/already exists/);
    const late = await resolveNew(dir, 'sub/late.bin');
    const racing = await createPartial(late);
    await writeFile(join(dir, 'sub', 'late.bin'), 'written meanwhile');
    await racing.handle.write('downloaded');
    await expect(racing.commit()).rejects.toThrow(/already exists/);
    expect(await readFile(join(dir, 'sub', 'late.bin'), 'utf8')).toBe('written meanwhile');
    expect(await readdir(join(dir, 'sub'))).toEqual(['late.bin', 'new.bin', 'report.pdf']);
  });

  it('leave nothing when discarded', async () => {
    const partial = await createPartial(await resolveNew(dir, 'half.bin'));
    await partial.handle.write('half');
    await partial.discard();
    expect(await readdir(dir)).toEqual(['sub']);
  });
});
