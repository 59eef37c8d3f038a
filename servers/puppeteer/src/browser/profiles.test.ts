import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listProfiles, profileDirectory, readStateFile, writeStateFile } from './profiles.js';

let dir: string;
let outside: string;

beforeEach(() => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'profiles-')));
  outside = realpathSync(mkdtempSync(join(tmpdir(), 'outside-')));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

describe('profiles directory', () => {
  it('creates a profile on first use, owner only, and lists it', async () => {
    const path = await profileDirectory(dir, 'work');
    expect(path).toBe(join(dir, 'work'));
    expect(await profileDirectory(dir, 'work')).toBe(path);
    await writeStateFile(dir, 'state.json', '{}');
    expect(await listProfiles(dir)).toEqual(['work']);
  });

  it.each(['..', '../escape', '/tmp/abs', 'a/b', 'a\\b', '.hidden', 'dots.in.name', ''])(
    'refuses the profile name %j before touching the disk',
    async (name) => {
      await expect(profileDirectory(dir, name)).rejects.toThrow(/profile name .* is refused/);
      expect(await listProfiles(dir)).toEqual([]);
    },
  );

  it('refuses a profile that is a symlink out of the directory', async () => {
    symlinkSync(outside, join(dir, 'linked'));
    await expect(profileDirectory(dir, 'linked')).rejects.toThrow('is a symbolic link');
  });

  it.each(['../state.json', '/tmp/state.json', 'sub/state.json', '..json', 'state.txt'])(
    'refuses the state file %j for reading and writing',
    async (name) => {
      await expect(writeStateFile(dir, name, '{}')).rejects.toThrow(/file .* is refused/);
      await expect(readStateFile(dir, name)).rejects.toThrow(/file .* is refused/);
    },
  );

  it('neither writes through nor reads through a symlinked state file', async () => {
    const target = join(outside, 'victim.json');
    writeFileSync(target, 'untouched');
    symlinkSync(target, join(dir, 'link.json'));
    await expect(writeStateFile(dir, 'link.json', '{"cookies":[]}')).rejects.toThrow(
      'is a symbolic link',
    );
    await expect(readStateFile(dir, 'link.json')).rejects.toThrow('is a symbolic link');
    expect(readFileSync(target, 'utf8')).toBe('untouched');
  });

  it('writes and reads a state file inside the directory, and says when one is missing', async () => {
    const path = await writeStateFile(dir, 'signed-in.json', '{"cookies":[],"origins":[]}');
    expect(path).toBe(join(dir, 'signed-in.json'));
    expect(await readStateFile(dir, 'signed-in.json')).toBe('{"cookies":[],"origins":[]}');
    await expect(readStateFile(dir, 'absent.json')).rejects.toThrow(
      'export one with puppeteer_export_storage_state',
    );
    mkdirSync(join(dir, 'folder.json'));
    await expect(readStateFile(dir, 'folder.json')).rejects.toThrow('is a directory');
  });
});
