import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COMMAND } from '../src/command.js';
import { tools } from '../src/tools/index.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('the README', () => {
  it('has only JSON blocks that parse', () => {
    const blocks = [...readme.matchAll(/```json\n([\s\S]*?)```/g)].map((match) => match[1]!);
    expect(blocks.length).toBeGreaterThan(10);
    for (const block of blocks) expect(() => JSON.parse(block) as unknown, block).not.toThrow();
  });

  it('documents every tool and every flag', () => {
    for (const tool of tools) expect(readme).toContain(`| \`${tool.name}\``);
    for (const flag of COMMAND.flags ?? []) expect(readme).toContain(`--${flag.name}`);
  });
});
