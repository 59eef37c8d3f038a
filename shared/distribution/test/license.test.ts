/**
 * @module
 * Every published tarball carries the license: each server's and each published library's
 * (`@plugboard/protocol`, `@plugboard/kit`) holds `package/LICENSE`, the repository's own text,
 * which the build copies in from the one LICENSE at the root.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, inject, it } from 'vitest';
import { repoRoot } from './support/workspace.js';

const run = promisify(execFile);
const installs = inject('installs');
const license = readFileSync(join(repoRoot, 'LICENSE'), 'utf8');

/** The LICENSE inside `tarball`, as npm would unpack it. */
async function licenseIn(tarball: string): Promise<string> {
  const { stdout } = await run('tar', ['-xzOf', tarball, 'package/LICENSE']);
  return stdout;
}

describe('the license', () => {
  it('is the MIT license every package.json declares', () => {
    expect(license).toMatch(/^MIT License/);
  });

  for (const installed of installs.installed) {
    it(`ships in the tarball of ${installed.name}`, async () => {
      expect(await licenseIn(installed.tarball)).toBe(license);
    });
  }

  for (const library of ['packages/protocol', 'packages/kit']) {
    it(`ships in the tarball of ${library}`, async () => {
      const destination = await mkdtemp(join(tmpdir(), 'license-pack-'));
      try {
        await run('pnpm', ['pack', '--pack-destination', destination], {
          cwd: join(repoRoot, library),
        });
        const [tarball] = (await readdir(destination)).filter((file) => file.endsWith('.tgz'));
        expect(tarball).toBeDefined();
        expect(await licenseIn(join(destination, tarball!))).toBe(license);
      } finally {
        await rm(destination, { recursive: true, force: true });
      }
    });
  }
});
