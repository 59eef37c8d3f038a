import { access, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  connect,
  fixtureGit,
  makeRepo,
  markers,
  tempDir,
  type Harness,
} from '../../test/helpers.js';

const exists = (path: string): Promise<boolean> =>
  access(path).then(
    () => true,
    () => false,
  );

describe('git_add_worktree and git_remove_worktree', () => {
  let dir: { path: string; cleanup(): Promise<void> };
  let repo: string;
  let harness: Harness;
  let destructive: Harness;

  beforeEach(async () => {
    dir = await tempDir();
    repo = join(dir.path, 'repo');
    await makeRepo(repo, dir.path, [{ 'a.txt': 'a\n' }, { 'a.txt': 'b\n' }]);
    await fixtureGit(repo, dir.path).branch(['existing', 'HEAD~1']);
    harness = await connect({ repositories: [dir.path], home: dir.path });
    destructive = await connect({
      repositories: [dir.path],
      home: dir.path,
      allowDestructive: true,
    });
  });
  afterEach(async () => {
    await harness.close();
    await destructive.close();
    await dir.cleanup();
  });

  it('adds a work tree on a new branch and on an existing one, and lists them', async () => {
    const added = await harness.ok<{ path: string; branch: string; commit: string }>(
      'git_add_worktree',
      { repo_path: repo, path: '../login', new_branch: 'feature/login' },
    );
    expect(added).toMatchObject({ path: join(dir.path, 'login'), branch: 'feature/login' });
    expect(await readFile(join(dir.path, 'login', 'a.txt'), 'utf8')).toBe('b\n');
    await harness.ok('git_add_worktree', { repo_path: repo, path: '../old', branch: 'existing' });
    expect(await readFile(join(dir.path, 'old', 'a.txt'), 'utf8')).toBe('a\n');
    const listed = await harness.ok<{ worktrees: { path: string; branch: string | null }[] }>(
      'git_worktree',
      { repo_path: repo },
    );
    expect(listed.worktrees.map((tree) => [tree.path, tree.branch])).toEqual([
      [repo, 'main'],
      [join(dir.path, 'login'), 'feature/login'],
      [join(dir.path, 'old'), 'existing'],
    ]);
    // The new work tree is a repository the other tools can use.
    const status = await harness.ok<{ branch: string }>('git_status', {
      repo_path: join(dir.path, 'login'),
    });
    expect(status.branch).toBe('feature/login');
  });

  it('refuses a path outside the allowed area, an existing non-empty directory, and bad branch names', async () => {
    const outside = await tempDir('git-mcp-outside-');
    try {
      expect(
        await harness.fail('git_add_worktree', {
          repo_path: repo,
          path: join(outside.path, 'wt'),
          new_branch: 'x',
        }),
      ).toMatch(/path must be a new directory inside/);
      expect(await exists(join(outside.path, 'wt'))).toBe(false);
    } finally {
      await outside.cleanup();
    }
    await writeFile(join(dir.path, 'file'), 'x');
    expect(
      await harness.fail('git_add_worktree', { repo_path: repo, path: '.', new_branch: 'x' }),
    ).toMatch(/already exists and is not empty/);
    expect(
      await harness.fail('git_add_worktree', {
        repo_path: repo,
        path: '../wt',
        new_branch: '--upload-pack=touch PWN',
      }),
    ).toMatch(/new_branch/);
    expect(
      await harness.fail('git_add_worktree', { repo_path: repo, path: '../wt', branch: 'nope' }),
    ).toMatch(/no local branch "nope"/);
    expect(await harness.fail('git_add_worktree', { repo_path: repo, path: '../wt' })).toMatch(
      /exactly one of branch/,
    );
    expect(await markers(dir.path)).toEqual([]);
  });

  it('refuses a branch that is already checked out, as git does', async () => {
    expect(
      await harness.fail('git_add_worktree', { repo_path: repo, path: '../again', branch: 'main' }),
    ).toMatch(/already (checked out|used by worktree)/);
  });

  it('removes a clean work tree and keeps its branch; refuses dirty ones unless forced with --allow-destructive', async () => {
    await harness.ok('git_add_worktree', { repo_path: repo, path: '../clean', new_branch: 'c' });
    await harness.ok('git_remove_worktree', { repo_path: repo, path: '../clean' });
    expect(await exists(join(dir.path, 'clean'))).toBe(false);
    const branches = await fixtureGit(repo, dir.path).branchLocal();
    expect(branches.all).toContain('c');

    await harness.ok('git_add_worktree', { repo_path: repo, path: '../dirty', new_branch: 'd' });
    await writeFile(join(dir.path, 'dirty', 'a.txt'), 'uncommitted\n');
    expect(
      await harness.fail('git_remove_worktree', { repo_path: repo, path: '../dirty' }),
    ).toMatch(/modified or untracked files[\s\S]*force=true[\s\S]*--allow-destructive/);
    expect(
      await harness.fail('git_remove_worktree', { repo_path: repo, path: '../dirty', force: true }),
    ).toMatch(/--allow-destructive/);
    expect(await readFile(join(dir.path, 'dirty', 'a.txt'), 'utf8')).toBe('uncommitted\n');
    await destructive.ok('git_remove_worktree', { repo_path: repo, path: '../dirty', force: true });
    expect(await exists(join(dir.path, 'dirty'))).toBe(false);
  });

  it('removes only linked work trees of this repository, never the main one', async () => {
    expect(await harness.fail('git_remove_worktree', { repo_path: repo, path: '.' })).toMatch(
      /main work tree cannot be removed/,
    );
    expect(
      await harness.fail('git_remove_worktree', { repo_path: repo, path: '../nowhere' }),
    ).toMatch(/not a work tree of this repository/);
    expect(await exists(join(repo, 'a.txt'))).toBe(true);
  });
});
