import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connect, fixtureGit, makeRepo, tempDir, type Harness } from '../../test/helpers.js';

interface Log {
  commits: {
    hash: string;
    author_name: string;
    author_email: string;
    date: string;
    subject: string;
  }[];
  truncated: boolean;
  next_skip?: number;
}

describe('git_log', () => {
  let dir: { path: string; cleanup(): Promise<void> };
  let repo: string;
  let harness: Harness;

  beforeEach(async () => {
    dir = await tempDir();
    repo = join(dir.path, 'repo');
    await makeRepo(repo, dir.path, []);
    const dates = [
      '2024-01-10T10:00:00Z',
      '2024-02-10T10:00:00Z',
      '2024-03-10T10:00:00Z',
      '2024-04-10T10:00:00Z',
    ];
    for (const [index, date] of dates.entries()) {
      await writeFile(join(repo, index % 2 === 0 ? 'even.txt' : 'odd.txt'), `${index}\n`);
      const git = fixtureGit(repo, dir.path, { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date });
      await git.add(['-A']);
      await git.commit(`change ${index}`);
    }
    harness = await connect({ repositories: [repo], home: dir.path });
  });
  afterEach(async () => {
    await harness.close();
    await dir.cleanup();
  });

  it('lists commits newest first with hash, author, date and subject', async () => {
    const log = await harness.ok<Log>('git_log', { repo_path: repo });
    expect(log.commits.map((commit) => commit.subject)).toEqual([
      'change 3',
      'change 2',
      'change 1',
      'change 0',
    ]);
    expect(log.commits[0]).toMatchObject({
      author_name: 'Ada Tester',
      author_email: 'ada@example.test',
      date: '2024-04-10T10:00:00+00:00',
    });
    expect(log.commits[0]!.hash).toMatch(/^[0-9a-f]{40}$/);
    expect(log.next_skip).toBeUndefined();
  });

  it('filters by start and end timestamps in the official formats', async () => {
    const iso = await harness.ok<Log>('git_log', {
      repo_path: repo,
      start_timestamp: '2024-02-01T00:00:00',
      end_timestamp: '2024-03-31',
    });
    expect(iso.commits.map((commit) => commit.subject)).toEqual(['change 2', 'change 1']);
    const relative = await harness.ok<Log>('git_log', {
      repo_path: repo,
      start_timestamp: '1 day ago',
    });
    expect(relative.commits).toEqual([]);
  });

  it('pages with max_count and skip, and filters by revision and path', async () => {
    const first = await harness.ok<Log>('git_log', { repo_path: repo, max_count: 2 });
    expect(first.commits).toHaveLength(2);
    expect(first.next_skip).toBe(2);
    expect(first.text).toContain('skip=2');
    const second = await harness.ok<Log>('git_log', { repo_path: repo, max_count: 2, skip: 2 });
    expect(second.commits.map((commit) => commit.subject)).toEqual(['change 1', 'change 0']);
    const fromOlder = await harness.ok<Log>('git_log', { repo_path: repo, revision: 'HEAD~2' });
    expect(fromOlder.commits[0]!.subject).toBe('change 1');
    const odd = await harness.ok<Log>('git_log', { repo_path: repo, paths: ['odd.txt'] });
    expect(odd.commits.map((commit) => commit.subject)).toEqual(['change 3', 'change 1']);
  });

  it('returns no commits for a repository without any', async () => {
    const fresh = join(dir.path, 'fresh');
    await makeRepo(fresh, dir.path, []);
    await harness.close();
    harness = await connect({ repositories: [fresh], home: dir.path });
    const log = await harness.ok<Log>('git_log', { repo_path: fresh });
    expect(log.commits).toEqual([]);
  });
});

