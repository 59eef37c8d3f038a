/**
 * @module
 * The Vitest preset: tests sit beside the code as `*.test.ts`, process-level tests in
 * `test/*.e2e.test.ts`. Nothing is global; every test imports from 'vitest'.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

const { version = '0.0.0' } = JSON.parse(readFileSync(join(process.cwd(), 'package.json'), 'utf8'));

export default defineConfig({
  // What the build writes in for the package's version (see build-executable.js).
  define: { PLUGBOARD_PACKAGE_VERSION: JSON.stringify(version) },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
