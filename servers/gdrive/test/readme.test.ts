import { readFile } from 'node:fs/promises';
import {
  expectFlagsDocumented,
  expectJsonBlocksParse,
  expectMentions,
  expectServerBoundsDocumented,
  expectServerTablesMatchHelp,
  expectToolListWithinBudget,
} from '@plugboard/testing/contract';
import { describe, expect, it } from 'vitest';
import { authSpec, spec } from '../src/spec.js';
import { tools } from '../src/tools/index.js';

const README = new URL('../README.md', import.meta.url);

describe('README', () => {
  it('has only JSON blocks that parse', async () => {
    expectJsonBlocksParse(await readFile(README, 'utf8'), 10);
  });

  it('documents every tool, every flag of the server and of auth, and every variable', async () => {
    const text = await readFile(README, 'utf8');
    for (const tool of tools)
      expect(text, tool.name).toMatch(new RegExp(`^\\| \`${tool.name}\` +\\|`, 'm'));
    expectFlagsDocumented(text, [...(spec.flags ?? []), ...(authSpec.flags ?? [])]);
    expect(text).toContain('GOOGLE_APPLICATION_CREDENTIALS');
  });

  it('shows the host configurations users copy', async () => {
    const text = await readFile(README, 'utf8');
    expectMentions(text, [
      '"mcpServers"',
      '"servers"',
      '"context_servers"',
      'claude mcp add',
      '.mcp.json',
      '.vscode/mcp.json',
      '"cmd"',
      '"docker"',
      '"-i"',
      '"--rm"',
      '"type": "http"',
      'GDRIVE_CREDENTIALS_PATH',
    ]);
  });
});

describe('the README tables', () => {
  it('document exactly the flags and variables of --help, with the common table of the top README', () => {
    expectServerTablesMatchHelp(new URL('..', import.meta.url), 'GDRIVE');
  });

  it('name the flag of every limit --help offers in the bounds section', () => {
    expectServerBoundsDocumented(new URL('..', import.meta.url), 'GDRIVE');
  });
});

it('keeps the default tools/list within the size the README records', () => {
  expectToolListWithinBudget(new URL('../README.md', import.meta.url), tools);
});
