/**
 * @module
 * The filesystem red-team catalogue (security.md section 3.A, FS-01 to FS-11, plus the Windows,
 * Unicode and special-file forms the issue names), each case against real files, real symlinks
 * and a canary outside the allowed directory that must never be read or changed.
 */
import { spawn, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { nullLogger } from '@plugboard/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createFixture,
  dataOf,
  startHarness,
  textOf,
  type Fixture,
  type Harness,
} from '../test/harness.js';

let fixture: Fixture;
let harness: Harness;
let canaryBefore: { hash: string; mtimeMs: number };

async function canaryState(file: string): Promise<{ hash: string; mtimeMs: number }> {
  const bytes = await fs.readFile(file);
  return {
    hash: createHash('sha256').update(bytes).digest('hex'),
    mtimeMs: (await fs.stat(file)).mtimeMs,
  };
}

async function exists(file: string): Promise<boolean> {
  return fs.lstat(file).then(
    () => true,
    () => false,
  );
}

/** Calls a tool and expects a denial that leaks no canary content. */
async function expectDenied(
  name: string,
  args: Record<string, unknown>,
  pattern: RegExp = /denied|outside|invalid|not accepted|refused/i,
): Promise<string> {
  const result = await harness.call(name, args);
  const text = textOf(result);
  expect(result.isError, `${name} ${JSON.stringify(args)} -> ${text}`).toBe(true);
  expect(text).toMatch(pattern);
  expect(JSON.stringify(result)).not.toContain('CANARY-SECRET');
  return text;
}

beforeEach(async () => {
  fixture = await createFixture();
  harness = await startHarness({ directories: [fixture.allowed], homedir: fixture.outside });
  canaryBefore = await canaryState(path.join(fixture.outside, 'canary.txt'));
});

afterEach(async () => {
  await harness.close();
  // Whatever a case tried, the canary outside is unchanged and nothing new appeared next to it.
  expect(await canaryState(path.join(fixture.outside, 'canary.txt'))).toEqual(canaryBefore);
  expect((await fs.readdir(fixture.outside)).sort()).toEqual(['canary.txt']);
  await fixture.cleanup();
});

describe('FS-01 prefix confusion', () => {
  it('denies siblings that share the allowed directory as a string prefix', async () => {
    const { allowed } = fixture;
    for (const target of [
      `${allowed}_evil/canary.txt`,
      `${allowed}-backup/x`,
      `${allowed}.old/x`,
    ]) {
      await expectDenied('read_text_file', { path: target }, /outside the allowed directories/);
      await expectDenied('read_file', { path: target }, /outside the allowed directories/);
    }
    await expectDenied('list_directory', { path: `${allowed}_evil` });
    await expectDenied('write_file', { path: `${allowed}_evil/new.txt`, content: 'x' });
    expect(await exists(`${allowed}_evil/new.txt`)).toBe(false);
  });

  it('allows the allowed directory itself', async () => {
    const result = await harness.call('list_directory', { path: fixture.allowed });
    expect(
      dataOf<{ entries: { name: string }[] }>(result).entries.map((entry) => entry.name),
    ).toEqual(['hello.txt']);
  });
});

