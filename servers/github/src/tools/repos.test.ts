import { describe, expect, it } from 'vitest';
import { commit, ok, repository, user } from '../../test/fake-github.js';
import { harness, textOf } from '../../test/harness.js';
import { parseAllowlist } from '../allowlist.js';

const SHA = 'a'.repeat(40);

describe('create_branch', () => {
  it('starts from the repository default branch when no source is given', async () => {
    await using h = await harness({
      repos: { 'o/r': { default_branch: 'trunk' } },
      routes: {
        'GET /repos/o/r/git/ref/*': ok({
          ref: 'refs/heads/trunk',
          object: { sha: SHA, type: 'commit' },
        }),
        'POST /repos/o/r/git/refs': ok({ ref: 'refs/heads/new', object: { sha: SHA } }, {}, 201),
      },
    });
    const result = await h.call('create_branch', { owner: 'o', repo: 'r', branch: 'new' });
    expect(result.structuredContent).toEqual({ branch: 'new', sha: SHA });
    expect(h.fake.calls().map((request) => `${request.method} ${request.path}`)).toEqual([
      'GET /repos/o/r/git/ref/heads%2Ftrunk',
      'POST /repos/o/r/git/refs',
    ]);
  });
});

describe('create_repository', () => {
  it('checks the allowlist against your own login', async () => {
    await using h = await harness({
      routes: { 'POST /user/repos': ok(repository('octocat', 'x'), {}, 201) },
      config: { allowlist: parseAllowlist(['octocat/x']) },
    });
    expect(
      (await h.call('create_repository', { name: 'x', private: true })).isError,
    ).toBeUndefined();
    const refused = await h.call('create_repository', { name: 'y', private: true });
    expect(textOf(refused)).toMatch(/octocat\/y is outside/);
    expect(h.fake.calls().filter((request) => request.method === 'POST')).toHaveLength(1);
  });

  it('will not create a public repository after private content was read', async () => {
    await using h = await harness({
      repos: { 'o/secret': { private: true } },
      routes: {
        'GET /repos/o/secret/commits': ok([commit('o', 'secret', SHA)]),
        'POST /user/repos': ok(repository('octocat', 'x'), {}, 201),
      },
    });
    await h.call('list_commits', { owner: 'o', repo: 'secret' });
    const refused = await h.call('create_repository', { name: 'dump' });
    expect(textOf(refused)).toMatch(/read private repository content \(o\/secret\)/);
    const allowed = await h.call('create_repository', { name: 'notes', private: true });
    expect(allowed.isError).toBeUndefined();
  });
});

describe('list_commits', () => {
  it('passes path, author and dates, and shows the first line of each message', async () => {
    await using h = await harness({
      routes: {
        'GET /repos/o/r/commits': ok([commit('o', 'r', SHA, 'Fix login\n\nLong explanation')]),
      },
    });
    const result = await h.call('list_commits', {
      owner: 'o',
      repo: 'r',
      path: 'src/a.ts',
      author: 'mona',
      since: '2026-01-01T00:00:00Z',
      until: '2026-12-01T00:00:00Z',
    });
    expect(h.fake.calls()[0]?.query).toEqual({
      path: 'src/a.ts',
      author: 'mona',
      since: '2026-01-01T00:00:00Z',
      until: '2026-12-01T00:00:00Z',
      page: '1',
      per_page: '30',
    });
    expect(result.structuredContent?.commits).toEqual([
      {
        sha: SHA,
        message: 'Fix login',
        author: 'mona',
        date: '2026-11-10T10:00:00Z',
        url: `https://github.com/o/r/commit/${SHA}`,
      },
    ]);
    expect(textOf(result)).toBe('aaaaaaa 2026-11-10 mona: Fix login');
  });
});

