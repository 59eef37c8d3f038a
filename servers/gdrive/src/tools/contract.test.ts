/**
 * The contract every tool keeps (CONVENTIONS.md): names, descriptions, described arguments,
 * truthful annotations, output schemas, the write, sharing and local-directory groups in step
 * with the registry (download_file writes only locally, so it is not read-only either),
 * and the build's manifest in step with the tools.
 */
import { contractSuite } from '@plugboard/testing/contract';
import { describe, expect, it } from 'vitest';
import { LOCAL_DIR_TOOLS, SHARING_TOOLS, WRITE_TOOLS } from '../spec.js';
import { tools } from './index.js';

contractSuite(tools, {
  names: /^[a-z]+(_[a-z]+)*$/,
  descriptions: { minLength: 20, maxLength: 350, maxSentences: 3 },
  argumentNames: { pattern: /^[a-z][a-zA-Z]*$/, topLevelOnly: true },
  readOnly: tools
    .map((tool) => tool.name)
    .filter(
      (name) => !WRITE_TOOLS.has(name) && !SHARING_TOOLS.has(name) && !LOCAL_DIR_TOOLS.has(name),
    ),
  openWorld: 'all',
  registered: {
    'the write group': WRITE_TOOLS,
    'the sharing group': SHARING_TOOLS,
    'the local-directory group': LOCAL_DIR_TOOLS,
  },
});

describe('the gdrive registry', () => {
  it('has the official search tool first', () => {
    expect(tools[0]?.name).toBe('search');
  });
});