describe('FS-02 symlink escape with an existing target', () => {
  beforeEach(async () => {
    await fs.symlink(fixture.outside, path.join(fixture.allowed, 'link'));
    await fs.symlink(path.join(fixture.outside, 'canary.txt'), path.join(fixture.allowed, 'flink'));
  });

  it('denies reading, writing, listing and describing through links that lead out', async () => {
    const { allowed } = fixture;
    await expectDenied('read_text_file', { path: `${allowed}/link/canary.txt` }, /symbolic link/);
    await expectDenied('read_text_file', { path: `${allowed}/flink` }, /symbolic link/);
    await expectDenied('read_media_file', { path: `${allowed}/flink` });
    await expectDenied('write_file', { path: `${allowed}/flink`, content: 'pwned' });
    await expectDenied('write_file', {
      path: `${allowed}/flink`,
      content: 'pwned',
      mode: 'append',
    });
    await expectDenied('edit_file', {
      path: `${allowed}/flink`,
      edits: [{ oldText: 'CANARY', newText: 'pwned' }],
    });
    await expectDenied('list_directory', { path: `${allowed}/link` });
    await expectDenied('get_file_info', { path: `${allowed}/flink` });
    await expectDenied('copy_file', {
      source: `${allowed}/flink`,
      destination: `${allowed}/copy.txt`,
    });
    await expectDenied('write_file', { path: `${allowed}/link/new.txt`, content: 'x' });
    await expectDenied('create_directory', { path: `${allowed}/link/sub` });
    await expectDenied('search_file_contents', { path: `${allowed}/link`, query: 'CANARY' });
  });

  it('reports a read_multiple_files entry that leads out as an error, without its content', async () => {
    const result = await harness.call('read_multiple_files', {
      paths: [`${fixture.allowed}/flink`, `${fixture.allowed}/hello.txt`],
    });
    const files = dataOf<{ files: { error?: string; content?: string }[] }>(result).files;
    expect(files[0]?.error).toMatch(/symbolic link/);
    expect(files[1]?.content).toBe('hello\nworld\n');
    expect(JSON.stringify(result)).not.toContain('CANARY-SECRET');
  });

  it('follows a symlink whose target stays inside', async () => {
    await fs.mkdir(path.join(fixture.allowed, 'real'));
    await fs.writeFile(path.join(fixture.allowed, 'real', 'in.txt'), 'inside\n');
    await fs.symlink(path.join(fixture.allowed, 'real'), path.join(fixture.allowed, 'inlink'));
    const result = await harness.call('read_text_file', {
      path: `${fixture.allowed}/inlink/in.txt`,
    });
    expect(dataOf<{ content: string; path: string }>(result)).toMatchObject({
      content: 'inside\n',
      path: path.join(fixture.allowed, 'real', 'in.txt'),
    });
  });
});

describe('FS-03 traversal and normalisation', () => {
  it('denies .. escapes, absolute and relative', async () => {
    const { allowed } = fixture;
    await expectDenied('read_text_file', { path: `${allowed}/../outside/canary.txt` });
    await expectDenied('read_text_file', { path: '../../etc/passwd' });
    await expectDenied('read_text_file', { path: '../outside/canary.txt' });
    await expectDenied('read_text_file', { path: `${allowed}//./sub/../../outside/canary.txt` });
    await expectDenied('write_file', { path: 'sub/../../outside/new.txt', content: 'x' });
  });

  it('expands ~ and denies it when the home directory is outside', async () => {
    await expectDenied('read_text_file', { path: '~/canary.txt' });
    await expectDenied('list_directory', { path: '~' });
  });

  it('allows ~ when the home directory is inside the allowed directory', async () => {
    await harness.close();
    harness = await startHarness({ directories: [fixture.allowed], homedir: fixture.allowed });
    const result = await harness.call('read_text_file', { path: '~/hello.txt' });
    expect(dataOf<{ content: string }>(result).content).toBe('hello\nworld\n');
  });

  it('resolves relative paths against the allowed directory, not the working directory', async () => {
    const result = await harness.call('read_text_file', { path: 'hello.txt' });
    expect(dataOf<{ path: string }>(result).path).toBe(path.join(fixture.allowed, 'hello.txt'));
  });

  it('never URL-decodes: %2e%2e is a literal name', async () => {
    const result = await harness.call('read_text_file', {
      path: `${fixture.allowed}/%2e%2e/outside/canary.txt`,
    });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/No such file/);
    await fs.mkdir(path.join(fixture.allowed, '%2e%2e'));
    await fs.writeFile(path.join(fixture.allowed, '%2e%2e', 'literal.txt'), 'literal\n');
    expect(
      dataOf<{ content: string }>(
        await harness.call('read_text_file', { path: '%2e%2e/literal.txt' }),
      ).content,
    ).toBe('literal\n');
  });

  it('treats a backslash path as a literal name on POSIX', async () => {
    const name = 'a\\..\\outside';
    const written = await harness.call('write_file', { path: name, content: 'literal' });
    expect(dataOf<{ path: string }>(written).path).toBe(path.join(fixture.allowed, name));
    expect(await fs.readFile(path.join(fixture.allowed, name), 'utf8')).toBe('literal');
  });
});

describe('FS-04 invalid paths and limits', () => {
  it('refuses NUL bytes, huge paths, long names and wrong types, and stays alive', async () => {
    const { allowed } = fixture;
    await expectDenied(
      'read_text_file',
      { path: `${allowed}/hello.txt\u0000.png` },
      /NUL|invalid/i,
    );
    await expectDenied(
      'read_text_file',
      { path: `${allowed}/${'a/'.repeat(2500)}x` },
      /invalid|longer/i,
    );
    await expectDenied(
      'write_file',
      { path: `${allowed}/${'n'.repeat(300)}`, content: 'x' },
      /255 bytes|too long/,
    );
    await expectDenied('read_text_file', { path: '' }, /invalid|too small|least/i);
    await expectDenied('read_text_file', { path: 123 }, /invalid/i);
    await expectDenied('read_text_file', { path: ['a'] }, /invalid/i);
    await expect(harness.client.ping()).resolves.toBeDefined();
    const ok = await harness.call('read_text_file', { path: `${allowed}/hello.txt` });
    expect(ok.isError).toBeFalsy();
  });
});