describe('git_show', () => {
  let dir: { path: string; cleanup(): Promise<void> };
  let repo: string;
  let harness: Harness;

  beforeEach(async () => {
    dir = await tempDir();
    repo = join(dir.path, 'repo');
    await makeRepo(repo, dir.path, [
      { 'src/a.txt': 'one\n', 'logo.bin': '\u0000\u0001' },
      { 'src/a.txt': 'two\n' },
    ]);
    await fixtureGit(repo, dir.path).addAnnotatedTag('v1', 'release one');
    harness = await connect({ repositories: [repo], home: dir.path, outputBudget: 4096 });
  });
  afterEach(async () => {
    await harness.close();
    await dir.cleanup();
  });

  it('names the missing object, whether a full id, a short one or a path', async () => {
    const missing = 'deadbeef'.repeat(5);
    expect(await harness.fail('git_show', { repo_path: repo, revision: missing })).toBe(
      `Object ${missing} is missing from this repository (a shallow or partial clone, or a pruned object).`,
    );
    expect(await harness.fail('git_show', { repo_path: repo, revision: 'deadbee' })).toMatch(
      /^revision "deadbee" does not name a Git object in this repository/,
    );
    expect(await harness.fail('git_show', { repo_path: repo, revision: 'HEAD:nope.txt' })).toMatch(
      /^revision "HEAD:nope\.txt" does not name a Git object/,
    );
  });

  it('shows a commit with its message, stats and patch', async () => {
    const shown = await harness.ok<{
      object_type: string;
      commit: { message: string; parents: string[] };
      files: unknown[];
      patch: string;
    }>('git_show', {
      repo_path: repo,
      revision: 'HEAD',
    });
    expect(shown.object_type).toBe('commit');
    expect(shown.commit.message).toBe('commit 2');
    expect(shown.commit.parents).toHaveLength(1);
    expect(shown.files).toEqual([{ path: 'src/a.txt', additions: 1, deletions: 1, binary: false }]);
    expect(shown.patch).toContain('-one\n+two');
    expect(shown.text).toContain('Author: Ada Tester <ada@example.test>');
  });

  it('peels an annotated tag to its commit', async () => {
    const shown = await harness.ok<{ object_type: string; commit: { message: string } }>(
      'git_show',
      { repo_path: repo, revision: 'v1' },
    );
    expect(shown.object_type).toBe('commit');
    expect(shown.commit.message).toBe('commit 2');
  });

  it('shows a file as it was at a revision, and detects binary files', async () => {
    const old = await harness.ok<{ object_type: string; content: string }>('git_show', {
      repo_path: repo,
      revision: 'HEAD~1:src/a.txt',
    });
    expect(old).toMatchObject({ object_type: 'blob', content: 'one\n' });
    const binary = await harness.ok<{ binary: boolean; content?: string }>('git_show', {
      repo_path: repo,
      revision: 'HEAD:logo.bin',
    });
    expect(binary.binary).toBe(true);
    expect(binary.content).toBeUndefined();
  });

  it('pages a large file by offset', async () => {
    const body = Array.from({ length: 3000 }, (_, index) => `row ${index}`).join('\n');
    await writeFile(join(repo, 'big.txt'), body);
    await fixtureGit(repo, dir.path).add(['big.txt']).commit('big');
    let content = '';
    let offset: number | undefined = 0;
    while (offset !== undefined) {
      const page: { content: string; next_offset?: number } = await harness.ok('git_show', {
        repo_path: repo,
        revision: 'HEAD:big.txt',
        offset,
      });
      content += page.content;
      offset = page.next_offset;
    }
    expect(content).toBe(body);
  });

  it('lists a tree', async () => {
    const tree = await harness.ok<{ entries: { path: string; type: string }[] }>('git_show', {
      repo_path: repo,
      revision: 'HEAD:',
    });
    expect(tree.entries).toEqual([
      expect.objectContaining({ path: 'logo.bin', type: 'blob' }),
      expect.objectContaining({ path: 'src', type: 'tree' }),
    ]);
  });
});

describe('git_blame', () => {
  it('names the commit and author of each line, within a range', async () => {
    const dir = await tempDir();
    const repo = join(dir.path, 'repo');
    await makeRepo(repo, dir.path, [{ 'f.txt': 'a\nb\nc\n' }, { 'f.txt': 'a\nB\nc\n' }]);
    const harness = await connect({ repositories: [repo], home: dir.path });
    try {
      const blame = await harness.ok<{
        lines: { line: number; content: string; summary: string; author: string }[];
      }>('git_blame', {
        repo_path: repo,
        file: 'f.txt',
      });
      expect(blame.lines.map((line) => [line.line, line.content, line.summary])).toEqual([
        [1, 'a', 'commit 1'],
        [2, 'B', 'commit 2'],
        [3, 'c', 'commit 1'],
      ]);
      expect(blame.lines[0]!.author).toBe('Ada Tester');
      const ranged = await harness.ok<{ lines: { line: number }[] }>('git_blame', {
        repo_path: repo,
        file: 'f.txt',
        start_line: 2,
        end_line: 2,
        revision: 'HEAD~1',
      });
      expect(ranged.lines).toEqual([expect.objectContaining({ line: 2, content: 'b' })]);
    } finally {
      await harness.close();
      await dir.cleanup();
    }
  });
});
