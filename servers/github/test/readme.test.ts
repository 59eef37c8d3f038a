import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { spec } from '../src/spec.js';
import { tools } from '../src/tools/index.js';
import { DEFAULT_TOOLS, TOOLSETS } from '../src/toolsets.js';

const README = new URL('../README.md', import.meta.url);

describe('README', () => {
  it('has only JSON blocks that parse', async () => {
    const text = await readFile(README, 'utf8');
    const blocks = [...text.matchAll(/```json\n([\s\S]*?)```/g)].map((match) => match[1]!);
    expect(blocks.length).toBeGreaterThanOrEqual(10);
    for (const block of blocks) expect(() => JSON.parse(block) as unknown, block).not.toThrow();
  });

  it('documents every tool with its toolset and default, and every flag', async () => {
    const text = await readFile(README, 'utf8');
    for (const [toolset, names] of Object.entries(TOOLSETS)) {
      for (const name of names) {
        const mark = DEFAULT_TOOLS.includes(name) ? 'default' : '';
        const row = new RegExp(
          `^\\|\\s*${toolset}\\s*\\|\\s*\`${name}\`\\s*\\|\\s*${mark}\\s*\\|`,
          'm',
        );
        expect(text, name).toMatch(row);
      }
    }
    expect(tools.every((tool) => text.includes(`\`${tool.name}\``))).toBe(true);
    for (const flag of spec.flags ?? []) expect(text, flag.name).toContain(`--${flag.name}`);
  });

  it('shows the host configurations users copy', async () => {
    const text = await readFile(README, 'utf8');
    for (const needle of [
      '"mcpServers"',
      '"servers"',
      '"inputs"',
      '"context_servers"',
      'claude mcp add',
      '"cmd"',
      '"docker"',
      '"GITHUB_PERSONAL_ACCESS_TOKEN"',
      '"type": "http"',
    ])
      expect(text, needle).toContain(needle);
  });
});