describe('FS-05 dangling symlink pointing out', () => {
  const target = (): string => path.join(fixture.outside, 'new.txt');

  beforeEach(async () => {
    await fs.symlink(target(), path.join(fixture.allowed, 'dangling'));
    await fs.writeFile(path.join(fixture.allowed, 'x'), 'x\n');
  });

  it('never creates the target outside, whatever the tool', async () => {
    const { allowed } = fixture;
    await expectDenied('write_file', { path: `${allowed}/dangling`, content: 'pwn' });
    await expectDenied('write_file', {
      path: `${allowed}/dangling`,
      content: 'pwn',
      mode: 'append',
    });
    await expectDenied('edit_file', {
      path: `${allowed}/dangling`,
      edits: [{ oldText: 'a', newText: 'b' }],
    });
    await expectDenied(
      'move_file',
      { source: `${allowed}/x`, destination: `${allowed}/dangling` },
      /exists/,
    );
    await expectDenied('copy_file', { source: `${allowed}/x`, destination: `${allowed}/dangling` });
    await expectDenied('create_directory', { path: `${allowed}/dangling/sub` }, /symbolic link/);
    expect(await exists(target())).toBe(false);
    expect(await fs.readFile(path.join(allowed, 'x'), 'utf8')).toBe('x\n');
  });

  it('writes through a dangling link whose target stays inside', async () => {
    await fs.symlink(
      path.join(fixture.allowed, 'later.txt'),
      path.join(fixture.allowed, 'inside-dangling'),
    );
    const result = await harness.call('write_file', {
      path: `${fixture.allowed}/inside-dangling`,
      content: 'made\n',
    });
    expect(dataOf<{ path: string; created: boolean }>(result)).toEqual(
      expect.objectContaining({ path: path.join(fixture.allowed, 'later.txt'), created: true }),
    );
    expect(await fs.readFile(path.join(fixture.allowed, 'later.txt'), 'utf8')).toBe('made\n');
  });
});

describe('FS-06 TOCTOU swap between a file and a link out', () => {
  it('never returns or changes the canary while a helper flips the path', async () => {
    const real = path.join(fixture.allowed, 'real.txt');
    await fs.writeFile(real, 'inside\n');
    const flipper = spawn(
      process.execPath,
      [
        '-e',
        `const fs = require('fs'); const [p, c] = process.argv.slice(1); const end = Date.now() + 20000;
         while (Date.now() < end) {
           try { fs.unlinkSync(p); } catch {}
           try { fs.symlinkSync(c, p); } catch {}
           try { fs.unlinkSync(p); } catch {}
           try { fs.writeFileSync(p, 'inside\\n'); } catch {}
         }`,
        real,
        path.join(fixture.outside, 'canary.txt'),
      ],
      { stdio: 'ignore' },
    );
    const outcomes = { read: 0, refused: 0 };
    try {
      const calls: Promise<unknown>[] = [];
      for (let index = 0; index < 1000; index++) {
        calls.push(
          harness.call('read_file', { path: real }).then((result) => {
            expect(JSON.stringify(result)).not.toContain('CANARY-SECRET');
            outcomes[result.isError === true ? 'refused' : 'read']++;
          }),
          harness.call('write_file', { path: real, content: `write ${index}\n` }).then((result) => {
            expect(JSON.stringify(result)).not.toContain('CANARY-SECRET');
          }),
        );
        if (calls.length >= 50) await Promise.all(calls.splice(0));
      }
      await Promise.all(calls);
    } finally {
      flipper.kill();
      await new Promise((resolve) => flipper.once('exit', resolve));
    }
    // Both outcomes happened, so the calls really raced the flips.
    expect(outcomes.read).toBeGreaterThan(0);
    expect(outcomes.refused).toBeGreaterThan(0);
  });
});

