import { readFileSync } from 'node:fs';
import { toolsetsOf } from '@plugboard/kit/tools';
import { readmeSuite } from '@plugboard/testing/contract';
import { expect, it } from 'vitest';
import { spec } from '../src/spec.js';
import { tools } from '../src/tools/index.js';

readmeSuite({
  packageDir: new URL('..', import.meta.url),
  prefix: 'GITHUB',
  tools,
  flags: spec.flags ?? [],
  flagsWithEnv: false,
  toolMention: (name) => `\`${name}\``,
  jsonBlocks: 10,
  mentions: [
    '"mcpServers"',
    '"servers"',
    '"inputs"',
    '"context_servers"',
    'claude mcp add',
    '"cmd"',
    '"docker"',
    '"GITHUB_PERSONAL_ACCESS_TOKEN"',
    '"type": "http"',
  ],
});

it('lists every tool in the README under its toolset, marked when it is on by default', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  for (const tool of tools) {
    const own = toolsetsOf(tool);
    const toolset = own.find((name) => name !== 'default');
    const mark = own.includes('default') ? 'default' : '';
    const row = new RegExp(
      `^\\|\\s*${toolset}\\s*\\|\\s*\`${tool.name}\`\\s*\\|\\s*${mark}\\s*\\|`,
      'm',
    );
    expect(readme, tool.name).toMatch(row);
  }
});
