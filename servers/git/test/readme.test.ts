import { readmeSuite } from '@plugboard/testing/contract';
import { spec } from '../src/spec.js';
import { tools } from '../src/tools/index.js';

readmeSuite({
  packageDir: new URL('..', import.meta.url),
  prefix: 'GIT',
  tools,
  flags: spec.flags ?? [],
  flagsWithEnv: false,
  toolMention: (name) => `\`${name}\``,
  jsonBlocks: 9,
});