describe('FS-07 hard link to a file outside', () => {
  it('replaces the directory entry instead of writing through the shared inode', async () => {
    const link = path.join(fixture.allowed, 'hl');
    await fs.link(path.join(fixture.outside, 'canary.txt'), link);
    const written = await harness.call('write_file', { path: link, content: 'replaced\n' });
    expect(written.isError).toBeFalsy();
    expect(await fs.readFile(link, 'utf8')).toBe('replaced\n');
    await fs.unlink(link);
    await fs.link(path.join(fixture.outside, 'canary.txt'), link);
    const edited = await harness.call('edit_file', {
      path: link,
      edits: [{ oldText: 'CANARY', newText: 'EDITED' }],
    });
    expect(edited.isError).toBeFalsy();
    expect(await fs.readFile(link, 'utf8')).toBe('EDITED-SECRET\n');
  });

  it('refuses to append to a file with other hard links', async () => {
    const link = path.join(fixture.allowed, 'hl');
    await fs.link(path.join(fixture.outside, 'canary.txt'), link);
    await expectDenied('write_file', { path: link, content: 'more', mode: 'append' }, /hard links/);
  });
});

describe('FS-08 recursive operations through links', () => {
  beforeEach(async () => {
    await fs.mkdir(path.join(fixture.allowed, 'sub'));
    await fs.writeFile(path.join(fixture.allowed, 'sub', 'a.txt'), 'a\n');
    await fs.symlink(fixture.allowed, path.join(fixture.allowed, 'loop'));
    await fs.symlink('/', path.join(fixture.allowed, 'esc'));
    await fs.symlink(fixture.outside, path.join(fixture.allowed, 'sub', 'out'));
  });

  it('directory_tree lists links as links and never descends them', async () => {
    const result = await harness.call('directory_tree', { path: fixture.allowed });
    const { tree } = dataOf<{ tree: { name: string; type: string; children?: unknown[] }[] }>(
      result,
    );
    expect(tree.find((node) => node.name === 'loop')).toEqual({
      name: 'loop',
      type: 'symlink',
      target: fixture.allowed,
    });
    expect(tree.find((node) => node.name === 'esc')).toEqual({
      name: 'esc',
      type: 'symlink',
      target: '/',
    });
    expect(JSON.stringify(result)).not.toContain('canary.txt');
  });

  it('search_files and search_file_contents stay inside and terminate', async () => {
    const names = dataOf<{ matches: { path: string }[] }>(
      await harness.call('search_files', { path: fixture.allowed, pattern: '**' }),
    );
    expect(names.matches.map((match) => path.relative(fixture.allowed, match.path)).sort()).toEqual(
      ['esc', 'hello.txt', 'loop', 'sub', 'sub/a.txt', 'sub/out'],
    );
    const contents = await harness.call('search_file_contents', {
      path: fixture.allowed,
      query: 'CANARY',
    });
    expect(dataOf<{ matches: unknown[] }>(contents).matches).toEqual([]);
  });

  it('list_directory_with_sizes reports links without following them', async () => {
    const result = await harness.call('list_directory_with_sizes', { path: fixture.allowed });
    const entries = dataOf<{ entries: { name: string; type: string }[] }>(result).entries;
    expect(entries.filter((entry) => entry.type === 'symlink').map((entry) => entry.name)).toEqual([
      'esc',
      'loop',
    ]);
  });
});

