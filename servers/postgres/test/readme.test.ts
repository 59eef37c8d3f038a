import { readFileSync } from 'node:fs';
import {
  expectFlagsDocumented,
  expectJsonBlocksParse,
  expectMentions,
  expectServerBoundsDocumented,
  expectServerTablesMatchHelp,
  expectToolListWithinBudget,
} from '@plugboard/testing/contract';
import { describe, it } from 'vitest';
import { COMMAND } from '../src/command.js';
import { tools } from '../src/tools/index.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('the README', () => {
  it('has only JSON blocks that parse', () => {
    expectJsonBlocksParse(readme, 11);
  });

  it('documents every tool and every flag with its variable', () => {
    expectMentions(
      readme,
      tools.map((tool) => `| \`${tool.name}\``),
    );
    expectFlagsDocumented(readme, COMMAND.flags ?? []);
  });
});

describe('the README tables', () => {
  it('document exactly the flags and variables of --help, with the common table of the top README', () => {
    expectServerTablesMatchHelp(new URL('..', import.meta.url), 'POSTGRES');
  });

  it('name the flag of every limit --help offers in the bounds section', () => {
    expectServerBoundsDocumented(new URL('..', import.meta.url), 'POSTGRES');
  });
});

it('keeps the default tools/list within the size the README records', () => {
  expectToolListWithinBudget(new URL('../README.md', import.meta.url), tools);
});
