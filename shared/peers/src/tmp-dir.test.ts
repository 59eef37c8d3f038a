import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tmpDir } from './tmp-dir.js';

describe('tmpDir', () => {
  it('creates a fresh empty directory and removes it with its contents on cleanup', async () => {
    const dir = await tmpDir('tmp-dir-test-');
    expect(dir.path).toMatch(/tmp-dir-test-/);
    await writeFile(join(dir.path, 'file.txt'), 'x');
    await dir.cleanup();
    expect(existsSync(dir.path)).toBe(false);
    await dir.cleanup();
  });

  it('is removed at the end of an await using block', async () => {
    let path = '';
    {
      await using dir = await tmpDir();
      path = dir.path;
      expect(existsSync(path)).toBe(true);
    }
    expect(existsSync(path)).toBe(false);
  });

  it('gives two calls two different directories', async () => {
    const [a, b] = await Promise.all([tmpDir(), tmpDir()]);
    expect(a.path).not.toBe(b.path);
    await Promise.all([a.cleanup(), b.cleanup()]);
  });
});
