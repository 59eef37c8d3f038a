import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { authSpec, spec } from '../src/spec.js';
import { tools } from '../src/tools/index.js';

const README = new URL('../README.md', import.meta.url);

describe('README', () => {
  it('has only JSON blocks that parse', async () => {
    const text = await readFile(README, 'utf8');
    const blocks = [...text.matchAll(/```json\n([\s\S]*?)```/g)].map((match) => match[1]!);
    expect(blocks.length).toBeGreaterThanOrEqual(10);
    for (const block of blocks) expect(() => JSON.parse(block) as unknown, block).not.toThrow();
  });

  it('documents every tool, every flag of the server and of auth, and every variable', async () => {
    const text = await readFile(README, 'utf8');
    for (const tool of tools)
      expect(text, tool.name).toMatch(new RegExp(`^\\| \`${tool.name}\` +\\|`, 'm'));
    for (const flag of [...(spec.flags ?? []), ...(authSpec.flags ?? [])]) {
      expect(text, flag.name).toContain(`--${flag.name}`);
      if (flag.env !== undefined) expect(text, flag.env).toContain(flag.env);
    }
    expect(text).toContain('GOOGLE_APPLICATION_CREDENTIALS');
  });

  it('shows the host configurations users copy', async () => {
    const text = await readFile(README, 'utf8');
    for (const needle of [
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
    ])
      expect(text, needle).toContain(needle);
  });
});
