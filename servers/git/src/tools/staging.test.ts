import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connect, fixtureGit, makeRepo, tempDir, type Harness } from '../../test/helpers.js';

describe('git_add, git_commit and git_reset', () => {
  let dir: { path: string; cleanup(): Promise<void> };
  let repo: string;
  let harness: Harness;

  beforeEach(async () => {
    dir = await tempDir();
    repo = join(dir.path, 'repo');
    await makeRepo(repo, dir.path, [{ 'a.txt': 'a\n', 'gone.txt': 'bye\n' }]);
    harness = await connect({ repositories: [repo], home: dir.path });
  });
  afterEach(async () => {
    await harness.close();
    await dir.cleanup();
  });

  async function staged(): Promise<string[]> {
    const out = await fixtureGit(repo, dir.path).raw(['diff', '--cached', '--name-only']);
    return out.split('\n').filter((line) => line !== '');
  }

  it('stages new, modified and deleted files, then commits them with the message', async () => {
    await writeFile(join(repo, 'a.txt'), 'changed\n');
    await writeFile(join(repo, 'b.txt'), 'new\n');
    await rm(join(repo, 'gone.txt'));
    const added = await harness.ok<{ staged: string[] }>('git_add', {
      repo_path: repo,
      files: ['a.txt', 'b.txt', 'gone.txt'],
    });
    expect(added.staged).toEqual(['a.txt', 'b.txt', 'gone.txt']);
    expect(await staged()).toEqual(['a.txt', 'b.txt', 'gone.txt']);
    const commit = await harness.ok<{ hash: string; branch: string; subject: string }>(
      'git_commit',
      {
        repo_path: repo,
        message: 'Update files\n\nWith a body.',
      },
    );
    expect(commit.branch).toBe('main');
    expect(commit.subject).toBe('Update files');
    const log = await fixtureGit(repo, dir.path).raw(['log', '-1', '--format=%H%n%B']);
    expect(log).toBe(`${commit.hash}\nUpdate files\n\nWith a body.\n\n`);
  });

  it('stages everything with "."', async () => {
    await writeFile(join(repo, 'c.txt'), 'c\n');
    await writeFile(join(repo, 'a.txt'), 'a2\n');
    await harness.ok('git_add', { repo_path: repo, files: ['.'] });
    expect(await staged()).toEqual(['a.txt', 'c.txt']);
  });

  it('takes a message that looks like an option as plain text', async () => {
    await writeFile(join(repo, 'a.txt'), 'x\n');
    await harness.ok('git_add', { repo_path: repo, files: ['a.txt'] });
    const commit = await harness.ok<{ subject: string }>('git_commit', {
      repo_path: repo,
      message: '--amend',
    });
    expect(commit.subject).toBe('--amend');
    expect(await fixtureGit(repo, dir.path).raw(['rev-list', '--count', 'HEAD'])).toBe('2\n');
  });

  it('says what to do when nothing is staged', async () => {
    const message = await harness.fail('git_commit', { repo_path: repo, message: 'empty' });
    expect(message).toMatch(/Nothing is staged/);
  });

  it('unstages everything, or only the given files, keeping the work tree', async () => {
    await writeFile(join(repo, 'a.txt'), 'a2\n');
    await writeFile(join(repo, 'b.txt'), 'b\n');
    await fixtureGit(repo, dir.path).add(['a.txt', 'b.txt']);
    await harness.ok('git_reset', { repo_path: repo, files: ['b.txt'] });
    expect(await staged()).toEqual(['a.txt']);
    await harness.ok('git_reset', { repo_path: repo });
    expect(await staged()).toEqual([]);
    expect((await fixtureGit(repo, dir.path).raw(['status', '--porcelain'])).split('\n')).toContain(
      ' M a.txt',
    );
  });

  it('unstages before the first commit', async () => {
    const fresh = join(dir.path, 'fresh');
    await makeRepo(fresh, dir.path, []);
    await writeFile(join(fresh, 'x.txt'), 'x\n');
    await fixtureGit(fresh, dir.path).add(['x.txt']);
    await harness.close();
    harness = await connect({ repositories: [fresh], home: dir.path });
    await harness.ok('git_reset', { repo_path: fresh });
    expect(await fixtureGit(fresh, dir.path).raw(['status', '--porcelain'])).toBe('?? x.txt\n');
  });

  it('moves the branch only when the operator allowed destructive operations', async () => {
    await writeFile(join(repo, 'a.txt'), 'second\n');
    await fixtureGit(repo, dir.path).add(['a.txt']).commit('second');
    const refused = await harness.fail('git_reset', {
      repo_path: repo,
      target: 'HEAD~1',
      mode: 'hard',
    });
    expect(refused).toMatch(/--allow-destructive/);
    expect(await fixtureGit(repo, dir.path).raw(['rev-list', '--count', 'HEAD'])).toBe('2\n');
    await harness.close();
    harness = await connect({ repositories: [repo], home: dir.path, allowDestructive: true });
    const reset = await harness.ok<{ head: string }>('git_reset', {
      repo_path: repo,
      target: 'HEAD~1',
      mode: 'hard',
    });
    expect(await fixtureGit(repo, dir.path).raw(['rev-parse', 'HEAD'])).toBe(`${reset.head}\n`);
    expect(await fixtureGit(repo, dir.path).raw(['rev-list', '--count', 'HEAD'])).toBe('1\n');
  });
});
