/**
 * @module
 * The README's host configurations are meant to be pasted: every JSON block must parse, and the
 * documented tools and flags must be the real ones.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { spec } from '../src/spec.js';
import { tools } from '../src/tools/index.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const jsonBlocks = [...readme.matchAll(/```json\n([\s\S]*?)```/g)].map((match) => match[1]!);

describe('README', () => {
  it('has JSON blocks that all parse', () => {
    expect(jsonBlocks.length).toBeGreaterThanOrEqual(10);
    for (const block of jsonBlocks) expect(() => JSON.parse(block) as unknown, block).not.toThrow();
  });

  it("uses each host's own top-level key", () => {
    const keys = jsonBlocks.map((block) => Object.keys(JSON.parse(block) as object));
    expect(keys.some((list) => list.includes('servers'))).toBe(true);
    expect(keys.some((list) => list.includes('context_servers'))).toBe(true);
    expect(keys.some((list) => list.includes('mcpServers'))).toBe(true);
  });

  it('lists every tool in its table and every flag of --help', () => {
    for (const tool of tools) expect(readme).toContain(`| \`${tool.name}\``);
    for (const flag of spec.flags ?? []) expect(readme).toContain(`--${flag.name}`);
    for (const flag of spec.flags ?? [])
      if (flag.env !== undefined) expect(readme).toContain(flag.env);
  });
});
