/**
 * Red-team cases GIT-02 (repository escape), GIT-03 (no git_init) and GIT-04 (pathspec
 * traversal) from the security catalogue, plus the fail-closed default, against real
 * repositories. A `git` spy on PATH records every git process, so "refused" also means "no git
 * process ran outside".
 */
import { execFileSync } from 'node:child_process';
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  connect,
  fixtureGit,
  makeRepo,
  spyGit,
  tempDir,
  write,
  type Harness,
} from '../test/helpers.js';
import { HOW_TO_CONFIGURE } from './boundary.js';
import { tools } from './tools/index.js';

const REAL_GIT = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();

describe('the repository boundary', () => {
  let dir: { path: string; cleanup(): Promise<void> };
  let allowed: string;
  let repo: string;
  let outside: string;
  let spy: { bin: string; log: string };
  let harness: Harness;

  async function spawnedIn(): Promise<string[]> {
    const text = await readFile(spy.log, 'utf8').catch(() => '');
    return text
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => line.slice(line.indexOf(' ') + 1));
  }

  beforeEach(async () => {
    dir = await tempDir();
    allowed = join(dir.path, 'allowed');
    repo = join(allowed, 'repo');
    outside = join(dir.path, 'outside');
    await makeRepo(repo, dir.path, [{ 'a.txt': 'a\n' }]);
    await makeRepo(outside, dir.path, [{ 'secret.txt': 'secret\n' }]);
    await makeRepo(join(dir.path, 'allowed_evil'), dir.path, [{ 'x.txt': 'x\n' }]);
    spy = await spyGit(dir.path, REAL_GIT);
    harness = await connect({
      repositories: [allowed],
      home: dir.path,
      env: { PATH: `${spy.bin}:${process.env.PATH ?? ''}` },
    });
  });
  afterEach(async () => {
    await harness.close();
    await dir.cleanup();
  });

  it('refuses paths outside every configured repository without starting git there', async () => {
    await symlink('/', join(allowed, 'link-to-root'));
    await symlink(outside, join(allowed, 'link-to-outside'));
    const escapes = [
      outside,
      dir.path,
      `${allowed}/../outside`,
      `${repo}/../../outside`,
      join(dir.path, 'allowed_evil'),
      join(allowed, 'link-to-root'),
      join(allowed, 'link-to-outside'),
      '/',
    ];
    for (const path of escapes) {
      expect(await harness.fail('git_log', { repo_path: path })).toMatch(/Access denied|outside/);
      expect(await harness.fail('git_status', { repo_path: path })).toMatch(
        /Access denied|outside/,
      );
    }
    const ran = await spawnedIn();
    expect(ran.filter((cwd) => !cwd.startsWith(allowed))).toEqual([]);
  });

  it('resolves relative paths from the single configured directory, never above it', async () => {
    const log = await harness.ok<{ commits: unknown[] }>('git_log', { repo_path: 'repo' });
    expect(log.commits).toHaveLength(1);
    expect(await harness.fail('git_log', { repo_path: '../outside' })).toMatch(/Access denied/);
  });

  it('never treats a directory inside the area as the repository that encloses the area', async () => {
    await harness.close();
    const docs = join(outside, 'docs');
    await mkdir(docs);
    harness = await connect({ repositories: [docs], home: dir.path });
    expect(await harness.fail('git_log', { repo_path: docs })).toMatch(/not a Git repository/);
  });

  it('refuses a repository whose .git file, worktree or alternates point outside', async () => {
    const pointer = join(allowed, 'pointer');
    await mkdir(pointer);
    await writeFile(join(pointer, '.git'), `gitdir: ${join(outside, '.git')}\n`);
    expect(await harness.fail('git_log', { repo_path: pointer })).toMatch(/outside/);

    const linked = join(allowed, 'linked');
    await fixtureGit(outside, dir.path).raw(['worktree', 'add', '-b', 'side', linked]);
    expect(await harness.fail('git_status', { repo_path: linked })).toMatch(/outside/);

    const borrowing = join(allowed, 'borrowing');
    await makeRepo(borrowing, dir.path, [{ 'b.txt': 'b\n' }]);
    await writeFile(
      join(borrowing, '.git', 'objects', 'info', 'alternates'),
      `${join(outside, '.git', 'objects')}\n`,
    );
    expect(await harness.fail('git_show', { repo_path: borrowing, revision: 'HEAD' })).toMatch(
      /alternates|outside/,
    );

    const moved = join(allowed, 'moved');
    await makeRepo(moved, dir.path, [{ 'm.txt': 'm\n' }]);
    await fixtureGit(moved, dir.path).raw(['config', 'core.worktree', outside]);
    expect(await harness.fail('git_status', { repo_path: moved })).toMatch(/core\.worktree/);
  });

  it('refuses the inside of a .git directory', async () => {
    expect(await harness.fail('git_log', { repo_path: join(repo, '.git') })).toMatch(
      /\.git directory/,
    );
    expect(await harness.fail('git_log', { repo_path: join(repo, '.git', 'refs') })).toMatch(
      /\.git directory/,
    );
  });

  it('accepts submodules and nested repositories inside the area', async () => {
    const nested = join(repo, 'vendor', 'lib');
    await makeRepo(nested, dir.path, [{ 'lib.txt': 'lib\n' }]);
    const log = await harness.ok<{ commits: { subject: string }[] }>('git_log', {
      repo_path: nested,
    });
    expect(log.commits[0]!.subject).toBe('commit 1');
    const superproject = join(allowed, 'super');
    await makeRepo(superproject, dir.path, [{ 's.txt': 's\n' }]);
    await fixtureGit(superproject, dir.path, { GIT_ALLOW_PROTOCOL: 'file' }).raw([
      'submodule',
      'add',
      nested,
      'sub',
    ]);
    const sub = await harness.ok<{ commits: { subject: string }[] }>('git_log', {
      repo_path: join(superproject, 'sub'),
    });
    expect(sub.commits[0]!.subject).toBe('commit 1');
    await harness.close();
    harness = await connect({ repositories: [join(superproject, 'sub')], home: dir.path });
    expect(await harness.fail('git_log', { repo_path: join(superproject, 'sub') })).toMatch(
      /outside/,
    );
  });

  it('lets client roots narrow the configured repositories but never widen them', async () => {
    const second = join(allowed, 'second');
    await makeRepo(second, dir.path, [{ 's.txt': 's\n' }]);
    await harness.close();
    harness = await connect({ repositories: [allowed], home: dir.path, roots: [repo, outside] });
    expect(
      (await harness.ok<{ commits: unknown[] }>('git_log', { repo_path: repo })).commits,
    ).toHaveLength(1);
    expect(await harness.fail('git_log', { repo_path: second })).toMatch(/Access denied/);
    expect(await harness.fail('git_log', { repo_path: outside })).toMatch(/Access denied/);
  });

  it('uses client roots as the boundary when no repository is configured', async () => {
    await harness.close();
    harness = await connect({ home: dir.path, roots: [repo] });
    expect(
      (await harness.ok<{ commits: unknown[] }>('git_log', { repo_path: repo })).commits,
    ).toHaveLength(1);
    expect(await harness.fail('git_log', { repo_path: outside })).toMatch(/Access denied/);
  });

  it('refuses security switches passed as tool arguments (X-01)', async () => {
    for (const sneaky of [
      { allowDestructive: true },
      { allow_remote: true },
      { repositories: ['/'] },
      { readOnly: false },
    ]) {
      expect(await harness.fail('git_status', { repo_path: repo, ...sneaky })).toMatch(
        /Invalid arguments/,
      );
    }
  });

  it('has no git_init tool (CVE-2025-68143)', () => {
    expect(tools.map((tool) => tool.name)).not.toContain('git_init');
  });
});

