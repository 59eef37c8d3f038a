import { readmeSuite } from '@plugboard/testing/contract';
import { COMMAND } from '../src/command.js';
import { tools } from '../src/tools/index.js';

readmeSuite({
  packageDir: new URL('..', import.meta.url),
  prefix: 'POSTGRES',
  tools,
  flags: COMMAND.flags ?? [],
  jsonBlocks: 11,
});
