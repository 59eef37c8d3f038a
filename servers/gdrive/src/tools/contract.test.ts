/**
 * The contract every tool keeps (CONVENTIONS.md): names, descriptions, described arguments,
 * truthful annotations, output schemas, the write and sharing groups in step with the registry,
 * and the build's manifest in step with the tools.
 */
import { contractSuite } from '@plugboard/testing/contract';
import { describe, expect, it } from 'vitest';
import { SHARING_TOOLS, WRITE_TOOLS } from '../spec.js';
import { tools } from './index.js';

contractSuite(tools, {
  names: /^[a-z]+(_[a-z]+)*$/,
  descriptions: { minLength: 20, maxLength: 350, maxSentences: 3 },
  argumentNames: { pattern: /^[a-z][a-zA-Z]*$/, topLevelOnly: true },
  readOnly: tools
    .map((tool) => tool.name)
    .filter((name) => !WRITE_TOOLS.has(name) && !SHARING_TOOLS.has(name)),
  openWorld: 'all',
  registered: { 'the write group': WRITE_TOOLS, 'the sharing group': SHARING_TOOLS },
});

describe('the gdrive registry', () => {
  it('has the official search tool first', () => {
    expect(tools[0]?.name).toBe('search');
  });
});
