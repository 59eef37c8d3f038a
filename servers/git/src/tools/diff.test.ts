import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connect, fixtureGit, makeRepo, tempDir, type Harness } from '../../test/helpers.js';
import { parseNumstat } from '../diff.js';

interface Diff {
  files: {
    path: string;
    additions: number | null;
    deletions: number | null;
    binary: boolean;
    orig_path?: string;
  }[];
  total_files: number;
  additions: number;
  deletions: number;
  patch: string;
  truncated: boolean;
  next_offset?: number;
}

describe('the diff tools', () => {
  let dir: { path: string; cleanup(): Promise<void> };
  let repo: string;
  let harness: Harness;

  beforeEach(async () => {
    dir = await tempDir();
    repo = join(dir.path, 'repo');
    await makeRepo(repo, dir.path, [
      { 'a.txt': 'one\ntwo\nthree\n', 'b.txt': 'b\n' },
      { 'a.txt': 'one\n2\nthree\n' },
    ]);
    harness = await connect({ repositories: [repo], home: dir.path });
  });
  afterEach(async () => {
    await harness.close();
    await dir.cleanup();
  });

  it('shows unstaged and staged changes separately, with per-file counts', async () => {
    await writeFile(join(repo, 'a.txt'), 'one\n2\nthree\nfour\n');
    await writeFile(join(repo, 'b.txt'), 'B\n');
    await fixtureGit(repo, dir.path).add(['b.txt']);
    const unstaged = await harness.ok<Diff>('git_diff_unstaged', { repo_path: repo });
    expect(unstaged.files).toEqual([{ path: 'a.txt', additions: 1, deletions: 0, binary: false }]);
    expect(unstaged.patch).toContain('+four');
    expect(unstaged.text).toContain('1 file changed, 1 insertion(+), 0 deletions(-)');
    const staged = await harness.ok<Diff>('git_diff_staged', { repo_path: repo });
    expect(staged.files).toEqual([{ path: 'b.txt', additions: 1, deletions: 1, binary: false }]);
    expect(staged.patch).toContain('-b\n+B');
    expect(staged.text).toContain('1 file changed, 1 insertion(+), 1 deletion(-)');
  });

  it('honours context_lines', async () => {
    await writeFile(join(repo, 'a.txt'), 'one\n2\nTHREE\n');
    const none = await harness.ok<Diff>('git_diff_unstaged', { repo_path: repo, context_lines: 0 });
    expect(none.patch).toContain('@@ -3 +3 @@');
    expect(none.patch).not.toContain('\n one\n');
    const wide = await harness.ok<Diff>('git_diff_unstaged', { repo_path: repo, context_lines: 5 });
    expect(wide.patch).toContain('\n one\n');
  });

  it('compares the work tree with a target, and two commits with a range', async () => {
    const target = await harness.ok<Diff>('git_diff', { repo_path: repo, target: 'HEAD~1' });
    expect(target.patch).toContain('-two\n+2');
    const range = await harness.ok<Diff>('git_diff', { repo_path: repo, target: 'HEAD~1..HEAD' });
    expect(range.files).toEqual([{ path: 'a.txt', additions: 1, deletions: 1, binary: false }]);
    const reverse = await harness.ok<Diff>('git_diff', { repo_path: repo, target: 'HEAD..HEAD~1' });
    expect(reverse.patch).toContain('-2\n+two');
    const mergeBase = await harness.ok<Diff>('git_diff', {
      repo_path: repo,
      target: 'HEAD~1...HEAD',
    });
    expect(mergeBase.patch).toBe(range.patch);
  });

  it('refuses a target that is not a commit', async () => {
    expect(await harness.fail('git_diff', { repo_path: repo, target: 'no-such-branch' })).toMatch(
      /does not name a commit/,
    );
  });

  it('limits the diff to paths', async () => {
    await writeFile(join(repo, 'a.txt'), 'x\n');
    await writeFile(join(repo, 'b.txt'), 'y\n');
    const diff = await harness.ok<Diff>('git_diff_unstaged', { repo_path: repo, paths: ['b.txt'] });
    expect(diff.files.map((file) => file.path)).toEqual(['b.txt']);
  });

  it('counts binary files without lines', async () => {
    await writeFile(join(repo, 'image.bin'), Buffer.from([0, 1, 2, 0, 255]));
    await fixtureGit(repo, dir.path).add(['image.bin']);
    const diff = await harness.ok<Diff>('git_diff_staged', { repo_path: repo });
    expect(diff.files).toEqual([
      { path: 'image.bin', additions: null, deletions: null, binary: true },
    ]);
  });

  it('pages a large patch so that the slices join into the whole patch', async () => {
    await harness.close();
    harness = await connect({ repositories: [repo], home: dir.path, outputBudget: 4096 });
    const lines = Array.from(
      { length: 2000 },
      (_, index) => `line ${index} ${'é'.repeat(index % 7)}`,
    );
    await writeFile(join(repo, 'big.txt'), `${lines.join('\n')}\n`);
    await fixtureGit(repo, dir.path).add(['big.txt']);
    const whole = await fixtureGit(repo, dir.path).raw([
      'diff',
      '--cached',
      '--no-color',
      '-M',
      '--unified=3',
    ]);
    let patch = '';
    let offset: number | undefined = 0;
    let pages = 0;
    while (offset !== undefined) {
      const page: Diff & { text: string } = await harness.ok('git_diff_staged', {
        repo_path: repo,
        offset,
      });
      expect(Buffer.byteLength(page.text)).toBeLessThanOrEqual(4096);
      patch += page.patch;
      if (page.truncated) expect(page.text).toContain(`offset=${page.next_offset}`);
      offset = page.next_offset;
      pages++;
    }
    expect(pages).toBeGreaterThan(5);
    expect(patch).toBe(whole);
  });
});

describe('parseNumstat', () => {
  it('reads renames and paths with tabs', () => {
    const output = ['1\t2\ta\tb.txt', '0\t0\t', 'old name', 'new name', '-\t-\tpic.png', ''].join(
      '\0',
    );
    expect(parseNumstat(output)).toEqual([
      { path: 'a\tb.txt', additions: 1, deletions: 2, binary: false },
      { path: 'new name', orig_path: 'old name', additions: 0, deletions: 0, binary: false },
      { path: 'pic.png', additions: null, deletions: null, binary: true },
    ]);
  });
});
