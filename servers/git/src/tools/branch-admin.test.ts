import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connect, fixtureGit, makeRepo, tempDir, write, type Harness } from '../../test/helpers.js';

describe('git_delete_branch and git_rename_branch', () => {
  let dir: { path: string; cleanup(): Promise<void> };
  let repo: string;
  let harness: Harness;
  let destructive: Harness;

  beforeEach(async () => {
    dir = await tempDir();
    repo = join(dir.path, 'repo');
    const git = await makeRepo(repo, dir.path, [{ 'a.txt': 'a\n' }]);
    await git.branch(['merged']);
    await git.checkoutLocalBranch('unmerged');
    await write(join(repo, 'b.txt'), 'only here\n');
    await git.add(['b.txt']);
    await git.commit('unmerged work');
    await git.checkout('main');
    harness = await connect({ repositories: [repo], home: dir.path });
    destructive = await connect({ repositories: [repo], home: dir.path, allowDestructive: true });
  });
  afterEach(async () => {
    await harness.close();
    await destructive.close();
    await dir.cleanup();
  });

  const branches = async (): Promise<string[]> =>
    (await fixtureGit(repo, dir.path).branchLocal()).all;

  it('deletes a merged branch', async () => {
    const deleted = await harness.ok<{ branch: string; commit: string }>('git_delete_branch', {
      repo_path: repo,
      branch_name: 'merged',
    });
    expect(deleted.branch).toBe('merged');
    expect(deleted.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(await branches()).toEqual(['main', 'unmerged']);
  });

  it('refuses an unmerged branch unless forced on a server with --allow-destructive', async () => {
    expect(
      await harness.fail('git_delete_branch', { repo_path: repo, branch_name: 'unmerged' }),
    ).toMatch(/not fully merged[\s\S]*force=true[\s\S]*--allow-destructive/);
    expect(
      await harness.fail('git_delete_branch', {
        repo_path: repo,
        branch_name: 'unmerged',
        force: true,
      }),
    ).toMatch(/--allow-destructive/);
    expect(await branches()).toContain('unmerged');
    await destructive.ok('git_delete_branch', {
      repo_path: repo,
      branch_name: 'unmerged',
      force: true,
    });
    expect(await branches()).toEqual(['main', 'merged']);
  });

  it('refuses the current branch, a missing branch and option-like names', async () => {
    expect(
      await harness.fail('git_delete_branch', { repo_path: repo, branch_name: 'main' }),
    ).toMatch(/cannot delete branch 'main'|checked out/i);
    expect(
      await harness.fail('git_delete_branch', { repo_path: repo, branch_name: 'nope' }),
    ).toMatch(/no local branch "nope"/);
    expect(
      await harness.fail('git_delete_branch', { repo_path: repo, branch_name: '--all' }),
    ).toMatch(/branch_name/);
    expect(await branches()).toEqual(['main', 'merged', 'unmerged']);
  });

  it('renames a branch, and refuses a name that is taken', async () => {
    const renamed = await harness.ok<{ branch: string; previous: string }>('git_rename_branch', {
      repo_path: repo,
      branch_name: 'unmerged',
      new_name: 'feature/b',
    });
    expect(renamed).toMatchObject({ branch: 'feature/b', previous: 'unmerged' });
    expect(await branches()).toEqual(['feature/b', 'main', 'merged']);
    expect(
      await harness.fail('git_rename_branch', {
        repo_path: repo,
        branch_name: 'feature/b',
        new_name: 'merged',
      }),
    ).toMatch(/already exists/);
    expect(
      await harness.fail('git_rename_branch', {
        repo_path: repo,
        branch_name: 'merged',
        new_name: '-x',
      }),
    ).toMatch(/new_name/);
    expect(await branches()).toEqual(['feature/b', 'main', 'merged']);
  });
});
