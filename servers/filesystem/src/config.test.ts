import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseCommandLine, UsageError } from '@plugboard/kit/cli';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';
import { spec } from './spec.js';

let base: string;

beforeEach(async () => {
  base = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'config-')));
  await fs.mkdir(path.join(base, 'a'));
  await fs.mkdir(path.join(base, 'b'));
});

afterEach(async () => {
  await fs.rm(base, { recursive: true, force: true });
});

async function configFor(argv: string[], env: Record<string, string> = {}) {
  const parsed = parseCommandLine(spec, argv, env);
  if (parsed.kind !== 'run') throw new Error('expected a run');
  return loadConfig({ flags: parsed.flags, positionals: parsed.positionals, env }, base);
}

describe('loadConfig', () => {
  it('takes allowed directories from the positional arguments, real and without duplicates', async () => {
    await fs.symlink(path.join(base, 'a'), path.join(base, 'alias'));
    const config = await configFor([path.join(base, 'alias'), path.join(base, 'a'), '~/b']);
    expect(config.directories).toEqual([
      { given: path.join(base, 'alias'), real: path.join(base, 'a') },
      { given: path.join(base, 'b'), real: path.join(base, 'b') },
    ]);
    expect(config).toMatchObject({
      allowDelete: false,
      trashDir: undefined,
      useClientRoots: true,
      limits: { outputBytes: 65536, mediaBytes: 4 * 1024 * 1024, extractBytes: 1024 ** 3 },
    });
  });

  it('falls back to FILESYSTEM_ALLOWED_DIRECTORIES, and positionals win over it', async () => {
    const env = {
      FILESYSTEM_ALLOWED_DIRECTORIES: [path.join(base, 'a'), path.join(base, 'b')].join(
        path.delimiter,
      ),
    };
    expect((await configFor([], env)).directories.map((directory) => directory.real)).toEqual([
      path.join(base, 'a'),
      path.join(base, 'b'),
    ]);
    expect(
      (await configFor([path.join(base, 'b')], env)).directories.map((directory) => directory.real),
    ).toEqual([path.join(base, 'b')]);
  });

  it('reads the filesystem flags and their FILESYSTEM_ env twins', async () => {
    const flags = await configFor([
      '--allow-delete',
      '--trash-dir',
      '.trash',
      '--max-output-bytes',
      '2048',
      '--max-media-bytes',
      '10',
      '--max-extract-bytes',
      '5000',
      '--ignore-client-roots',
      base,
    ]);
    expect(flags).toMatchObject({
      allowDelete: true,
      trashDir: '.trash',
      useClientRoots: false,
      limits: { outputBytes: 2048, mediaBytes: 10, extractBytes: 5000 },
    });
    const env = await configFor([base], {
      FILESYSTEM_ALLOW_DELETE: '1',
      FILESYSTEM_TRASH_DIR: '.bin',
      FILESYSTEM_MAX_OUTPUT_BYTES: '4096',
      FILESYSTEM_MAX_EXTRACT_BYTES: '8192',
    });
    expect(env).toMatchObject({
      allowDelete: true,
      trashDir: '.bin',
      limits: { outputBytes: 4096, extractBytes: 8192 },
    });
  });

  it('refuses bad configuration with a usage error that says how to fix it', async () => {
    await expect(configFor([])).rejects.toThrow(UsageError);
    await expect(configFor([])).rejects.toThrow(/at least one allowed directory/);
    await expect(configFor([path.join(base, 'missing')])).rejects.toThrow(/does not exist/);
    await expect(configFor(['--trash-dir', '../out', base])).rejects.toThrow(/plain folder name/);
    await expect(configFor(['--max-output-bytes', '10', base])).rejects.toThrow(/at least 1024/);
    await expect(configFor(['C:\\x'])).rejects.toThrow(/drive/);
  });
});
