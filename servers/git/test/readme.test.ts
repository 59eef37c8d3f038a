import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { spec } from '../src/spec.js';
import { tools } from '../src/tools/index.js';

const README = new URL('../README.md', import.meta.url);

describe('README', () => {
  it('has only JSON blocks that parse', async () => {
    const text = await readFile(README, 'utf8');
    const blocks = [...text.matchAll(/```json\n([\s\S]*?)```/g)].map((match) => match[1]!);
    expect(blocks.length).toBeGreaterThanOrEqual(9);
    for (const block of blocks) expect(() => JSON.parse(block) as unknown, block).not.toThrow();
  });

  it('documents every tool and every flag', async () => {
    const text = await readFile(README, 'utf8');
    for (const tool of tools) expect(text, tool.name).toContain(`\`${tool.name}\``);
    for (const flag of spec.flags ?? []) expect(text, flag.name).toContain(`--${flag.name}`);
  });
});
