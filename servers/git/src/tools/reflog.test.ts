import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connect, makeRepo, tempDir, type Harness } from '../../test/helpers.js';

interface Reflog {
  entries: { selector: string; hash: string; action: string; date: string; subject: string }[];
  truncated: boolean;
  next_skip?: number;
}

describe('git_reflog', () => {
  let dir: { path: string; cleanup(): Promise<void> };
  let repo: string;
  let harness: Harness;

  beforeEach(async () => {
    dir = await tempDir();
    repo = join(dir.path, 'repo');
    const git = await makeRepo(repo, dir.path, [{ 'a.txt': 'a\n' }, { 'a.txt': 'b\n' }]);
    await git.reset(['--hard', 'HEAD~1']);
    harness = await connect({ repositories: [repo], home: dir.path, allowDestructive: true });
  });
  afterEach(async () => {
    await harness.close();
    await dir.cleanup();
  });

  it('lists where HEAD pointed, newest first, including the commit a reset left behind', async () => {
    const reflog = await harness.ok<Reflog>('git_reflog', { repo_path: repo });
    expect(reflog.truncated).toBe(false);
    expect(reflog.entries.map((entry) => [entry.selector, entry.subject])).toEqual([
      ['HEAD@{0}', 'commit 1'],
      ['HEAD@{1}', 'commit 2'],
      ['HEAD@{2}', 'commit 1'],
    ]);
    expect(reflog.entries[0]!.action).toMatch(/^reset: moving to HEAD~1/);
    expect(reflog.entries[0]!.date).toMatch(/^\d{4}-\d\d-\d\dT/);
    // The lost commit can be shown by the selector the reflog gave.
    const shown = await harness.ok<{ hash: string }>('git_show', {
      repo_path: repo,
      revision: 'HEAD@{1}',
    });
    expect(shown.hash).toBe(reflog.entries[1]!.hash);
  });

  it('pages with max_count and skip, and reads a branch reflog', async () => {
    const first = await harness.ok<Reflog>('git_reflog', { repo_path: repo, max_count: 2 });
    expect(first).toMatchObject({ truncated: true, next_skip: 2 });
    const rest = await harness.ok<Reflog>('git_reflog', { repo_path: repo, skip: 2 });
    expect(rest.entries.map((entry) => entry.selector)).toEqual(['HEAD@{2}']);
    const branch = await harness.ok<Reflog>('git_reflog', { repo_path: repo, ref: 'main' });
    expect(branch.entries[0]!.selector).toBe('main@{0}');
  });

  it('refuses a missing branch and option-like refs', async () => {
    expect(await harness.fail('git_reflog', { repo_path: repo, ref: 'nope' })).toMatch(
      /no local branch "nope"/,
    );
    expect(await harness.fail('git_reflog', { repo_path: repo, ref: '--output=x' })).toMatch(/ref/);
  });
});
