import { contractSuite, sentencesAfterPeriods } from '@plugboard/testing/contract';
import { describe, expect, it } from 'vitest';
import { READ_ONLY_TOOLS } from '../../test/read-only-tools.js';
import { VERSION } from '../spec.js';
import { tools } from './index.js';

contractSuite(tools, {
  names: /^git_[a-z][a-z0-9_]{0,59}$/,
  descriptions: { minLength: 40, maxSentences: 3, sentences: sentencesAfterPeriods },
  closedInput: true,
  readOnly: READ_ONLY_TOOLS,
  openWorld: ['git_clone', 'git_fetch', 'git_pull', 'git_push'],
  version: { value: VERSION, packageJson: new URL('../../package.json', import.meta.url) },
});

describe('the git registry', () => {
  it('marks the tools that rewrite or overwrite history as destructive', () => {
    for (const name of ['git_reset', 'git_rebase', 'git_push']) {
      expect(tools.find((tool) => tool.name === name)!.annotations.destructiveHint, name).toBe(
        true,
      );
    }
  });
});
