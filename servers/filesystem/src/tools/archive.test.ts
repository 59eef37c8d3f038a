import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dataOf, serveEachTest, startHarness, textOf } from '../../test/harness.js';
import { writeZip, type ZipItem } from '../../test/zips.js';
import { MAX_ARCHIVE_ENTRIES } from '../archive/limits.js';
import { pingThroughout } from '@plugboard/testing';

const served = serveEachTest({ extractBytes: 4 * 1024 * 1024 });
const at = served.at;

interface Listing {
  total: number;
  entries: { name: string; type: string; size: number; refused?: string }[];
  truncated: boolean;
  nextOffset?: number;
}

/** Every entry under `directory`, relative, `/`-separated, directories with a trailing `/`. */
async function treeOf(directory: string): Promise<string[]> {
  const names: string[] = [];
  for (const entry of await fs.readdir(directory, { recursive: true, withFileTypes: true })) {
    const relative = path
      .relative(directory, path.join(entry.parentPath, entry.name))
      .split(path.sep)
      .join('/');
    names.push(entry.isDirectory() ? `${relative}/` : relative);
  }
  return names.sort();
}

describe('create_archive, list_archive and extract_archive', () => {
  it('round-trips a tree: create, list, extract, same bytes', async () => {
    await fs.mkdir(at('src', 'deep'), { recursive: true });
    const binary = randomBytes(70_000);
    await fs.writeFile(at('src', 'a.txt'), 'alpha\n');
    await fs.writeFile(at('src', 'deep', 'b.bin'), binary);
    await fs.writeFile(at('notes.md'), '# notes\n');
    await fs.symlink(path.join(served.fixture.outside, 'canary.txt'), at('src', 'leak'));

    const created = await served.harness.call('create_archive', {
      path: 'out.zip',
      sources: ['src', 'notes.md'],
    });
    expect(dataOf(created)).toMatchObject({ files: 3, directories: 2, skipped: 1 });
    expect(textOf(created)).toMatch(/skipped 1 symlinks/);

    const listing = dataOf<Listing>(await served.harness.call('list_archive', { path: 'out.zip' }));
    expect(listing.entries.map((entry) => [entry.name, entry.type])).toEqual([
      ['src/', 'directory'],
      ['src/a.txt', 'file'],
      ['src/deep/', 'directory'],
      ['src/deep/b.bin', 'file'],
      ['notes.md', 'file'],
    ]);
    expect(listing.entries.every((entry) => entry.refused === undefined)).toBe(true);
    expect(JSON.stringify(listing)).not.toContain('CANARY');

    const extracted = await served.harness.call('extract_archive', {
      path: 'out.zip',
      destination: 'copy',
    });
    expect(dataOf(extracted)).toMatchObject({ files: 3, directories: 3, replaced: 0 });
    expect(await treeOf(at('copy'))).toEqual([
      'notes.md',
      'src/',
      'src/a.txt',
      'src/deep/',
      'src/deep/b.bin',
    ]);
    expect(await fs.readFile(at('copy', 'src', 'deep', 'b.bin'))).toEqual(binary);
    expect(await fs.readFile(at('copy', 'notes.md'), 'utf8')).toBe('# notes\n');
  });

  it('never overwrites unless asked, and then replaces files whole', async () => {
    await writeZip(at('a.zip'), [{ name: 'x.txt', data: 'new' }]);
    await fs.mkdir(at('dest'));
    await fs.writeFile(at('dest', 'x.txt'), 'old');
    const refused = await served.harness.call('extract_archive', {
      path: 'a.zip',
      destination: 'dest',
    });
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toMatch(/x\.txt already exists.*overwrite: true.*Nothing was written/);
    expect(await fs.readFile(at('dest', 'x.txt'), 'utf8')).toBe('old');

    const replaced = await served.harness.call('extract_archive', {
      path: 'a.zip',
      destination: 'dest',
      overwrite: true,
    });
    expect(dataOf(replaced)).toMatchObject({ files: 1, replaced: 1 });
    expect(await fs.readFile(at('dest', 'x.txt'), 'utf8')).toBe('new');

    const again = await served.harness.call('create_archive', { path: 'a.zip', sources: ['dest'] });
    expect(textOf(again)).toMatch(/already exists; pass overwrite: true/);
    const over = await served.harness.call('create_archive', {
      path: 'a.zip',
      sources: ['dest'],
      overwrite: true,
    });
    expect(over.isError).toBeFalsy();
    const listing = dataOf<Listing>(await served.harness.call('list_archive', { path: 'a.zip' }));
    expect(listing.entries.map((entry) => entry.name)).toEqual(['dest/', 'dest/x.txt']);
  });

  it('never stores the archive in itself, and refuses two sources of one name', async () => {
    await fs.mkdir(at('dir'));
    await fs.mkdir(at('other', 'dir'), { recursive: true });
    await fs.writeFile(at('dir', 'a.txt'), 'a');
    for (const overwrite of [false, true]) {
      const result = await served.harness.call('create_archive', {
        path: 'dir/self.zip',
        sources: ['dir'],
        overwrite,
      });
      expect(dataOf(result)).toMatchObject({ files: 1, directories: 1 });
    }
    const listing = dataOf<Listing>(
      await served.harness.call('list_archive', { path: 'dir/self.zip' }),
    );
    expect(listing.entries.map((entry) => entry.name)).toEqual(['dir/', 'dir/a.txt']);
    const twice = await served.harness.call('create_archive', {
      path: 'two.zip',
      sources: ['dir', 'other/dir'],
    });
    expect(textOf(twice)).toMatch(/Two sources would both be stored as dir\//);
    await expect(fs.lstat(at('two.zip'))).rejects.toThrow(/ENOENT/);
  });

  it('pages a long listing within the output budget', async () => {
    const small = await startHarness({ directories: [served.fixture.allowed], outputBytes: 2048 });
    try {
      const items = Array.from({ length: 200 }, (_, index) => ({
        name: `file-${String(index).padStart(3, '0')}.txt`,
        data: `${index}`,
      }));
      await writeZip(at('many.zip'), items);
      const names: string[] = [];
      let offset: number | undefined = 0;
      let pages = 0;
      while (offset !== undefined) {
        const result = await small.call('list_archive', { path: 'many.zip', offset });
        expect(textOf(result).length).toBeLessThanOrEqual(2048);
        const page = dataOf<Listing>(result);
        expect(page.total).toBe(200);
        names.push(...page.entries.map((entry) => entry.name));
        offset = page.nextOffset;
        pages++;
      }
      expect(pages).toBeGreaterThan(1);
      expect(names).toEqual(items.map((item) => item.name));
    } finally {
      await small.close();
    }
  });

  it('refuses what is not a zip file, and keeps working', async () => {
    await fs.writeFile(at('fake.zip'), 'not a zip at all');
    const result = await served.harness.call('list_archive', { path: 'fake.zip' });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/is not a readable zip file/);
    expect((await served.harness.call('list_allowed_directories')).isError).toBeFalsy();
  });

  it('keeps the sandbox: no archive or destination outside', async () => {
    await writeZip(path.join(served.fixture.outside, 'o.zip'), [{ name: 'x', data: 'x' }]);
    await writeZip(at('in.zip'), [{ name: 'x', data: 'x' }]);
    for (const call of [
      served.harness.call('list_archive', { path: path.join(served.fixture.outside, 'o.zip') }),
      served.harness.call('extract_archive', {
        path: 'in.zip',
        destination: served.fixture.outside,
      }),
      served.harness.call('create_archive', {
        path: path.join(served.fixture.outside, 'n.zip'),
        sources: ['in.zip'],
      }),
      served.harness.call('create_archive', { path: 'n.zip', sources: [served.fixture.outside] }),
    ]) {
      const result = await call;
      expect(result.isError).toBe(true);
      expect(textOf(result)).toMatch(/outside the allowed directories|Access denied/);
    }
    expect(await fs.readdir(served.fixture.outside)).toEqual(['canary.txt', 'o.zip']);
  });
});

