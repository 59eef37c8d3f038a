import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { waitFor } from '@plugboard/testing';
import { dataOf, serveEachTest, textOf } from '../../test/harness.js';
import { STALE_AFTER_MS } from '../fs/temporary.js';

const served = serveEachTest();
const at = served.at;

describe('write_file', () => {
  it('creates, replaces (keeping the mode) and appends', async () => {
    const created = dataOf(
      await served.harness.call('write_file', { path: 'new.txt', content: 'one\n' }),
    );
    expect(created).toMatchObject({
      created: true,
      mode: 'rewrite',
      bytesWritten: 4,
      sha256: createHash('sha256').update('one\n').digest('hex'),
    });
    await fs.chmod(at('new.txt'), 0o640);
    expect(
      dataOf(await served.harness.call('write_file', { path: 'new.txt', content: 'two\n' })),
    ).toMatchObject({ created: false });
    expect((await fs.stat(at('new.txt'))).mode & 0o777).toBe(0o640);
    expect(
      dataOf(
        await served.harness.call('write_file', {
          path: 'new.txt',
          content: 'three\n',
          mode: 'append',
        }),
      ),
    ).toMatchObject({ created: false, mode: 'append' });
    expect(await fs.readFile(at('new.txt'), 'utf8')).toBe('two\nthree\n');
    expect(
      dataOf(
        await served.harness.call('write_file', {
          path: 'fresh.log',
          content: 'a',
          mode: 'append',
        }),
      ),
    ).toMatchObject({ created: true });
  });

  it('leaves no temporary files behind', async () => {
    await served.harness.call('write_file', { path: 'hello.txt', content: 'x' });
    expect(await fs.readdir(served.fixture.allowed)).toEqual(['hello.txt']);
  });

  it('removes abandoned temporary files of its directory before writing, and nothing else', async () => {
    await fs.mkdir(at('sub'));
    const old = new Date(Date.now() - STALE_AFTER_MS - 1000);
    const stale = '.a.txt.0123456789ab.plugboard.tmp';
    const young = '.b.txt.0123456789ab.plugboard.tmp';
    const elsewhere = '.c.txt.0123456789ab.plugboard.tmp';
    const lookalike = '.d.txt.0123456789ab.tmp';
    const link = '.e.txt.0123456789ab.plugboard.tmp';
    for (const name of [stale, young, lookalike]) await fs.writeFile(at('sub', name), 'x');
    await fs.writeFile(at(elsewhere), 'x');
    await fs.symlink(path.join(served.fixture.outside, 'canary.txt'), at('sub', link));
    for (const name of [at('sub', stale), at('sub', lookalike), at(elsewhere)])
      await fs.utimes(name, old, old);
    await fs.lutimes(at('sub', link), old, old);
    dataOf(await served.harness.call('write_file', { path: 'sub/new.txt', content: 'x' }));
    expect((await fs.readdir(at('sub'))).sort()).toEqual(
      [young, lookalike, link, 'new.txt'].sort(),
    );
    expect(await fs.readdir(served.fixture.allowed)).toContain(elsewhere);
    expect(await fs.readFile(path.join(served.fixture.outside, 'canary.txt'), 'utf8')).toBe(
      'CANARY-SECRET\n',
    );
  });

  it('leaves a new file with one name and no temporary file beside it', async () => {
    const result = dataOf<{ created: boolean }>(
      await served.harness.call('write_file', { path: 'linked.txt', content: 'whole' }),
    );
    expect(result.created).toBe(true);
    expect((await fs.stat(at('linked.txt'))).nlink).toBe(1);
    expect(await fs.readdir(served.fixture.allowed)).toEqual(['hello.txt', 'linked.txt'].sort());
  });

  it('asks for create_directory when the parent is missing', async () => {
    const result = await served.harness.call('write_file', { path: 'a/b/c.txt', content: 'x' });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/create_directory/);
  });

  it('refuses to write over a directory', async () => {
    await fs.mkdir(at('d'));
    const result = await served.harness.call('write_file', { path: 'd', content: 'x' });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/directory/);
  });
});

describe('create_directory', () => {
  it('creates missing parents and is idempotent', async () => {
    expect(
      dataOf<{ created: string[] }>(
        await served.harness.call('create_directory', { path: 'a/b/c' }),
      ).created,
    ).toEqual([at('a'), at('a', 'b'), at('a', 'b', 'c')]);
    expect(
      dataOf<{ created: string[] }>(
        await served.harness.call('create_directory', { path: 'a/b/c' }),
      ).created,
    ).toEqual([]);
  });

  it('refuses when a file is in the way', async () => {
    const result = await served.harness.call('create_directory', { path: 'hello.txt' });
    expect(textOf(result)).toMatch(/not a directory/);
  });
});

