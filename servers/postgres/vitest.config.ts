import base from '@plugboard/config/vitest';
import { defineConfig, mergeConfig } from 'vitest/config';

export default mergeConfig(
  base,
  defineConfig({
    test: {
      globalSetup: ['./test/global-setup.ts'],
      // Each file gets its own database; a few files at a time keep a 2-core machine responsive.
      maxWorkers: 2,
    },
  }),
);
