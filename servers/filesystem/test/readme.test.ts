/**
 * @module
 * The README's host configurations are meant to be pasted: every JSON block must parse, and the
 * documented tools and flags must be the real ones.
 */
import { readFileSync } from 'node:fs';
import { jsonBlocks, readmeSuite } from '@plugboard/testing/contract';
import { expect, it } from 'vitest';
import { spec } from '../src/spec.js';
import { tools } from '../src/tools/index.js';

readmeSuite({
  packageDir: new URL('..', import.meta.url),
  prefix: 'FILESYSTEM',
  tools,
  flags: spec.flags ?? [],
  jsonBlocks: 10,
});

it("uses each host's own top-level key in the README", () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const keys = jsonBlocks(readme).map((block) => Object.keys(JSON.parse(block) as object));
  expect(keys.some((list) => list.includes('servers'))).toBe(true);
  expect(keys.some((list) => list.includes('context_servers'))).toBe(true);
  expect(keys.some((list) => list.includes('mcpServers'))).toBe(true);
});