describe('move_file', () => {
  it('renames, and never overwrites', async () => {
    await fs.writeFile(at('b.txt'), 'b');
    expect(
      dataOf(
        await served.harness.call('move_file', { source: 'hello.txt', destination: 'moved.txt' }),
      ),
    ).toMatchObject({ destination: at('moved.txt'), type: 'file' });
    const clash = await served.harness.call('move_file', {
      source: 'moved.txt',
      destination: 'b.txt',
    });
    expect(textOf(clash)).toMatch(/already exists/);
    expect(await fs.readFile(at('b.txt'), 'utf8')).toBe('b');
  });

  it('moves a symlink as a link', async () => {
    await fs.symlink(served.fixture.outside, at('out'));
    expect(
      dataOf(await served.harness.call('move_file', { source: 'out', destination: 'out2' })),
    ).toMatchObject({ type: 'symlink' });
    expect(await fs.readlink(at('out2'))).toBe(served.fixture.outside);
  });

  it('refuses to move an allowed directory itself', async () => {
    const result = await served.harness.call('move_file', {
      source: served.fixture.allowed,
      destination: 'x',
    });
    expect(textOf(result)).toMatch(/allowed directory itself/);
  });
});

describe('copy_file', () => {
  it('copies a file, and overwrites only when asked', async () => {
    await fs.chmod(at('hello.txt'), 0o600);
    expect(
      dataOf(
        await served.harness.call('copy_file', { source: 'hello.txt', destination: 'copy.txt' }),
      ),
    ).toMatchObject({ type: 'file', bytes: 12, files: 1 });
    expect(await fs.readFile(at('copy.txt'), 'utf8')).toBe('hello\nworld\n');
    expect((await fs.stat(at('copy.txt'))).mode & 0o777).toBe(0o600);
    await fs.writeFile(at('hello.txt'), 'changed');
    expect(
      textOf(
        await served.harness.call('copy_file', { source: 'hello.txt', destination: 'copy.txt' }),
      ),
    ).toMatch(/overwrite: true/);
    await served.harness.call('copy_file', {
      source: 'hello.txt',
      destination: 'copy.txt',
      overwrite: true,
    });
    expect(await fs.readFile(at('copy.txt'), 'utf8')).toBe('changed');
  });

  it('copies a directory tree, skipping symlinks', async () => {
    await fs.mkdir(at('src', 'deep'), { recursive: true });
    await fs.writeFile(at('src', 'a.txt'), 'a');
    await fs.writeFile(at('src', 'deep', 'b.txt'), 'bb');
    await fs.symlink(served.fixture.outside, at('src', 'out'));
    expect(
      dataOf(await served.harness.call('copy_file', { source: 'src', destination: 'dst' })),
    ).toMatchObject({ type: 'directory', files: 2, bytes: 3, skipped: 1 });
    expect(await fs.readFile(at('dst', 'deep', 'b.txt'), 'utf8')).toBe('bb');
    expect(await fs.readdir(at('dst'))).toEqual(['a.txt', 'deep']);
    expect(
      textOf(await served.harness.call('copy_file', { source: 'src', destination: 'src/inner' })),
    ).toMatch(/into itself/);
  });

  /** Everything in the allowed directory but the source tree: the copy or what it left. */
  const besideSource = async (): Promise<string[]> =>
    (await fs.readdir(at())).filter((name) => name !== 'src').sort();

  it.skipIf(process.getuid?.() === 0)(
    'leaves nothing at the destination when a file half-way cannot be read',
    async () => {
      await fs.mkdir(at('src'));
      await fs.writeFile(at('src', 'a.txt'), 'a');
      await fs.writeFile(at('src', 'b.txt'), 'b');
      await fs.chmod(at('src', 'b.txt'), 0o000);
      const before = await besideSource();
      const failed = await served.harness.call('copy_file', { source: 'src', destination: 'dst' });
      expect(failed.isError).toBe(true);
      expect(await besideSource()).toEqual(before);
    },
  );

  it('leaves nothing at the destination when the copy is cancelled half-way', async () => {
    await fs.mkdir(at('src'));
    const files = Array.from({ length: 4000 }, (_, index) => `f${index}.txt`);
    await Promise.all(files.map((name) => fs.writeFile(at('src', name), 'x'.repeat(4096))));
    const before = await besideSource();
    const controller = new AbortController();
    const copying = served.harness.client.callTool(
      { name: 'copy_file', arguments: { source: 'src', destination: 'dst' } },
      undefined,
      { signal: controller.signal },
    );
    // Cancelled once the copy has begun to write (the destination, or a sibling for it).
    await waitFor(async () => (await besideSource()).length > before.length, {
      description: 'the copy to begin',
    });
    controller.abort();
    await expect(copying).rejects.toThrow();
    await waitFor(async () => (await besideSource()).length === before.length, {
      description: 'what the copy wrote to be removed',
    });
    expect(await besideSource()).toEqual(before);
    // And the same copy, not cancelled, arrives whole.
    const copied = dataOf(
      await served.harness.call('copy_file', { source: 'src', destination: 'dst' }),
    );
    expect(copied).toMatchObject({ type: 'directory', files: 4000 });
  });
});

