/**
 * The contract every tool keeps (CONVENTIONS.md): names, descriptions, described arguments,
 * truthful annotations (only the tools that require a gate write), output schemas, and the
 * build's manifest in step with the tools.
 */
import { contractSuite } from '@plugboard/testing/contract';
import { describe, expect, it } from 'vitest';
import { tools } from './index.js';

contractSuite(tools, {
  names: /^[a-z]+(_[a-z]+)*$/,
  descriptions: { minLength: 20, maxLength: 350, maxSentences: 3 },
  argumentNames: { pattern: /^[a-z][a-zA-Z]*$/, topLevelOnly: true },
  readOnly: tools.filter((tool) => tool.requires === undefined).map((tool) => tool.name),
  openWorld: 'all',
});

describe('the gdrive registry', () => {
  it('has the official search tool first', () => {
    expect(tools[0]?.name).toBe('search');
  });
});
