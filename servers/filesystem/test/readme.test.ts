/**
 * @module
 * The README's host configurations are meant to be pasted: every JSON block must parse, and the
 * documented tools and flags must be the real ones.
 */
import { readFileSync } from 'node:fs';
import {
  expectFlagsDocumented,
  expectJsonBlocksParse,
  expectMentions,
  expectServerBoundsDocumented,
  expectServerTablesMatchHelp,
  expectToolListWithinBudget,
  jsonBlocks,
} from '@plugboard/testing/contract';
import { describe, expect, it } from 'vitest';
import { spec } from '../src/spec.js';
import { tools } from '../src/tools/index.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it('has JSON blocks that all parse', () => {
    expectJsonBlocksParse(readme, 10);
  });

  it("uses each host's own top-level key", () => {
    const keys = jsonBlocks(readme).map((block) => Object.keys(JSON.parse(block) as object));
    expect(keys.some((list) => list.includes('servers'))).toBe(true);
    expect(keys.some((list) => list.includes('context_servers'))).toBe(true);
    expect(keys.some((list) => list.includes('mcpServers'))).toBe(true);
  });

  it('lists every tool in its table and every flag of --help', () => {
    expectMentions(
      readme,
      tools.map((tool) => `| \`${tool.name}\``),
    );
    expectFlagsDocumented(readme, spec.flags ?? []);
  });
});

describe('the README tables', () => {
  it('document exactly the flags and variables of --help, with the common table of the top README', () => {
    expectServerTablesMatchHelp(new URL('..', import.meta.url), 'FILESYSTEM');
  });

  it('name the flag of every limit --help offers in the bounds section', () => {
    expectServerBoundsDocumented(new URL('..', import.meta.url), 'FILESYSTEM');
  });
});

it('keeps the default tools/list within the size the README records', () => {
  expectToolListWithinBudget(new URL('../README.md', import.meta.url), tools);
});