describe('edit_file', () => {
  beforeEach(async () => {
    await fs.writeFile(at('code.ts'), 'const a = 1;\nconst b = 2;\nconst a2 = 1;\n');
  });

  it('replaces a unique match and returns a unified diff', async () => {
    const result = await served.harness.call('edit_file', {
      path: 'code.ts',
      edits: [{ oldText: 'const b = 2;', newText: 'const b = 3;' }],
    });
    const data = dataOf<{ diff: string; applied: boolean; replacements: number; sha256: string }>(
      result,
    );
    expect(data).toMatchObject({ applied: true, replacements: 1 });
    expect(data.diff).toContain('-const b = 2;\n+const b = 3;');
    expect(textOf(result)).toMatch(/^```diff\n/);
    expect(data.sha256).toBe(
      createHash('sha256')
        .update(await fs.readFile(at('code.ts')))
        .digest('hex'),
    );
  });

  it('refuses a non-unique oldText with the lines, unless replaceAll', async () => {
    const refused = await served.harness.call('edit_file', {
      path: 'code.ts',
      edits: [{ oldText: '= 1;', newText: '= 9;' }],
    });
    expect(textOf(refused)).toMatch(/occurs 2 times \(at lines 1, 3\).*replaceAll/);
    expect(await fs.readFile(at('code.ts'), 'utf8')).toBe(
      'const a = 1;\nconst b = 2;\nconst a2 = 1;\n',
    );
    const all = await served.harness.call('edit_file', {
      path: 'code.ts',
      edits: [{ oldText: '= 1;', newText: '= 9;', replaceAll: true }],
    });
    expect(dataOf(all)).toMatchObject({ replacements: 2 });
    expect(await fs.readFile(at('code.ts'), 'utf8')).toBe(
      'const a = 9;\nconst b = 2;\nconst a2 = 9;\n',
    );
  });

  it('shows the nearest text when oldText is not found', async () => {
    const result = await served.harness.call('edit_file', {
      path: 'code.ts',
      edits: [{ oldText: 'const b = 22;', newText: 'x' }],
    });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/not found.*line 2:\n\s+2\| const b = 2;/s);
  });

  it('forgives indentation differences and keeps the file indentation', async () => {
    await fs.writeFile(at('py.py'), 'def f():\n    x = 1\n    return x\n');
    await served.harness.call('edit_file', {
      path: 'py.py',
      edits: [{ oldText: 'x = 1\nreturn x', newText: 'x = 2\nreturn x' }],
    });
    expect(await fs.readFile(at('py.py'), 'utf8')).toBe('def f():\n    x = 2\n    return x\n');
  });

  it('previews with dryRun without writing', async () => {
    const result = await served.harness.call('edit_file', {
      path: 'code.ts',
      edits: [{ oldText: 'const b = 2;', newText: 'const b = 3;' }],
      dryRun: true,
    });
    expect(dataOf(result)).toMatchObject({ applied: false });
    expect(await fs.readFile(at('code.ts'), 'utf8')).toContain('const b = 2;');
  });

  it('refuses the edit when the file changed since the expected hash', async () => {
    const stale = createHash('sha256').update('something else').digest('hex');
    const refused = await served.harness.call('edit_file', {
      path: 'code.ts',
      edits: [{ oldText: 'const b = 2;', newText: 'x' }],
      expectedHash: stale,
    });
    expect(textOf(refused)).toMatch(/changed since it was read/);
    const current = createHash('sha256')
      .update(await fs.readFile(at('code.ts')))
      .digest('hex');
    const accepted = await served.harness.call('edit_file', {
      path: 'code.ts',
      edits: [{ oldText: 'const b = 2;', newText: 'x' }],
      expectedHash: current,
    });
    expect(accepted.isError).toBeFalsy();
  });

  it('keeps CRLF line endings', async () => {
    await fs.writeFile(at('win.txt'), 'one\r\ntwo\r\nthree\r\n');
    await served.harness.call('edit_file', {
      path: 'win.txt',
      edits: [{ oldText: 'one\ntwo', newText: 'uno\ndos' }],
    });
    expect(await fs.readFile(at('win.txt'), 'utf8')).toBe('uno\r\ndos\r\nthree\r\n');
  });

  it('keeps $ patterns in newText literal', async () => {
    await served.harness.call('edit_file', {
      path: 'code.ts',
      edits: [{ oldText: 'const b = 2;', newText: "const b = '$&$1';" }],
    });
    expect(await fs.readFile(at('code.ts'), 'utf8')).toContain("const b = '$&$1';");
  });
});
