/**
 * @module
 * The Vitest preset: tests sit beside the code as `*.test.ts`, process-level tests in
 * `test/*.e2e.test.ts`. Nothing is global; every test imports from 'vitest'.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
