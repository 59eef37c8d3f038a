import { readFile } from 'node:fs/promises';
import {
  expectFlagsDocumented,
  expectJsonBlocksParse,
  expectMentions,
  expectServerBoundsDocumented,
  expectServerTablesMatchHelp,
  expectToolListWithinBudget,
} from '@plugboard/testing/contract';
import { toolsetsOf } from '@plugboard/kit/tools';
import { describe, expect, it } from 'vitest';
import { spec } from '../src/spec.js';
import { tools } from '../src/tools/index.js';

const README = new URL('../README.md', import.meta.url);

describe('README', () => {
  it('has only JSON blocks that parse', async () => {
    expectJsonBlocksParse(await readFile(README, 'utf8'), 10);
  });

  it('documents every tool with its toolset and default, and every flag', async () => {
    const text = await readFile(README, 'utf8');
    for (const tool of tools) {
      const own = toolsetsOf(tool);
      const toolset = own.find((name) => name !== 'default');
      const mark = own.includes('default') ? 'default' : '';
      const row = new RegExp(
        `^\\|\\s*${toolset}\\s*\\|\\s*\`${tool.name}\`\\s*\\|\\s*${mark}\\s*\\|`,
        'm',
      );
      expect(text, tool.name).toMatch(row);
    }
    expect(tools.every((tool) => text.includes(`\`${tool.name}\``))).toBe(true);
    expectFlagsDocumented(text, spec.flags ?? [], { withEnv: false });
  });

  it('shows the host configurations users copy', async () => {
    const text = await readFile(README, 'utf8');
    expectMentions(text, [
      '"mcpServers"',
      '"servers"',
      '"inputs"',
      '"context_servers"',
      'claude mcp add',
      '"cmd"',
      '"docker"',
      '"GITHUB_PERSONAL_ACCESS_TOKEN"',
      '"type": "http"',
    ]);
  });
});

describe('the README tables', () => {
  it('document exactly the flags and variables of --help, with the common table of the top README', () => {
    expectServerTablesMatchHelp(new URL('..', import.meta.url), 'GITHUB');
  });

  it('name the flag of every limit --help offers in the bounds section', () => {
    expectServerBoundsDocumented(new URL('..', import.meta.url), 'GITHUB');
  });
});

it('keeps the default tools/list within the size the README records', () => {
  expectToolListWithinBudget(new URL('../README.md', import.meta.url), tools);
});
