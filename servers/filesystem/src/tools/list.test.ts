import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createFixture,
  dataOf,
  startHarness,
  textOf,
  type Fixture,
  type Harness,
} from '../../test/harness.js';

let fixture: Fixture;
let harness: Harness;
const at = (...names: string[]): string => path.join(fixture.allowed, ...names);

beforeEach(async () => {
  fixture = await createFixture();
  harness = await startHarness({ directories: [fixture.allowed], outputBytes: 4096 });
  await fs.mkdir(at('dir'));
  await fs.writeFile(at('dir', 'big.bin'), Buffer.alloc(3000));
  await fs.symlink('dir', at('dirlink'));
});

afterEach(async () => {
  await harness.close();
  await fixture.cleanup();
});

describe('list_directory', () => {
  it('marks files, directories and symlinks (a link to a directory stays a link)', async () => {
    const result = await harness.call('list_directory', { path: fixture.allowed });
    expect(dataOf<{ entries: unknown[] }>(result).entries).toEqual([
      { name: 'dir', type: 'directory' },
      { name: 'dirlink', type: 'symlink', target: 'dir' },
      { name: 'hello.txt', type: 'file' },
    ]);
    expect(textOf(result)).toBe('[DIR] dir\n[LINK] dirlink -> dir\n[FILE] hello.txt');
  });

  it('pages a large directory with nextOffset, in name order, without repeats', async () => {
    await fs.mkdir(at('many'));
    const names = Array.from(
      { length: 300 },
      (_, index) => `file-${String(index).padStart(3, '0')}.txt`,
    );
    await Promise.all(names.map((name) => fs.writeFile(at('many', name), '')));
    const seen: string[] = [];
    let offset: number | undefined = 0;
    while (offset !== undefined) {
      const data: {
        entries: { name: string }[];
        nextOffset?: number;
        total: number;
        truncated: boolean;
      } = dataOf(await harness.call('list_directory', { path: 'many', offset }));
      expect(data.total).toBe(300);
      seen.push(...data.entries.map((entry) => entry.name));
      expect(data.truncated).toBe(data.nextOffset !== undefined);
      offset = data.nextOffset;
    }
    expect(seen).toEqual(names);
  });

  it('refuses a file', async () => {
    expect(textOf(await harness.call('list_directory', { path: 'hello.txt' }))).toMatch(
      /not a directory/,
    );
  });
});

describe('list_directory_with_sizes', () => {
  it('gives size and mtime per entry, totals, and sorts by size', async () => {
    const result = await harness.call('list_directory_with_sizes', { path: 'dir' });
    const data = dataOf<{
      entries: { name: string; size: number; mtime: string }[];
      totals: unknown;
    }>(result);
    expect(data.entries[0]).toMatchObject({ name: 'big.bin', type: 'file', size: 3000 });
    expect(new Date(data.entries[0]!.mtime).getTime()).toBeGreaterThan(0);
    expect(data.totals).toEqual({ files: 1, directories: 0, size: 3000 });
    const bySize = dataOf<{ entries: { name: string }[] }>(
      await harness.call('list_directory_with_sizes', { path: fixture.allowed, sortBy: 'size' }),
    );
    expect(bySize.entries[0]!.name).toBe('dir');
    expect(textOf(result)).toMatch(
      /\[FILE\] big\.bin\s+2\.93 KB\n\nTotal: 1 files, 0 directories\nCombined size: 2\.93 KB/,
    );
  });
});

describe('get_file_info', () => {
  it('describes a file and says when the path is a symlink', async () => {
    const file = dataOf(await harness.call('get_file_info', { path: 'hello.txt' }));
    expect(file).toMatchObject({
      type: 'file',
      size: 12,
      isFile: true,
      isDirectory: false,
      isSymbolicLink: false,
    });
    const link = dataOf(await harness.call('get_file_info', { path: 'dirlink' }));
    expect(link).toMatchObject({
      path: at('dir'),
      type: 'directory',
      isSymbolicLink: true,
      linkTarget: 'dir',
    });
  });
});

describe('list_allowed_directories', () => {
  it('lists the real allowed directories', async () => {
    const result = await harness.call('list_allowed_directories');
    expect(dataOf(result)).toEqual({
      directories: [fixture.allowed],
      narrowedByClientRoots: false,
    });
    expect(textOf(result)).toBe(`Allowed directories:\n${fixture.allowed}`);
  });
});