describe('extract_archive refuses zip slips, writing nothing', () => {
  const slips: [string, ZipItem[], RegExp][] = [
    ['../x', [{ name: 'x', data: 'pwned', rawName: '../x' }], /"\.\." segment/],
    ['/abs', [{ name: 'x', data: 'pwned', rawName: '/tmp/abs-slip' }], /an absolute path/],
    ['a/../../x', [{ name: 'x', data: 'pwned', rawName: 'a/../../x' }], /"\.\." segment/],
    ['..\\x', [{ name: 'x', data: 'pwned', rawName: '..\\x' }], /a backslash/],
    ['a\\..\\..\\x', [{ name: 'x', data: 'pwned', rawName: 'a\\..\\..\\x' }], /a backslash/],
    ['C:/x', [{ name: 'x', data: 'pwned', rawName: 'C:/x' }], /a drive letter/],
    [
      'a symlink entry, then a file through it',
      [
        { name: 'link', data: '../../outside', mode: 0o120777 },
        { name: 'link/canary.txt', data: 'pwned' },
      ],
      /link \(a symbolic link\)/,
    ],
  ];

  it.each(slips)('%s', async (_label, items, reason) => {
    await writeZip(at('evil.zip'), [{ name: 'first.txt', data: 'harmless' }, ...items]);
    const listing = dataOf<Listing>(
      await served.harness.call('list_archive', { path: 'evil.zip' }),
    );
    expect(listing.entries.some((entry) => entry.refused !== undefined)).toBe(true);
    const result = await served.harness.call('extract_archive', {
      path: 'evil.zip',
      destination: 'out',
    });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(reason);
    expect(textOf(result)).toMatch(/Nothing was written/);
    await expect(fs.lstat(at('out'))).rejects.toThrow(/ENOENT/);
    expect(await fs.readFile(path.join(served.fixture.outside, 'canary.txt'), 'utf8')).toBe(
      'CANARY-SECRET\n',
    );
    expect(await fs.readdir(served.fixture.base)).not.toContain('x');
    await expect(fs.lstat('/tmp/abs-slip')).rejects.toThrow(/ENOENT/);
  });

  it('will not write through a symlink already in the destination', async () => {
    await fs.mkdir(at('dest'));
    await fs.symlink(served.fixture.outside, at('dest', 'sub'));
    await writeZip(at('a.zip'), [{ name: 'sub/new.txt', data: 'pwned' }]);
    const result = await served.harness.call('extract_archive', {
      path: 'a.zip',
      destination: 'dest',
      overwrite: true,
    });
    expect(textOf(result)).toMatch(/sub is a symlink where the archive has a directory/);
    expect(await fs.readdir(served.fixture.outside)).toEqual(['canary.txt']);
  });

  it('refuses two entries at one path', async () => {
    await writeZip(at('dup.zip'), [
      { name: 'x.txt', data: 'one' },
      { name: 'x.txt', data: 'two' },
    ]);
    const result = await served.harness.call('extract_archive', {
      path: 'dup.zip',
      destination: 'out',
    });
    expect(textOf(result)).toMatch(/a second entry for x\.txt/);
  });
});

