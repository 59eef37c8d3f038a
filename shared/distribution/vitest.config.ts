/**
 * @module
 * The repository's Vitest settings plus a global setup that packs and installs every built server
 * once for all distribution suites (packing and installing take most of a minute).
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 300_000,
    pool: 'forks',
  },
});
