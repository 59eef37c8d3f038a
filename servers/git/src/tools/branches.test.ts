import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connect, fixtureGit, makeRepo, tempDir, write, type Harness } from '../../test/helpers.js';

interface Branches {
  branches: {
    name: string;
    type: string;
    current: boolean;
    upstream?: string;
    ahead?: number;
    behind?: number;
  }[];
  current: string | null;
}

describe('branch tools', () => {
  let dir: { path: string; cleanup(): Promise<void> };
  let repo: string;
  let harness: Harness;

  beforeEach(async () => {
    dir = await tempDir();
    repo = join(dir.path, 'repo');
    await makeRepo(repo, dir.path, [{ 'a.txt': '1\n' }, { 'a.txt': '2\n' }]);
    harness = await connect({ repositories: [repo], home: dir.path });
  });
  afterEach(async () => {
    await harness.close();
    await dir.cleanup();
  });

  it('creates a branch at a base without switching to it', async () => {
    const created = await harness.ok<{ branch: string; commit: string }>('git_create_branch', {
      repo_path: repo,
      branch_name: 'feature/x',
      base_branch: 'HEAD~1',
    });
    const git = fixtureGit(repo, dir.path);
    expect(await git.raw(['rev-parse', 'feature/x'])).toBe(`${created.commit}\n`);
    expect(await git.raw(['rev-parse', 'HEAD~1'])).toBe(`${created.commit}\n`);
    expect((await git.raw(['branch', '--show-current'])).trim()).toBe('main');
    const listed = await harness.ok<Branches>('git_branch', {
      repo_path: repo,
      branch_type: 'local',
    });
    expect(listed.branches.map((branch) => [branch.name, branch.current])).toEqual([
      ['feature/x', false],
      ['main', true],
    ]);
    expect(listed.current).toBe('main');
  });

  it('refuses an existing or invalid branch name', async () => {
    expect(
      await harness.fail('git_create_branch', { repo_path: repo, branch_name: 'main' }),
    ).toMatch(/already exists/);
    expect(
      await harness.fail('git_create_branch', { repo_path: repo, branch_name: 'bad name' }),
    ).toMatch(/not a valid Git name/);
  });

  it('filters branches by the commits they contain', async () => {
    await harness.ok('git_create_branch', {
      repo_path: repo,
      branch_name: 'old',
      base_branch: 'HEAD~1',
    });
    const containing = await harness.ok<Branches>('git_branch', {
      repo_path: repo,
      branch_type: 'all',
      contains: 'HEAD',
    });
    expect(containing.branches.map((branch) => branch.name)).toEqual(['main']);
    const without = await harness.ok<Branches>('git_branch', {
      repo_path: repo,
      branch_type: 'local',
      not_contains: 'HEAD',
    });
    expect(without.branches.map((branch) => branch.name)).toEqual(['old']);
  });

  it('switches to a branch, and to a commit as a detached HEAD', async () => {
    await harness.ok('git_create_branch', {
      repo_path: repo,
      branch_name: 'old',
      base_branch: 'HEAD~1',
    });
    const switched = await harness.ok<{ branch: string; detached: boolean }>('git_checkout', {
      repo_path: repo,
      branch_name: 'old',
    });
    expect(switched).toMatchObject({ branch: 'old', detached: false });
    const git = fixtureGit(repo, dir.path);
    const first = (await git.raw(['rev-parse', 'HEAD'])).trim();
    await harness.ok('git_checkout', { repo_path: repo, branch_name: 'main' });
    const detached = await harness.ok<{ branch: string | null; detached: boolean; commit: string }>(
      'git_checkout',
      {
        repo_path: repo,
        branch_name: first,
      },
    );
    expect(detached).toMatchObject({ branch: null, detached: true, commit: first });
  });

  it('refuses to switch over local changes it would overwrite', async () => {
    await harness.ok('git_create_branch', {
      repo_path: repo,
      branch_name: 'old',
      base_branch: 'HEAD~1',
    });
    await writeFile(join(repo, 'a.txt'), 'local edit\n');
    const message = await harness.fail('git_checkout', { repo_path: repo, branch_name: 'old' });
    expect(message).toMatch(/overwritten/);
    expect(message).toMatch(/git_stash/);
  });

  it('creates a tracking branch when only the remote-tracking branch exists', async () => {
    const origin = join(dir.path, 'origin');
    await makeRepo(origin, dir.path, [{ 'o.txt': 'o\n' }]);
    const originGit = fixtureGit(origin, dir.path);
    await originGit.checkoutLocalBranch('topic');
    const clone = join(dir.path, 'clone');
    await fixtureGit(dir.path, dir.path).clone(origin, clone);
    await harness.close();
    harness = await connect({ repositories: [clone], home: dir.path });
    const switched = await harness.ok<{ branch: string }>('git_checkout', {
      repo_path: clone,
      branch_name: 'topic',
    });
    expect(switched.branch).toBe('topic');
    const listed = await harness.ok<Branches>('git_branch', {
      repo_path: clone,
      branch_type: 'all',
    });
    expect(listed.branches).toContainEqual(
      expect.objectContaining({ name: 'topic', upstream: 'origin/topic', current: true }),
    );
    expect(listed.branches).toContainEqual(
      expect.objectContaining({ name: 'origin/topic', type: 'remote' }),
    );
    expect(listed.branches.some((branch) => branch.name === 'origin/HEAD')).toBe(false);
  });
});

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