describe('get_commit', () => {
  it('returns the message, stats and files, patches only when asked', async () => {
    const data = {
      ...commit('o', 'r', SHA, 'Subject\n\nBody'),
      stats: { additions: 3, deletions: 1, total: 4 },
      files: [
        {
          filename: 'a.ts',
          status: 'modified',
          additions: 3,
          deletions: 1,
          changes: 4,
          patch: '@@ -1 +1 @@',
          sha: SHA,
          blob_url: '',
          raw_url: '',
          contents_url: '',
        },
      ],
    };
    await using h = await harness({ routes: { 'GET /repos/o/r/commits/v1.0': ok(data) } });
    const plain = await h.call('get_commit', { owner: 'o', repo: 'r', sha: 'v1.0' });
    expect(plain.structuredContent).toMatchObject({
      sha: SHA,
      message: 'Subject\n\nBody',
      additions: 3,
      deletions: 1,
      parents: ['p'.repeat(40)],
      files: [{ filename: 'a.ts', status: 'modified' }],
    });
    expect((plain.structuredContent?.files as object[])[0]).not.toHaveProperty('patch');
    const patched = await h.call('get_commit', {
      owner: 'o',
      repo: 'r',
      sha: 'v1.0',
      includePatch: true,
    });
    expect((patched.structuredContent?.files as { patch: string }[])[0]?.patch).toBe('@@ -1 +1 @@');
  });
});

describe('get_repository_tree', () => {
  const tree = Array.from({ length: 500 }, (_, index) => ({
    path: index < 250 ? `src/f${index}.ts` : `docs/d${index}.md`,
    mode: '100644',
    type: 'blob',
    sha: SHA,
    size: index,
  }));

  it('lists the default branch recursively, filtered by prefix and paged', async () => {
    await using h = await harness({
      repos: { 'o/r': { default_branch: 'trunk' } },
      routes: {
        'GET /repos/o/r/git/trees/trunk': ok({
          sha: SHA,
          truncated: false,
          tree: [{ path: 'src', mode: '040000', type: 'tree', sha: SHA }, ...tree],
        }),
      },
      config: { outputBudget: 8192 },
    });
    const first = await h.call('get_repository_tree', {
      owner: 'o',
      repo: 'r',
      recursive: true,
      pathFilter: 'src/',
    });
    expect(h.fake.calls()[0]?.query).toEqual({ recursive: 'true' });
    const page = first.structuredContent as {
      entries: { path: string }[];
      total: number;
      truncated: boolean;
      nextCursor: string;
    };
    expect(page.total).toBe(251);
    expect(page.entries[0]).toEqual({ path: 'src', type: 'tree' });
    expect(page.entries.every((entry) => entry.path.startsWith('src'))).toBe(true);
    expect(page.truncated).toBe(true);
    const rest = await h.call('get_repository_tree', {
      owner: 'o',
      repo: 'r',
      recursive: true,
      pathFilter: 'src',
      cursor: page.nextCursor,
    });
    expect((rest.structuredContent?.entries as { path: string }[])[0]?.path).toBe(
      `src/f${page.entries.length - 1}.ts`,
    );
  });

  it('passes on that GitHub itself cut a huge tree', async () => {
    await using h = await harness({
      routes: {
        'GET /repos/o/r/git/trees/main': ok({ sha: SHA, truncated: true, tree: tree.slice(0, 3) }),
      },
    });
    const result = await h.call('get_repository_tree', { owner: 'o', repo: 'r', treeSha: 'main' });
    expect(result.structuredContent).toMatchObject({ githubTruncated: true });
    expect(textOf(result)).toContain('GitHub cut this tree');
  });
});

describe('list_branches and fork_repository', () => {
  it('lists branches with protection', async () => {
    await using h = await harness({
      routes: {
        'GET /repos/o/r/branches': ok([
          { name: 'main', commit: { sha: SHA, url: '' }, protected: true },
        ]),
      },
    });
    const result = await h.call('list_branches', { owner: 'o', repo: 'r' });
    expect(result.structuredContent).toEqual({
      branches: [{ name: 'main', sha: SHA, protected: true }],
      truncated: false,
    });
  });

  it('forks into your account and checks the destination against the allowlist', async () => {
    await using h = await harness({
      routes: {
        'POST /repos/up/lib/forks': ok(
          { ...repository('octocat', 'lib'), owner: user('octocat') },
          {},
          202,
        ),
      },
      config: { allowlist: parseAllowlist(['up/lib', 'octocat/*']) },
    });
    const result = await h.call('fork_repository', { owner: 'up', repo: 'lib' });
    expect(result.structuredContent).toEqual({
      fullName: 'octocat/lib',
      url: 'https://github.com/octocat/lib',
      private: false,
    });
    const refused = await h.call('fork_repository', {
      owner: 'up',
      repo: 'lib',
      organization: 'elsewhere',
    });
    expect(textOf(refused)).toMatch(/elsewhere\/lib is outside/);
  });
});