describe('directory_tree', () => {
  beforeEach(async () => {
    await fs.mkdir(at('src', 'lib', 'deep'), { recursive: true });
    await fs.writeFile(at('src', 'index.ts'), '');
    await fs.writeFile(at('src', 'lib', 'a.ts'), '');
    await fs.writeFile(at('src', 'lib', 'deep', 'b.ts'), '');
    await fs.mkdir(at('node_modules', 'pkg'), { recursive: true });
    await fs.writeFile(at('node_modules', 'pkg', 'index.js'), '');
    await fs.writeFile(at('.gitignore'), 'node_modules/\n*.log\n');
    await fs.writeFile(at('src', 'debug.log'), '');
  });

  it('returns nested entries with children, symlinks not descended', async () => {
    const data = dataOf<{
      tree: { name: string; type: string; children?: unknown[] }[];
      truncated: boolean;
    }>(await harness.call('directory_tree', { path: 'src' }));
    expect(data.tree).toEqual([
      { name: 'debug.log', type: 'file' },
      { name: 'index.ts', type: 'file' },
      {
        name: 'lib',
        type: 'directory',
        children: [
          { name: 'a.ts', type: 'file' },
          { name: 'deep', type: 'directory', children: [{ name: 'b.ts', type: 'file' }] },
        ],
      },
    ]);
    expect(data.truncated).toBe(false);
    const top = dataOf<{ tree: { name: string; type: string }[] }>(
      await harness.call('directory_tree', { path: fixture.allowed }),
    );
    expect(top.tree.find((node) => node.name === 'dirlink')).toEqual({
      name: 'dirlink',
      type: 'symlink',
      target: 'dir',
    });
  });

  it('stops at maxDepth and marks the directories it did not open', async () => {
    const data = dataOf<{ tree: unknown[]; truncated: boolean }>(
      await harness.call('directory_tree', { path: 'src', maxDepth: 1 }),
    );
    expect(data.tree).toContainEqual({ name: 'lib', type: 'directory', truncated: true });
    expect(data.truncated).toBe(true);
  });

  it('honours excludePatterns by name at any depth, and .gitignore when asked', async () => {
    const excluded = JSON.stringify(
      dataOf(
        await harness.call('directory_tree', {
          path: fixture.allowed,
          excludePatterns: ['node_modules', '*.log'],
        }),
      ),
    );
    expect(excluded).not.toContain('node_modules');
    expect(excluded).not.toContain('debug.log');
    expect(excluded).toContain('index.ts');
    const ignored = JSON.stringify(
      dataOf(
        await harness.call('directory_tree', { path: fixture.allowed, respectGitignore: true }),
      ),
    );
    expect(ignored).not.toContain('node_modules');
    expect(ignored).not.toContain('debug.log');
    const sub = JSON.stringify(
      dataOf(await harness.call('directory_tree', { path: 'src', respectGitignore: true })),
    );
    expect(sub).not.toContain('debug.log');
  });

  it('cuts breadth first at maxEntries: every top-level entry first, incomplete directories marked', async () => {
    const result = await harness.call('directory_tree', { path: fixture.allowed, maxEntries: 6 });
    const data = dataOf<{
      tree: { name: string; truncated?: boolean; children?: unknown[] }[];
      entries: number;
      truncated: boolean;
    }>(result);
    expect(data.entries).toBe(6);
    expect(data.tree.map((node) => node.name)).toEqual([
      '.gitignore',
      'dir',
      'dirlink',
      'hello.txt',
      'node_modules',
      'src',
    ]);
    expect(data.tree.filter((node) => node.truncated === true).map((node) => node.name)).toEqual([
      'dir',
      'node_modules',
      'src',
    ]);
    expect(textOf(result)).toMatch(/6 entries shown/);
  });

  it('keeps within the output budget on a wide tree', async () => {
    await fs.mkdir(at('wide'));
    await Promise.all(
      Array.from({ length: 500 }, (_, index) =>
        fs.writeFile(at('wide', `entry-with-a-long-name-${index}.txt`), ''),
      ),
    );
    const result = await harness.call('directory_tree', { path: 'wide' });
    expect(dataOf<{ truncated: boolean }>(result).truncated).toBe(true);
    expect(JSON.stringify(result.structuredContent).length).toBeLessThanOrEqual(4096 * 1.1);
  });
});
