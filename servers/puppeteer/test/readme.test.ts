import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { resources, resourceTemplates } from '../src/resources.js';
import { spec } from '../src/spec.js';
import { tools } from '../src/tools/index.js';

const README = new URL('../README.md', import.meta.url);

describe('README', () => {
  it('has only JSON blocks that parse', async () => {
    const text = await readFile(README, 'utf8');
    const blocks = [...text.matchAll(/```json\n([\s\S]*?)```/g)].map((match) => match[1]!);
    expect(blocks.length).toBeGreaterThanOrEqual(10);
    for (const block of blocks) expect(() => JSON.parse(block) as unknown, block).not.toThrow();
  });

  it('documents every tool, resource, flag and environment variable', async () => {
    const text = await readFile(README, 'utf8');
    for (const tool of tools) expect(text, tool.name).toContain(`\`${tool.name}\``);
    for (const resource of resources)
      expect(text, resource.descriptor.uri).toContain(`\`${resource.descriptor.uri}\``);
    for (const template of resourceTemplates)
      expect(text, template.descriptor.uriTemplate).toContain(
        `\`${template.descriptor.uriTemplate.replace('{name}', '<name>')}\``,
      );
    for (const flag of spec.flags ?? []) {
      expect(text, flag.name).toContain(`--${flag.name}`);
      if (flag.env !== undefined) expect(text, flag.env).toContain(flag.env);
    }
    for (const name of ['PUPPETEER_LAUNCH_OPTIONS', 'ALLOW_DANGEROUS', 'PUPPETEER_EXECUTABLE_PATH'])
      expect(text, name).toContain(`\`${name}\``);
  });

  it('shows every host configuration the ecosystem uses', async () => {
    const text = await readFile(README, 'utf8');
    for (const needle of [
      '"mcpServers"',
      '"servers"',
      '"context_servers"',
      '"serverUrl"',
      'claude mcp add',
      '.mcp.json',
      '"cmd"',
      '"docker"',
      'docker run -i --rm',
      'apt-get install',
      '--transport http',
    ])
      expect(text, needle).toContain(needle);
  });
});
