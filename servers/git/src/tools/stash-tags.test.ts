import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connect, fixtureGit, makeRepo, tempDir, type Harness } from '../../test/helpers.js';

describe('git_stash, git_tag and git_worktree', () => {
  let dir: { path: string; cleanup(): Promise<void> };
  let repo: string;
  let harness: Harness;

  beforeEach(async () => {
    dir = await tempDir();
    repo = join(dir.path, 'repo');
    await makeRepo(repo, dir.path, [{ 'a.txt': 'a\n' }, { 'a.txt': 'b\n' }]);
    harness = await connect({ repositories: [repo], home: dir.path });
  });
  afterEach(async () => {
    await harness.close();
    await dir.cleanup();
  });

  it('stashes changes, lists them, and pops them back', async () => {
    await writeFile(join(repo, 'a.txt'), 'work in progress\n');
    await writeFile(join(repo, 'new.txt'), 'untracked\n');
    const pushed = await harness.ok<{ done: boolean }>('git_stash', {
      repo_path: repo,
      action: 'push',
      message: 'wip: half done',
      include_untracked: true,
    });
    expect(pushed.done).toBe(true);
    expect(await readFile(join(repo, 'a.txt'), 'utf8')).toBe('b\n');
    const listed = await harness.ok<{ entries: { index: number; message: string }[] }>(
      'git_stash',
      { repo_path: repo, action: 'list' },
    );
    expect(listed.entries).toEqual([
      expect.objectContaining({ index: 0, message: 'On main: wip: half done' }),
    ]);
    await harness.ok('git_stash', { repo_path: repo, action: 'pop' });
    expect(await readFile(join(repo, 'a.txt'), 'utf8')).toBe('work in progress\n');
    expect(await readFile(join(repo, 'new.txt'), 'utf8')).toBe('untracked\n');
    const empty = await harness.ok<{ entries: unknown[] }>('git_stash', {
      repo_path: repo,
      action: 'list',
    });
    expect(empty.entries).toEqual([]);
  });

  it('says when there is nothing to stash, and refuses a missing entry', async () => {
    const pushed = await harness.ok<{ done: boolean }>('git_stash', {
      repo_path: repo,
      action: 'push',
    });
    expect(pushed.done).toBe(false);
    expect(await harness.fail('git_stash', { repo_path: repo, action: 'pop', index: 3 })).toMatch(
      /no stash@\{3\}/,
    );
  });

  it('creates lightweight and annotated tags and lists them', async () => {
    const git = fixtureGit(repo, dir.path);
    const first = (await git.raw(['rev-parse', 'HEAD~1'])).trim();
    await harness.ok('git_tag', {
      repo_path: repo,
      action: 'create',
      name: 'v0.1',
      target: 'HEAD~1',
    });
    await harness.ok('git_tag', {
      repo_path: repo,
      action: 'create',
      name: 'v0.2',
      message: 'Second release',
    });
    const tags = await harness.ok<{
      tags: { name: string; commit: string; annotated: boolean; subject: string }[];
    }>('git_tag', {
      repo_path: repo,
    });
    expect(tags.tags).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'v0.1', commit: first, annotated: false }),
        expect.objectContaining({ name: 'v0.2', annotated: true, subject: 'Second release' }),
      ]),
    );
    const matching = await harness.ok<{ tags: { name: string }[] }>('git_tag', {
      repo_path: repo,
      pattern: 'v0.2*',
    });
    expect(matching.tags.map((tag) => tag.name)).toEqual(['v0.2']);
  });

  it('deletes a tag only when destructive operations are allowed', async () => {
    await harness.ok('git_tag', { repo_path: repo, action: 'create', name: 'v1' });
    expect(
      await harness.fail('git_tag', { repo_path: repo, action: 'delete', name: 'v1' }),
    ).toMatch(/--allow-destructive/);
    await harness.close();
    harness = await connect({ repositories: [repo], home: dir.path, allowDestructive: true });
    await harness.ok('git_tag', { repo_path: repo, action: 'delete', name: 'v1' });
    expect(await fixtureGit(repo, dir.path).raw(['tag'])).toBe('');
  });

  it('lists linked worktrees', async () => {
    const linked = join(dir.path, 'repo-linked');
    await fixtureGit(repo, dir.path).raw(['worktree', 'add', '-b', 'side', linked]);
    await harness.close();
    harness = await connect({ repositories: [dir.path], home: dir.path });
    const listed = await harness.ok<{ worktrees: { path: string; branch: string | null }[] }>(
      'git_worktree',
      { repo_path: repo },
    );
    expect(listed.worktrees.map((tree) => [tree.path, tree.branch])).toEqual([
      [repo, 'main'],
      [linked, 'side'],
    ]);
  });
});