describe('FS-10 client roots cannot widen the sandbox', () => {
  it('clips a root of / to the operator directories', async () => {
    await harness.close();
    harness = await startHarness({ directories: [fixture.allowed], roots: ['file:///'] });
    await expectDenied('read_text_file', { path: path.join(fixture.outside, 'canary.txt') });
    const listed = dataOf<{ directories: string[] }>(
      await harness.call('list_allowed_directories'),
    );
    expect(listed.directories).toEqual([fixture.allowed]);
  });

  it('ignores remote-host and non-file roots, and logs why', async () => {
    await harness.close();
    const logged: { message: string; fields: unknown }[] = [];
    harness = await startHarness({
      directories: [fixture.allowed],
      roots: [
        'file://otherhost/etc',
        'https://x/',
        pathToFileURL(path.join(fixture.base, 'missing')).href,
      ],
      logger: { ...nullLogger, info: (message, fields) => logged.push({ message, fields }) },
    });
    await expectDenied('read_text_file', { path: '/etc/hostname' });
    expect(
      dataOf<{ directories: string[] }>(await harness.call('list_allowed_directories')).directories,
    ).toEqual([fixture.allowed]);
    expect(logged).toContainEqual({
      message: 'client roots do not narrow the allowed directories',
      fields: {
        ignored: [
          'file://otherhost/etc (names a remote host)',
          'https://x/ (not a file: URI)',
          `${pathToFileURL(path.join(fixture.base, 'missing')).href} (does not exist)`,
        ],
      },
    });
  });

  it('denies everything when the client roots lie wholly outside the operator directories', async () => {
    await harness.close();
    harness = await startHarness({
      directories: [fixture.allowed],
      roots: [pathToFileURL(fixture.outside).href],
    });
    await expectDenied('read_text_file', { path: path.join(fixture.outside, 'canary.txt') });
    await expectDenied('read_text_file', { path: path.join(fixture.allowed, 'hello.txt') });
  });

  it('narrows to a client root inside, and follows roots/list_changed', async () => {
    await fs.mkdir(path.join(fixture.allowed, 'project'));
    await fs.writeFile(path.join(fixture.allowed, 'project', 'in.txt'), 'in\n');
    await harness.close();
    harness = await startHarness({
      directories: [fixture.allowed],
      roots: [pathToFileURL(path.join(fixture.allowed, 'project')).href],
    });
    await expectDenied('read_text_file', { path: path.join(fixture.allowed, 'hello.txt') });
    expect(
      dataOf<{ content: string }>(await harness.call('read_text_file', { path: 'in.txt' })).content,
    ).toBe('in\n');
    expect(
      dataOf<{ narrowedByClientRoots: boolean }>(await harness.call('list_allowed_directories'))
        .narrowedByClientRoots,
    ).toBe(true);
    await harness.setRoots([pathToFileURL(fixture.allowed).href, 'file:///']);
    expect(
      dataOf<{ content: string }>(
        await harness.call('read_text_file', { path: path.join(fixture.allowed, 'hello.txt') }),
      ).content,
    ).toBe('hello\nworld\n');
    await expectDenied('read_text_file', { path: path.join(fixture.outside, 'canary.txt') });
  });

  it('does not ask for roots when the operator turned them off', async () => {
    await harness.close();
    harness = await startHarness({
      directories: [fixture.allowed],
      roots: [pathToFileURL(fixture.outside).href],
      useClientRoots: false,
    });
    expect(
      dataOf<{ content: string }>(await harness.call('read_text_file', { path: 'hello.txt' }))
        .content,
    ).toBe('hello\nworld\n');
  });
});

describe('FS-11 glob and brace patterns cannot stall the server', () => {
  beforeEach(async () => {
    await fs.mkdir(path.join(fixture.allowed, 'a', 'b', 'c'), { recursive: true });
    await fs.writeFile(path.join(fixture.allowed, 'a', 'b', 'c', 'x'), 'x');
  });

  it('refuses over-long patterns and runs brace ranges without expanding them', async () => {
    await expectDenied(
      'search_files',
      { path: fixture.allowed, pattern: `{${'a,'.repeat(20000)}a}` },
      /invalid|too big|1024/i,
    );
    const range = await harness.call('search_files', {
      path: fixture.allowed,
      pattern: '{1..100000000}',
    });
    expect(dataOf<{ matches: unknown[] }>(range).matches).toEqual([]);
    const deep = await harness.call('search_files', {
      path: fixture.allowed,
      pattern: '**/x',
      excludePatterns: ['**/**/**/**/**/**/**/x'],
    });
    expect(deep.isError).toBeFalsy();
    const stars = await harness.call('directory_tree', {
      path: fixture.allowed,
      excludePatterns: ['**/**/**/**/**/**/**/x'],
    });
    expect(stars.isError).toBeFalsy();
    await expect(harness.client.ping()).resolves.toBeDefined();
  });

  it('refuses regular expressions that could backtrack without bound', async () => {
    await expectDenied(
      'search_file_contents',
      { path: fixture.allowed, query: '(a+)+\\1', regex: true },
      /backreferences/,
    );
    await expectDenied(
      'search_file_contents',
      { path: fixture.allowed, query: '(?=(a+)+)b', regex: true },
      /lookahead/,
    );
    await fs.writeFile(path.join(fixture.allowed, 'many-a.txt'), `${'a'.repeat(50_000)}!\n`);
    const result = await harness.call('search_file_contents', {
      path: fixture.allowed,
      query: '(a|a)*b',
      regex: true,
      caseSensitive: false,
    });
    expect(dataOf<{ matches: unknown[] }>(result).matches).toEqual([]);
  });
});

