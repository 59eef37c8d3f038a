import { execFileSync } from 'node:child_process';
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

describe('git_stash drop and clear', () => {
  let dir: { path: string; cleanup(): Promise<void> };
  let repo: string;
  let harness: Harness;
  let destructive: Harness;

  beforeEach(async () => {
    dir = await tempDir();
    repo = join(dir.path, 'repo');
    const git = await makeRepo(repo, dir.path, [{ 'a.txt': 'a\n' }]);
    for (const text of ['one', 'two', 'three']) {
      await writeFile(join(repo, 'a.txt'), `${text}\n`);
      await git.stash(['push', '--message', text]);
    }
    harness = await connect({ repositories: [repo], home: dir.path });
    destructive = await connect({ repositories: [repo], home: dir.path, allowDestructive: true });
  });
  afterEach(async () => {
    await harness.close();
    await destructive.close();
    await dir.cleanup();
  });

  const messages = async (): Promise<string[]> =>
    (
      await harness.ok<{ entries: { message: string }[] }>('git_stash', {
        repo_path: repo,
        action: 'list',
      })
    ).entries.map((entry) => entry.message);

  it('refuses drop and clear without --allow-destructive, and loses nothing', async () => {
    expect(await harness.fail('git_stash', { repo_path: repo, action: 'drop' })).toMatch(
      /--allow-destructive/,
    );
    expect(await harness.fail('git_stash', { repo_path: repo, action: 'clear' })).toMatch(
      /--allow-destructive/,
    );
    expect(await messages()).toEqual(['On main: three', 'On main: two', 'On main: one']);
  });

  it('drops the entry it is given, refuses a missing one, and clears the rest', async () => {
    await destructive.ok('git_stash', { repo_path: repo, action: 'drop', index: 1 });
    expect(await messages()).toEqual(['On main: three', 'On main: one']);
    expect(
      await destructive.fail('git_stash', { repo_path: repo, action: 'drop', index: 5 }),
    ).toMatch(/no stash@\{5\}/);
    await destructive.ok('git_stash', { repo_path: repo, action: 'clear' });
    expect(await messages()).toEqual([]);
  });
});

describe('git_verify_tag', () => {
  let dir: { path: string; cleanup(): Promise<void> };
  let repo: string;
  let harness: Harness;

  interface Verified {
    verified: boolean;
    signed: boolean;
    report: string;
  }

  // A throwaway SSH signing key and an allowed-signers file in the test's own global config
  // (trusted, like the operator's); ssh-keygen is part of every OpenSSH client install.
  beforeEach(async () => {
    dir = await tempDir();
    repo = join(dir.path, 'repo');
    const key = join(dir.path, 'signing-key');
    const stranger = join(dir.path, 'stranger-key');
    for (const path of [key, stranger])
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'test', '-f', path]);
    const publicKey = execFileSync('cat', [`${key}.pub`], { encoding: 'utf8' }).trim();
    await writeFile(join(dir.path, 'allowed_signers'), `ada@example.test ${publicKey}\n`);
    await writeFile(
      join(dir.path, '.gitconfig'),
      `[gpg]\n\tformat = ssh\n[gpg "ssh"]\n\tallowedSignersFile = ${join(dir.path, 'allowed_signers')}\n` +
        `[user]\n\tsigningKey = ${key}\n`,
    );
    const git = await makeRepo(repo, dir.path, [{ 'a.txt': 'a\n' }]);
    await git.raw(['tag', '--sign', '--message', 'signed release', 'v1']);
    await git.raw(['tag', '--annotate', '--message', 'unsigned release', 'v2']);
    await git.raw(['tag', 'light']);
    await git.raw(['-c', `user.signingKey=${stranger}`, 'tag', '--sign', '--message', 'x', 'v3']);
    harness = await connect({ repositories: [repo], home: dir.path });
  });
  afterEach(async () => {
    await harness.close();
    await dir.cleanup();
  });

  it('verifies a tag signed by an allowed key and names the signer', async () => {
    const result = await harness.ok<Verified>('git_verify_tag', { repo_path: repo, name: 'v1' });
    expect(result).toMatchObject({ verified: true, signed: true });
    expect(result.report).toMatch(/Good "git" signature for ada@example\.test/);
  });

  it('says unsigned, lightweight and unknown-key tags are not verified', async () => {
    expect(await harness.ok<Verified>('git_verify_tag', { repo_path: repo, name: 'v2' })).toEqual(
      expect.objectContaining({ verified: false, signed: false }),
    );
    expect(
      await harness.ok<Verified>('git_verify_tag', { repo_path: repo, name: 'light' }),
    ).toEqual(expect.objectContaining({ verified: false, signed: false }));
    const stranger = await harness.ok<Verified>('git_verify_tag', { repo_path: repo, name: 'v3' });
    expect(stranger).toMatchObject({ verified: false, signed: true });
    expect(await harness.fail('git_verify_tag', { repo_path: repo, name: 'nope' })).toMatch(
      /no tag "nope"/,
    );
  });

  it('answers "not verified" when no key is configured at all', async () => {
    await writeFile(join(dir.path, '.gitconfig'), '[gpg]\n\tformat = ssh\n');
    const result = await harness.ok<Verified>('git_verify_tag', { repo_path: repo, name: 'v1' });
    expect(result).toMatchObject({ verified: false, signed: true });
    expect(result.report).toMatch(/allowedSignersFile/);
  });

  it('refuses a repository that points the allowed signers at a file of its own choosing', async () => {
    await fixtureGit(repo, dir.path).addConfig('gpg.ssh.allowedSignersFile', '/etc/passwd');
    expect(await harness.fail('git_verify_tag', { repo_path: repo, name: 'v1' })).toMatch(
      /gpg\.ssh\.allowedsignersfile.*read a file it names/i,
    );
  });
});