describe('extract_archive refuses zip bombs, writing nothing', () => {
  it('by entry count', async () => {
    const items = Array.from({ length: MAX_ARCHIVE_ENTRIES + 1 }, (_, index) => ({
      name: `f${index}`,
      data: '',
      compress: false,
    }));
    await writeZip(at('many.zip'), items);
    const result = await served.harness.call('extract_archive', {
      path: 'many.zip',
      destination: 'out',
    });
    expect(textOf(result)).toMatch(
      new RegExp(`${MAX_ARCHIVE_ENTRIES + 1} entries, more than the ${MAX_ARCHIVE_ENTRIES}`),
    );
    await expect(fs.lstat(at('out'))).rejects.toThrow(/ENOENT/);
  });

  it('by compression ratio', async () => {
    await writeZip(at('ratio.zip'), [
      { name: 'small-zeros.txt', data: Buffer.alloc(100_000) },
      { name: 'zeros.bin', data: Buffer.alloc(3 * 1024 * 1024) },
    ]);
    const listing = dataOf<Listing>(
      await served.harness.call('list_archive', { path: 'ratio.zip' }),
    );
    expect(listing.entries[0]!.refused).toBeUndefined();
    expect(listing.entries[1]!.refused).toMatch(/expands \d+ times/);
    const result = await served.harness.call('extract_archive', {
      path: 'ratio.zip',
      destination: 'out',
    });
    expect(textOf(result)).toMatch(/zeros\.bin \(expands \d+ times \(more than 100\)\)/);
    await expect(fs.lstat(at('out'))).rejects.toThrow(/ENOENT/);
  });

  it('by total size (--max-extract-bytes)', async () => {
    await writeZip(at('big.zip'), [
      { name: 'a.bin', data: randomBytes(3 * 1024 * 1024), compress: false },
      { name: 'b.bin', data: randomBytes(3 * 1024 * 1024), compress: false },
    ]);
    const result = await served.harness.call('extract_archive', {
      path: 'big.zip',
      destination: 'out',
    });
    expect(textOf(result)).toMatch(
      /expands to 6\.00 MB, more than the 4\.00 MB.*--max-extract-bytes/,
    );
    await expect(fs.lstat(at('out'))).rejects.toThrow(/ENOENT/);
  });
});