describe('Windows path forms on POSIX', () => {
  it('refuses drive, UNC, device and alternate-data-stream forms', async () => {
    await expectDenied('read_text_file', { path: 'C:\\Windows\\win.ini' }, /drive/);
    await expectDenied('read_text_file', { path: 'C:/Windows/win.ini' }, /drive/);
    await expectDenied('read_text_file', { path: '\\\\?\\C:\\x' }, /UNC|device/);
    await expectDenied('read_text_file', { path: '\\\\.\\pipe\\x' }, /UNC|device/);
    await expectDenied('read_text_file', { path: '\\\\server\\share\\x' }, /UNC|device/);
    await expectDenied('write_file', { path: 'hello.txt:hidden', content: 'x' }, /stream/);
    await expectDenied('read_text_file', { path: `${fixture.allowed}/hello.txt::$DATA` }, /stream/);
    expect(await fs.readdir(fixture.allowed)).toEqual(['hello.txt']);
  });
});

describe('Unicode twins', () => {
  it('denies a sibling whose name differs from the allowed directory only by normalisation', async () => {
    const composed = path.join(fixture.base, 'caf\u00e9');
    const decomposed = path.join(fixture.base, 'cafe\u0301');
    await fs.mkdir(composed);
    await fs.mkdir(decomposed);
    await fs.writeFile(path.join(decomposed, 'secret.txt'), 'CANARY-SECRET\n');
    await harness.close();
    harness = await startHarness({ directories: [composed] });
    await expectDenied('read_text_file', { path: path.join(decomposed, 'secret.txt') });
  });

  it('refuses to create a name that is a normalisation twin of an existing entry', async () => {
    await fs.writeFile(path.join(fixture.allowed, 'caf\u00e9.txt'), 'composed\n');
    await expectDenied('write_file', { path: 'cafe\u0301.txt', content: 'twin' }, /normalisation/);
    await expectDenied('create_directory', { path: 'cafe\u0301.txt' }, /normalisation/);
  });
});

describe('special files', () => {
  it('refuses a FIFO before opening it, so nothing blocks', async () => {
    const fifo = path.join(fixture.allowed, 'pipe');
    execFileSync('mkfifo', [fifo]);
    await expectDenied('read_text_file', { path: fifo }, /fifo/);
    await expectDenied('read_media_file', { path: fifo }, /fifo/);
    await expectDenied('write_file', { path: fifo, content: 'x' }, /fifo/);
    await expectDenied('write_file', { path: fifo, content: 'x', mode: 'append' }, /fifo/);
    const search = await harness.call('search_file_contents', {
      path: fixture.allowed,
      query: 'hello',
    });
    expect(dataOf<{ matches: unknown[] }>(search).matches).toHaveLength(1);
    const tree = dataOf<{ tree: { name: string; type: string }[] }>(
      await harness.call('directory_tree', { path: fixture.allowed }),
    );
    expect(tree.tree.find((node) => node.name === 'pipe')?.type).toBe('other');
  });

  it('refuses a socket', async () => {
    const socketPath = path.join(fixture.allowed, 'sock');
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(socketPath, resolve));
    try {
      await expectDenied('read_text_file', { path: socketPath }, /socket/);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('denies a device reached through a symlink', async () => {
    await fs.symlink('/dev/zero', path.join(fixture.allowed, 'zero'));
    await expectDenied('read_text_file', { path: path.join(fixture.allowed, 'zero') });
  });
});

describe('X-01 security switches passed as arguments', () => {
  it('rejects unknown keys instead of honouring them', async () => {
    await expectDenied(
      'read_text_file',
      { path: path.join(fixture.outside, 'canary.txt'), allowedDirectories: ['/'] },
      /Invalid arguments|outside/,
    );
    await expectDenied(
      'write_file',
      { path: 'x.txt', content: 'x', readOnly: false, unsafe: true },
      /Invalid arguments/,
    );
  });
});

describe('X-02 names cannot spoof text listings', () => {
  it('escapes control and bidi characters in text output and keeps them as data', async () => {
    const name = 'a\n[DIR] etc\u202Etxt.exe';
    await fs.writeFile(path.join(fixture.allowed, name), 'x');
    const result = await harness.call('list_directory', { path: fixture.allowed });
    expect(textOf(result).split('\n')).not.toContain('[DIR] etc');
    expect(textOf(result)).toContain('\\u{a}[DIR] etc\\u{202e}txt.exe');
    expect(
      dataOf<{ entries: { name: string }[] }>(result).entries.map((entry) => entry.name),
    ).toContain(name);
  });
});
