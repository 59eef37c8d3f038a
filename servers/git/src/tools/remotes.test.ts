import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  connect,
  fixtureGit,
  makeRepo,
  tempDir,
  type Harness,
  type HarnessOptions,
} from '../../test/helpers.js';
import { redactUrl } from './remotes.js';

describe('remote tools against a bare repository on disk', () => {
  let dir: { path: string; cleanup(): Promise<void> };
  let repo: string;
  let bare: string;
  let harness: Harness;

  async function reconnect(options: Partial<HarnessOptions> = {}): Promise<void> {
    await harness.close();
    harness = await connect({
      repositories: [dir.path],
      home: dir.path,
      allowRemote: true,
      allowLocalRemotes: true,
      ...options,
    });
  }

  beforeEach(async () => {
    dir = await tempDir();
    repo = join(dir.path, 'repo');
    bare = join(dir.path, 'origin.git');
    await fixtureGit(dir.path, dir.path).raw(['init', '--bare', '--initial-branch=main', bare]);
    await makeRepo(repo, dir.path, [{ 'a.txt': 'a\n' }]);
    await fixtureGit(repo, dir.path).addRemote('origin', bare);
    harness = await connect({
      repositories: [dir.path],
      home: dir.path,
      allowRemote: true,
      allowLocalRemotes: true,
    });
  });
  afterEach(async () => {
    await harness.close();
    await dir.cleanup();
  });

  it('pushes a branch, sets its upstream, and reports the ref', async () => {
    const pushed = await harness.ok<{ results: { ref: string; status: string }[] }>('git_push', {
      repo_path: repo,
      set_upstream: true,
    });
    expect(pushed.results).toEqual([
      expect.objectContaining({ ref: 'refs/heads/main', status: 'new' }),
    ]);
    const head = (await fixtureGit(repo, dir.path).raw(['rev-parse', 'HEAD'])).trim();
    expect((await fixtureGit(bare, dir.path).raw(['rev-parse', 'main'])).trim()).toBe(head);
    const status = await harness.ok<{ upstream: string }>('git_status', { repo_path: repo });
    expect(status.upstream).toBe('origin/main');
    const again = await harness.ok<{ results: { status: string }[] }>('git_push', {
      repo_path: repo,
    });
    expect(again.results[0]!.status).toBe('up_to_date');
  });

  it('clones into an allowed directory, fetches and pulls what others pushed', async () => {
    await harness.ok('git_push', { repo_path: repo, set_upstream: true });
    const cloned = await harness.ok<{ path: string; branch: string }>('git_clone', {
      url: bare,
      directory: 'copy',
    });
    expect(cloned).toMatchObject({ path: join(dir.path, 'copy'), branch: 'main' });
    await writeFile(join(repo, 'b.txt'), 'b\n');
    await fixtureGit(repo, dir.path).add(['b.txt']).commit('second');
    await harness.ok('git_push', { repo_path: repo });
    const fetched = await harness.ok<{
      updated: { ref: string; old: string | null; new: string | null }[];
    }>('git_fetch', {
      repo_path: cloned.path,
    });
    expect(fetched.updated).toEqual([expect.objectContaining({ ref: 'refs/remotes/origin/main' })]);
    const pulled = await harness.ok<{ status: string; head: string }>('git_pull', {
      repo_path: cloned.path,
    });
    expect(pulled.status).toBe('fast_forward');
    expect(existsSync(join(cloned.path, 'b.txt'))).toBe(true);
    const nothing = await harness.ok<{ status: string }>('git_pull', { repo_path: cloned.path });
    expect(nothing.status).toBe('up_to_date');
  });

  it('reports pull conflicts instead of failing', async () => {
    await harness.ok('git_push', { repo_path: repo, set_upstream: true });
    const other = (
      await harness.ok<{ path: string }>('git_clone', { url: bare, directory: 'other' })
    ).path;
    await writeFile(join(other, 'a.txt'), 'theirs\n');
    await fixtureGit(other, dir.path).add(['a.txt']).commit('theirs');
    await harness.ok('git_push', { repo_path: other });
    await writeFile(join(repo, 'a.txt'), 'ours\n');
    await fixtureGit(repo, dir.path).add(['a.txt']).commit('ours');
    const pulled = await harness.ok<{ status: string; conflicts: string[] }>('git_pull', {
      repo_path: repo,
    });
    expect(pulled).toMatchObject({ status: 'conflicts', conflicts: ['a.txt'] });
    await harness.ok('git_merge', { repo_path: repo, action: 'abort' });
  });

  it('refuses a non-fast-forward push with advice, and force-pushes only with --allow-destructive', async () => {
    await harness.ok('git_push', { repo_path: repo, set_upstream: true });
    const other = (
      await harness.ok<{ path: string }>('git_clone', { url: bare, directory: 'other' })
    ).path;
    await writeFile(join(other, 'x.txt'), 'x\n');
    await fixtureGit(other, dir.path).add(['x.txt']).commit('theirs');
    await harness.ok('git_push', { repo_path: other });
    await writeFile(join(repo, 'y.txt'), 'y\n');
    await fixtureGit(repo, dir.path).add(['y.txt']).commit('ours');
    expect(await harness.fail('git_push', { repo_path: repo })).toMatch(/git_pull/);
    expect(await harness.fail('git_push', { repo_path: repo, force: true })).toMatch(
      /--allow-destructive/,
    );
    await reconnect({ allowDestructive: true });
    await harness.ok('git_fetch', { repo_path: repo });
    const forced = await harness.ok<{ results: { status: string }[] }>('git_push', {
      repo_path: repo,
      force: true,
    });
    expect(forced.results[0]!.status).toBe('forced');
    const head = (await fixtureGit(repo, dir.path).raw(['rev-parse', 'HEAD'])).trim();
    expect((await fixtureGit(bare, dir.path).raw(['rev-parse', 'main'])).trim()).toBe(head);
  });

  it('says how to enable remote operations when they are off', async () => {
    await reconnect({ allowRemote: false });
    for (const [tool, args] of [
      ['git_fetch', { repo_path: repo }],
      ['git_pull', { repo_path: repo }],
      ['git_push', { repo_path: repo }],
      ['git_clone', { url: bare, directory: 'copy' }],
    ] as const) {
      expect(await harness.fail(tool, args)).toMatch(/--allow-remote/);
    }
    expect(existsSync(join(dir.path, 'copy'))).toBe(false);
  });

  it('refuses local remotes unless the operator allowed them', async () => {
    await reconnect({ allowLocalRemotes: false });
    expect(await harness.fail('git_fetch', { repo_path: repo })).toMatch(/--allow-local-remotes/);
    expect(await harness.fail('git_clone', { url: bare, directory: 'copy' })).toMatch(
      /--allow-local-remotes/,
    );
  });

  it('refuses clone destinations and local sources outside the allowed area', async () => {
    const outside = await tempDir('git-mcp-outside-');
    try {
      await makeRepo(join(outside.path, 'secret'), outside.path, [{ 'key.txt': 'secret\n' }]);
      await reconnect({ repositories: [repo, bare] });
      expect(
        await harness.fail('git_clone', { url: bare, directory: join(outside.path, 'copy') }),
      ).toMatch(/inside the repositories/);
      await reconnect();
      expect(
        await harness.fail('git_clone', { url: join(outside.path, 'secret'), directory: 'copy' }),
      ).toMatch(/outside/);
      expect(
        await harness.fail('git_clone', {
          url: `file://${outside.path}/secret`,
          directory: 'copy',
        }),
      ).toMatch(/outside/);
      expect(existsSync(join(outside.path, 'copy'))).toBe(false);
      expect(existsSync(join(dir.path, 'copy'))).toBe(false);
      expect(await harness.fail('git_clone', { url: bare, directory: 'repo' })).toMatch(
        /not empty/,
      );
    } finally {
      await outside.cleanup();
    }
  });

  it('lists remotes with credentials redacted and checks URLs it adds', async () => {
    await harness.ok('git_remote', {
      repo_path: repo,
      action: 'add',
      name: 'github',
      url: 'https://user:ghp_abcdefghijklmnop1234@github.com/o/r.git',
    });
    const listed = await harness.ok<{ remotes: { name: string; fetch_url: string }[] }>(
      'git_remote',
      { repo_path: repo },
    );
    expect(listed.remotes).toContainEqual({
      name: 'github',
      fetch_url: 'https://[redacted]@github.com/o/r.git',
      push_url: 'https://[redacted]@github.com/o/r.git',
    });
    expect(listed.text).not.toContain('ghp_');
    expect(
      await harness.fail('git_remote', {
        repo_path: repo,
        action: 'add',
        name: 'plain',
        url: 'http://example.com/r.git',
      }),
    ).toMatch(/https/);
    await harness.ok('git_remote', {
      repo_path: repo,
      action: 'set_url',
      name: 'github',
      url: 'git@github.com:o/r.git',
    });
    await harness.ok('git_remote', { repo_path: repo, action: 'remove', name: 'github' });
    const after = await harness.ok<{ remotes: { name: string }[] }>('git_remote', {
      repo_path: repo,
    });
    expect(after.remotes.map((remote) => remote.name)).toEqual(['origin']);
  });
});

describe('redactUrl', () => {
  it('hides userinfo in http(s) URLs and passwords anywhere, keeps ssh users', () => {
    expect(redactUrl('https://token@github.com/o/r')).toBe('https://[redacted]@github.com/o/r');
    expect(redactUrl('ssh://git@example.com/r.git')).toBe('ssh://git@example.com/r.git');
    expect(redactUrl('ssh://me:pw@example.com/r.git')).toBe('ssh://[redacted]@example.com/r.git');
    expect(redactUrl('git@github.com:o/r.git')).toBe('git@github.com:o/r.git');
  });
});
