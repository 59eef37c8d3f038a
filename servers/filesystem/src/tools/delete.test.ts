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
let harness: Harness | undefined;
const at = (...names: string[]): string => path.join(fixture.allowed, ...names);

beforeEach(async () => {
  fixture = await createFixture();
  await fs.mkdir(at('dir', 'inner'), { recursive: true });
  await fs.writeFile(at('dir', 'inner', 'f.txt'), 'f');
  await fs.symlink(fixture.outside, at('out'));
});

afterEach(async () => {
  await harness?.close();
  harness = undefined;
  expect(await fs.readFile(path.join(fixture.outside, 'canary.txt'), 'utf8')).toBe(
    'CANARY-SECRET\n',
  );
  await fixture.cleanup();
});

describe('delete tools', () => {
  it('do not exist without --allow-delete', async () => {
    harness = await startHarness({ directories: [fixture.allowed] });
    const { tools } = await harness.client.listTools();
    expect(tools.map((tool) => tool.name)).not.toContain('delete_file');
    expect(tools.map((tool) => tool.name)).not.toContain('delete_directory');
    // A call by name is refused with the flag that turns the tool on, and deletes nothing.
    await expect(
      harness.client.callTool({ name: 'delete_file', arguments: { path: 'hello.txt' } }),
    ).rejects.toMatchObject({
      code: -32602,
      message: expect.stringMatching(
        /delete_file is turned off on this server; the operator turns it on with --allow-delete/,
      ),
    });
    await expect(fs.readFile(at('hello.txt'), 'utf8')).resolves.toBeTypeOf('string');
  });

  it('delete files and links (never the link target) when allowed', async () => {
    harness = await startHarness({ directories: [fixture.allowed], allowDelete: true });
    expect(dataOf(await harness.call('delete_file', { path: 'hello.txt' }))).toEqual({
      path: at('hello.txt'),
      type: 'file',
    });
    expect(dataOf(await harness.call('delete_file', { path: 'out' }))).toMatchObject({
      type: 'symlink',
    });
    expect(await fs.readdir(fixture.outside)).toEqual(['canary.txt']);
    expect(textOf(await harness.call('delete_file', { path: 'dir' }))).toMatch(/delete_directory/);
  });

  it('delete a directory only when empty, unless recursive', async () => {
    harness = await startHarness({ directories: [fixture.allowed], allowDelete: true });
    expect(textOf(await harness.call('delete_directory', { path: 'dir' }))).toMatch(
      /not empty; pass recursive: true/,
    );
    expect(
      dataOf(await harness.call('delete_directory', { path: 'dir', recursive: true })),
    ).toMatchObject({ type: 'directory' });
    expect(await fs.readdir(fixture.allowed)).toEqual(['hello.txt', 'out']);
    expect(
      textOf(await harness.call('delete_directory', { path: fixture.allowed, recursive: true })),
    ).toMatch(/allowed directory itself/);
    expect(textOf(await harness.call('delete_directory', { path: 'out' }))).toMatch(
      /symlink, not a directory/,
    );
  });

  it('move entries into the trash folder, keeping their relative path', async () => {
    harness = await startHarness({
      directories: [fixture.allowed],
      allowDelete: true,
      trashDir: '.trash',
    });
    const trashed = dataOf<{ trashedTo: string }>(
      await harness.call('delete_file', { path: 'dir/inner/f.txt' }),
    );
    expect(trashed.trashedTo.startsWith(at('.trash') + path.sep)).toBe(true);
    expect(trashed.trashedTo.endsWith(path.join('dir', 'inner', 'f.txt'))).toBe(true);
    expect(await fs.readFile(trashed.trashedTo, 'utf8')).toBe('f');
    const emptied = dataOf<{ trashedTo?: string }>(
      await harness.call('delete_directory', { path: '.trash', recursive: true }),
    );
    expect(emptied.trashedTo).toBeUndefined();
    expect(await fs.readdir(fixture.allowed)).toEqual(['dir', 'hello.txt', 'out']);
  });

  it('refuse to use a trash folder that is a symlink out of the sandbox', async () => {
    harness = await startHarness({
      directories: [fixture.allowed],
      allowDelete: true,
      trashDir: '.trash',
    });
    await fs.symlink(fixture.outside, at('.trash'));
    expect(textOf(await harness.call('delete_file', { path: 'hello.txt' }))).toMatch(
      /trash folder .* is a symlink/,
    );
    expect(await fs.readFile(at('hello.txt'), 'utf8')).toBe('hello\nworld\n');
  });

  it('are hidden by --read-only, with every other write tool', async () => {
    harness = await startHarness({
      directories: [fixture.allowed],
      allowDelete: true,
      readOnly: true,
    });
    const names = (await harness.client.listTools()).tools.map((tool) => tool.name);
    for (const name of [
      'write_file',
      'edit_file',
      'create_directory',
      'move_file',
      'copy_file',
      'delete_file',
      'delete_directory',
    ])
      expect(names).not.toContain(name);
    expect(names).toContain('read_text_file');
    expect(names).toContain('search_file_contents');
  });
});