describe('with no repository and no roots', () => {
  let dir: { path: string; cleanup(): Promise<void> };
  let harness: Harness;
  beforeAll(async () => {
    dir = await tempDir();
    await makeRepo(join(dir.path, 'repo'), dir.path);
    harness = await connect({ home: dir.path, allowRemote: true, allowDestructive: true });
  });
  afterAll(async () => {
    await harness.close();
    await dir.cleanup();
  });

  it('every tool says how to configure a repository', async () => {
    const repoPath = join(dir.path, 'repo');
    const samples: Record<string, Record<string, unknown>> = {
      git_diff: { target: 'HEAD' },
      git_commit: { message: 'm' },
      git_add: { files: ['.'] },
      git_create_branch: { branch_name: 'b' },
      git_checkout: { branch_name: 'main' },
      git_show: { revision: 'HEAD' },
      git_blame: { file: 'README.md' },
      git_stash: { action: 'list' },
      git_add_worktree: { path: 'wt', new_branch: 'b' },
      git_remove_worktree: { path: 'wt' },
      git_delete_branch: { branch_name: 'b' },
      git_rename_branch: { branch_name: 'b', new_name: 'c' },
      git_verify_tag: { name: 'v1' },
      git_clone: { url: 'https://example.com/r.git', directory: 'x' },
    };
    for (const tool of tools) {
      const args =
        tool.name === 'git_clone'
          ? samples[tool.name]!
          : { repo_path: repoPath, ...samples[tool.name] };
      expect(await harness.fail(tool.name, args), tool.name).toContain(HOW_TO_CONFIGURE);
    }
  });
});

describe('git_add stays inside the work tree (GIT-04)', () => {
  let dir: { path: string; cleanup(): Promise<void> };
  let repo: string;
  let harness: Harness;

  beforeEach(async () => {
    dir = await tempDir();
    repo = join(dir.path, 'allowed', 'repo');
    await makeRepo(repo, dir.path, [{ 'a.txt': 'a\n', '.gitignore': 'ignored.txt\n' }]);
    await write(join(dir.path, '.kube', 'config'), 'token: secret\n');
    await write(join(dir.path, 'outside', 'secret'), 'secret\n');
    await symlink(join(dir.path, 'outside'), join(repo, 'link-to-outside'));
    await writeFile(join(repo, 'ignored.txt'), 'ignored\n');
    harness = await connect({ repositories: [join(dir.path, 'allowed')], home: dir.path });
  });
  afterEach(async () => {
    await harness.close();
    await dir.cleanup();
  });

  it('stages nothing outside the work tree, whatever the path looks like', async () => {
    const git = fixtureGit(repo, dir.path);
    const before = await git.raw(['ls-files', '--stage']);
    const attacks = [
      ['../../.kube/config'],
      [join(dir.path, '.kube', 'config')],
      ['/etc/passwd'],
      ['--all'],
      [':(top)../x'],
      [':!*'],
      ['link-to-outside/secret'],
      ['-f', 'ignored.txt'],
      ['.git/config'],
    ];
    for (const files of attacks) {
      await harness.fail('git_add', { repo_path: repo, files });
    }
    expect(await git.raw(['ls-files', '--stage'])).toBe(before);
  });

  it('stages a symlink as a link, not the file it points to', async () => {
    await harness.ok('git_add', { repo_path: repo, files: ['link-to-outside'] });
    const staged = await fixtureGit(repo, dir.path).raw(['ls-files', '--stage', 'link-to-outside']);
    expect(staged).toMatch(/^120000 /);
  });
});
