import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import {
  expectFlagsDocumented,
  expectJsonBlocksParse,
  expectMentions,
  expectTablesMatchHelp,
  helpText,
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
    expectTablesMatchHelp({
      help: helpText(new URL('../dist/main.js', import.meta.url)),
      readme: readFileSync(new URL('../README.md', import.meta.url), 'utf8'),
      commonReadme: readFileSync(new URL('../../../README.md', import.meta.url), 'utf8'),
      prefix: 'GIT',
    });
  });
});
