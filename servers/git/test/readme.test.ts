import { readFile } from 'node:fs/promises';
import {
  expectFlagsDocumented,
  expectJsonBlocksParse,
  expectMentions,
  expectServerBoundsDocumented,
  expectServerTablesMatchHelp,
  expectToolListWithinBudget,
} from '@plugboard/testing/contract';
import { describe, it } from 'vitest';
import { spec } from '../src/spec.js';
import { tools } from '../src/tools/index.js';

const README = new URL('../README.md', import.meta.url);

describe('README', () => {
  it('has only JSON blocks that parse', async () => {
    expectJsonBlocksParse(await readFile(README, 'utf8'), 9);
  });

  it('documents every tool and every flag', async () => {
    const text = await readFile(README, 'utf8');
    expectMentions(
      text,
      tools.map((tool) => `\`${tool.name}\``),
    );
    expectFlagsDocumented(text, spec.flags ?? [], { withEnv: false });
  });
});

describe('the README tables', () => {
  it('document exactly the flags and variables of --help, with the common table of the top README', () => {
    expectServerTablesMatchHelp(new URL('..', import.meta.url), 'GIT');
  });

  it('name the flag of every limit --help offers in the bounds section', () => {
    expectServerBoundsDocumented(new URL('..', import.meta.url), 'GIT');
  });
});

it('keeps the default tools/list within the size the README records', () => {
  expectToolListWithinBudget(new URL('../README.md', import.meta.url), tools);
});