describe('extract_archive failing part way', () => {
  it('removes what it wrote when an entry holds more than it declares', async () => {
    await fs.mkdir(at('dest'));
    await fs.writeFile(at('dest', 'mine.txt'), 'keep me');
    await writeZip(at('liar.zip'), [
      { name: 'one.txt', data: 'first' },
      { name: 'sub/two.txt', data: 'second' },
      { name: 'sub/liar.bin', data: randomBytes(50_000), declaredSize: 100 },
    ]);
    const result = await served.harness.call('extract_archive', {
      path: 'liar.zip',
      destination: 'dest',
    });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(
      /Extraction failed at .*liar\.bin: .*; removed the 2 files and 1 directories it had created/,
    );
    expect(await treeOf(at('dest'))).toEqual(['mine.txt']);
    expect(await fs.readFile(at('dest', 'mine.txt'), 'utf8')).toBe('keep me');
  });
});

describe('extract_archive under load', () => {
  it('answers ping during a large extraction', async () => {
    const roomy = await startHarness({ directories: [served.fixture.allowed] });
    try {
      const items = Array.from({ length: 24 }, (_, index) => ({
        name: `part-${index}.bin`,
        data: randomBytes(1024 * 1024),
        compress: false,
      }));
      await writeZip(at('large.zip'), items);
      const { result, pings } = await pingThroughout(
        roomy.client,
        roomy.call('extract_archive', { path: 'large.zip', destination: 'large' }),
      );
      expect(dataOf(result)).toMatchObject({ files: 24, bytes: 24 * 1024 * 1024 });
      expect(pings).toBeGreaterThan(1);
      expect(await fs.readFile(at('large', 'part-7.bin'))).toEqual(items[7]!.data);
    } finally {
      await roomy.close();
    }
  });
});

describe('--read-only', () => {
  it('lists archives but hides extract_archive and create_archive', async () => {
    const readOnly = await startHarness({ directories: [served.fixture.allowed], readOnly: true });
    try {
      const names = (await readOnly.client.listTools()).tools.map((tool) => tool.name);
      expect(names).toContain('list_archive');
      expect(names).not.toContain('extract_archive');
      expect(names).not.toContain('create_archive');
      await writeZip(at('r.zip'), [{ name: 'x', data: 'x' }]);
      const listing = dataOf<Listing>(await readOnly.call('list_archive', { path: 'r.zip' }));
      expect(listing.entries).toMatchObject([{ name: 'x', type: 'file', size: 1 }]);
    } finally {
      await readOnly.close();
    }
  });
});
