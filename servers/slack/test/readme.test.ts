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
import { resources } from '../src/resources.js';
import { spec } from '../src/spec.js';
import { tools } from '../src/tools/index.js';

const README = new URL('../README.md', import.meta.url);

describe('README', () => {
  it('has only JSON blocks that parse', async () => {
    expectJsonBlocksParse(await readFile(README, 'utf8'), 10);
  });

  it('documents every tool, resource, flag and environment variable', async () => {
    const text = await readFile(README, 'utf8');
    expectMentions(text, [
      ...tools.map((tool) => `\`${tool.name}\``),
      ...resources.map((resource) => `\`${resource.descriptor.uri}\``),
      ...['SLACK_BOT_TOKEN', 'SLACK_USER_TOKEN', 'SLACK_TEAM_ID'].map((name) => `\`${name}\``),
    ]);
    expectFlagsDocumented(text, spec.flags ?? []);
  });

  it('shows every host configuration the ecosystem uses', async () => {
    const text = await readFile(README, 'utf8');
    expectMentions(text, [
      '"mcpServers"',
      '"servers"',
      '"inputs"',
      '"context_servers"',
      '"serverUrl"',
      'claude mcp add',
      '"cmd"',
      'docker run -i --rm -e SLACK_BOT_TOKEN',
      '--transport http',
    ]);
  });
});

describe('the README tables', () => {
  it('document exactly the flags and variables of --help, with the common table of the top README', () => {
    expectServerTablesMatchHelp(new URL('..', import.meta.url), 'SLACK');
  });

  it('name the flag of every limit --help offers in the bounds section', () => {
    expectServerBoundsDocumented(new URL('..', import.meta.url), 'SLACK');
  });
});

it('keeps the default tools/list within the size the README records', () => {
  expectToolListWithinBudget(new URL('../README.md', import.meta.url), tools);
});
