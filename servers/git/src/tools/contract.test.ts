import { contractSuite } from '@plugboard/testing/contract';
import { describe, expect, it } from 'vitest';
import { VERSION } from '../spec.js';
import { tools } from './index.js';

contractSuite(tools, {
  names: /^git_[a-z][a-z0-9_]{0,59}$/,
  descriptions: {
    minLength: 40,
    maxSentences: 3,
    sentences: (description) => description.split(/(?<=\.)\s/).length,
  },
  closedInput: true,
  readOnly: [
    'git_blame',
    'git_branch',
    'git_diff',
    'git_diff_staged',
    'git_diff_unstaged',
    'git_log',
    'git_show',
    'git_status',
    'git_worktree',
  ],
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
