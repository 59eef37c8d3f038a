import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connect, fixtureGit, makeRepo, tempDir, type Harness } from '../../test/helpers.js';

interface Outcome {
  status: string;
  head: string | null;
  conflicts?: string[];
}

describe('git_merge, git_rebase and git_cherry_pick', () => {
  let dir: { path: string; cleanup(): Promise<void> };
  let repo: string;
  let harness: Harness;

  /** main: base → main change; topic: base → topic change (to `file`). */
  async function diverge(file: string): Promise<void> {
    const git = fixtureGit(repo, dir.path);
    await git.checkoutLocalBranch('topic');
    await writeFile(join(repo, file), 'topic\n');
    await git.add([file]).commit('topic change');
    await git.checkout('main');
    await writeFile(join(repo, 'a.txt'), 'main\n');
    await git.add(['a.txt']).commit('main change');
  }

  beforeEach(async () => {
    dir = await tempDir();
    repo = join(dir.path, 'repo');
    await makeRepo(repo, dir.path, [{ 'a.txt': 'base\n' }]);
    harness = await connect({ repositories: [repo], home: dir.path });
  });
  afterEach(async () => {
    await harness.close();
    await dir.cleanup();
  });

  it('fast-forwards when it can, and says when there is nothing to merge', async () => {
    const git = fixtureGit(repo, dir.path);
    await git.checkoutLocalBranch('ahead');
    await writeFile(join(repo, 'b.txt'), 'b\n');
    await git.add(['b.txt']).commit('ahead');
    await git.checkout('main');
    const merged = await harness.ok<Outcome>('git_merge', { repo_path: repo, branch: 'ahead' });
    expect(merged.status).toBe('fast_forward');
    expect(merged.head).toBe((await git.raw(['rev-parse', 'ahead'])).trim());
    const again = await harness.ok<Outcome>('git_merge', { repo_path: repo, branch: 'ahead' });
    expect(again.status).toBe('up_to_date');
  });

  it('creates a merge commit for diverged branches', async () => {
    await diverge('b.txt');
    const merged = await harness.ok<Outcome>('git_merge', {
      repo_path: repo,
      branch: 'topic',
      message: 'Merge topic in',
    });
    expect(merged.status).toBe('merged');
    const git = fixtureGit(repo, dir.path);
    expect((await git.raw(['log', '-1', '--format=%s%n%P'])).split('\n')[0]).toBe('Merge topic in');
  });

  it('stops on conflicts, lists them, and continues after they are resolved', async () => {
    await diverge('a.txt');
    const stopped = await harness.ok<Outcome>('git_merge', { repo_path: repo, branch: 'topic' });
    expect(stopped).toMatchObject({ status: 'conflicts', conflicts: ['a.txt'] });
    expect(stopped.text).toContain('action "continue"');
    await writeFile(join(repo, 'a.txt'), 'resolved\n');
    await harness.ok('git_add', { repo_path: repo, files: ['a.txt'] });
    const finished = await harness.ok<Outcome>('git_merge', {
      repo_path: repo,
      action: 'continue',
    });
    expect(finished.status).toBe('continued');
    const parents = await fixtureGit(repo, dir.path).raw(['log', '-1', '--format=%P']);
    expect(parents.trim().split(' ')).toHaveLength(2);
  });

  it('aborts a conflicted merge back to where it started', async () => {
    await diverge('a.txt');
    const before = (await fixtureGit(repo, dir.path).raw(['rev-parse', 'HEAD'])).trim();
    await harness.ok('git_merge', { repo_path: repo, branch: 'topic' });
    const aborted = await harness.ok<Outcome>('git_merge', { repo_path: repo, action: 'abort' });
    expect(aborted).toMatchObject({ status: 'aborted', head: before });
    expect(await fixtureGit(repo, dir.path).raw(['status', '--porcelain'])).toBe('');
  });

  it('rebases only when the operator allowed history rewriting', async () => {
    await diverge('b.txt');
    const git = fixtureGit(repo, dir.path);
    await git.checkout('topic');
    expect(await harness.fail('git_rebase', { repo_path: repo, upstream: 'main' })).toMatch(
      /--allow-destructive/,
    );
    await harness.close();
    harness = await connect({ repositories: [repo], home: dir.path, allowDestructive: true });
    const rebased = await harness.ok<Outcome>('git_rebase', { repo_path: repo, upstream: 'main' });
    expect(rebased.status).toBe('applied');
    expect((await git.raw(['log', '--format=%s', 'main..topic'])).trim()).toBe('topic change');
    expect((await git.raw(['merge-base', 'main', 'topic'])).trim()).toBe(
      (await git.raw(['rev-parse', 'main'])).trim(),
    );
  });

  it('cherry-picks commits onto the current branch, and reports conflicts', async () => {
    await diverge('b.txt');
    const picked = await harness.ok<Outcome>('git_cherry_pick', {
      repo_path: repo,
      commits: ['topic'],
    });
    expect(picked.status).toBe('applied');
    expect(await fixtureGit(repo, dir.path).raw(['log', '-1', '--format=%s'])).toBe(
      'topic change\n',
    );
    const git = fixtureGit(repo, dir.path);
    await git.checkoutLocalBranch('clash');
    await writeFile(join(repo, 'a.txt'), 'clash\n');
    await git.add(['a.txt']).commit('clash');
    await git.checkout('topic');
    const stopped = await harness.ok<Outcome>('git_cherry_pick', {
      repo_path: repo,
      commits: ['clash'],
    });
    expect(stopped).toMatchObject({ status: 'conflicts', conflicts: ['a.txt'] });
    await harness.ok('git_cherry_pick', { repo_path: repo, action: 'abort' });
    expect(await fixtureGit(repo, dir.path).raw(['status', '--porcelain'])).toBe('');
  });
});
