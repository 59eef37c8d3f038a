import { rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connect, fixtureGit, makeRepo, tempDir, write, type Harness } from '../../test/helpers.js';
import { parseStatus } from './status.js';

describe('git_status', () => {
  let dir: { path: string; cleanup(): Promise<void> };
  let repo: string;
  let harness: Harness;

  beforeEach(async () => {
    dir = await tempDir();
    repo = join(dir.path, 'repo');
    await makeRepo(repo, dir.path, [{ 'a.txt': 'a\n', 'b.txt': 'b\n', 'old.txt': 'old\n' }]);
    harness = await connect({ repositories: [repo], home: dir.path });
  });
  afterEach(async () => {
    await harness.close();
    await dir.cleanup();
  });

  it('reports each file with its staged and unstaged state', async () => {
    await writeFile(join(repo, 'a.txt'), 'changed\n');
    await writeFile(join(repo, 'b.txt'), 'staged\n');
    await writeFile(join(repo, 'new file.txt'), 'new\n');
    await rename(join(repo, 'old.txt'), join(repo, 'renamed.txt'));
    const git = fixtureGit(repo, dir.path);
    await git.add(['b.txt', 'old.txt', 'renamed.txt']);
    const status = await harness.ok<{
      branch: string;
      clean: boolean;
      files: { path: string; index: string; worktree: string; orig_path?: string }[];
    }>('git_status', { repo_path: repo });
    expect(status.branch).toBe('main');
    expect(status.clean).toBe(false);
    expect(status.files).toEqual(
      expect.arrayContaining([
        { path: 'a.txt', index: 'unmodified', worktree: 'modified' },
        { path: 'b.txt', index: 'modified', worktree: 'unmodified' },
        { path: 'renamed.txt', orig_path: 'old.txt', index: 'renamed', worktree: 'unmodified' },
        { path: 'new file.txt', index: 'untracked', worktree: 'untracked' },
      ]),
    );
    expect(status.text).toContain(' M a.txt');
    expect(status.text).toContain('R  renamed.txt <- old.txt');
  });

  it('says the tree is clean when nothing changed', async () => {
    const status = await harness.ok<{ clean: boolean; commit: string }>('git_status', {
      repo_path: repo,
    });
    expect(status.clean).toBe(true);
    expect(status.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(status.text).toContain('nothing to commit');
  });

  it('accepts a directory inside the work tree as repo_path', async () => {
    await write(join(repo, 'src', 'x.ts'), 'x\n');
    const status = await harness.ok<{ files: { path: string }[] }>('git_status', {
      repo_path: join(repo, 'src'),
    });
    expect(status.files.map((file) => file.path)).toEqual(['src/']);
  });

  it('pages a long file list within the output budget', async () => {
    await harness.close();
    harness = await connect({ repositories: [repo], home: dir.path, outputBudget: 4096 });
    for (let index = 0; index < 200; index++)
      await writeFile(join(repo, `untracked-${index}.txt`), 'x');
    const seen = new Set<string>();
    let offset: number | undefined = 0;
    let calls = 0;
    while (offset !== undefined) {
      const page: {
        files: { path: string }[];
        truncated: boolean;
        next_offset?: number;
        total_files: number;
        text: string;
      } = await harness.ok('git_status', { repo_path: repo, offset });
      expect(page.total_files).toBe(200);
      for (const file of page.files) seen.add(file.path);
      if (page.truncated) expect(page.text).toContain(`offset=${page.next_offset}`);
      offset = page.next_offset;
      calls++;
    }
    expect(calls).toBeGreaterThan(1);
    expect(seen.size).toBe(200);
  });

  it('reports conflicts during a merge', async () => {
    const git = fixtureGit(repo, dir.path);
    await git.checkoutLocalBranch('other');
    await writeFile(join(repo, 'a.txt'), 'theirs\n');
    await git.commit('theirs', ['a.txt']);
    await git.checkout('main');
    await writeFile(join(repo, 'a.txt'), 'ours\n');
    await git.commit('ours', ['a.txt']);
    await git.raw(['merge', 'other']).catch(() => undefined);
    const status = await harness.ok<{ files: { path: string; conflict?: string }[] }>(
      'git_status',
      { repo_path: repo },
    );
    expect(status.files).toContainEqual(
      expect.objectContaining({ path: 'a.txt', conflict: 'both_modified' }),
    );
    expect(status.text).toContain('UU a.txt');
  });

  it('works before the first commit', async () => {
    const fresh = join(dir.path, 'fresh');
    await makeRepo(fresh, dir.path, []);
    await harness.close();
    harness = await connect({ repositories: [fresh], home: dir.path });
    await writeFile(join(fresh, 'x'), 'x');
    const status = await harness.ok<{ commit: string | null; branch: string }>('git_status', {
      repo_path: fresh,
    });
    expect(status.commit).toBeNull();
    expect(status.branch).toBe('main');
    expect(status.text).toContain('no commits yet');
    await rm(join(fresh, 'x'));
  });
});

describe('parseStatus', () => {
  it('keeps spaces in paths and reads the branch headers', () => {
    const output = [
      '# branch.oid abc',
      '# branch.head feature/x',
      '# branch.upstream origin/feature/x',
      '# branch.ab +2 -1',
      '1 .M N... 100644 100644 100644 h1 h2 a b c.txt',
      '',
    ].join('\0');
    const report = parseStatus(output);
    expect(report).toMatchObject({
      branch: 'feature/x',
      upstream: 'origin/feature/x',
      ahead: 2,
      behind: 1,
    });
    expect(report.files).toEqual([
      { path: 'a b c.txt', index: 'unmodified', worktree: 'modified' },
    ]);
  });
});
