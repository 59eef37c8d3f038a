import { describe, expect, it } from 'vitest';
import { contentFile, fail, ok } from '../../test/fake-github.js';
import { harness, textOf } from '../../test/harness.js';

const SHA = 'f'.repeat(40);

describe('get_file_contents', () => {
  it('asks for the object media type and decodes base64 text', async () => {
    await using h = await harness({
      routes: {
        'GET /repos/o/r/contents/src%2Fa.ts': ok(
          contentFile('o', 'r', 'src/a.ts', 'line 1\nline 2\n'),
        ),
      },
    });
    const result = await h.call('get_file_contents', { owner: 'o', repo: 'r', path: 'src/a.ts' });
    expect(h.fake.calls()[0]?.headers.accept).toBe('application/vnd.github.object+json');
    expect(result.structuredContent).toEqual({
      type: 'file',
      path: 'src/a.ts',
      sha: SHA,
      size: 14,
      content: 'line 1\nline 2\n',
      totalLines: 2,
      truncated: false,
    });
    expect(textOf(result)).toBe(
      `o/r/src/a.ts (sha ${SHA}, 2 lines)\n<untrusted-content source="file">\nline 1\nline 2\n\n</untrusted-content>`,
    );
  });

  it('returns a line range, and the next start line when the budget cuts it', async () => {
    const text = Array.from(
      { length: 2000 },
      (_, index) => `line ${index + 1} ${'x'.repeat(40)}`,
    ).join('\n');
    await using h = await harness({
      routes: { 'GET /repos/o/r/contents/big.txt': ok(contentFile('o', 'r', 'big.txt', text)) },
      config: { outputBudget: 16_384 },
    });
    const range = await h.call('get_file_contents', {
      owner: 'o',
      repo: 'r',
      path: 'big.txt',
      startLine: 10,
      endLine: 12,
    });
    expect(range.structuredContent).toMatchObject({
      startLine: 10,
      endLine: 12,
      totalLines: 2000,
      truncated: false,
    });
    expect(range.structuredContent?.content).toBe(
      `line 10 ${'x'.repeat(40)}\nline 11 ${'x'.repeat(40)}\nline 12 ${'x'.repeat(40)}\n`,
    );
    const whole = await h.call('get_file_contents', { owner: 'o', repo: 'r', path: 'big.txt' });
    const { endLine, nextStartLine, truncated } = whole.structuredContent as {
      endLine: number;
      nextStartLine: number;
      truncated: boolean;
    };
    expect(truncated).toBe(true);
    expect(nextStartLine).toBe(endLine + 1);
    expect(textOf(whole)).toContain(`(more lines: call again with startLine ${nextStartLine})`);
    const next = await h.call('get_file_contents', {
      owner: 'o',
      repo: 'r',
      path: 'big.txt',
      startLine: nextStartLine,
    });
    expect(String(next.structuredContent?.content)).toMatch(new RegExp(`^line ${nextStartLine} `));
  });

  it('refuses a start line past the end of the file', async () => {
    await using h = await harness({
      routes: { 'GET /repos/o/r/contents/a.txt': ok(contentFile('o', 'r', 'a.txt', 'one\ntwo\n')) },
    });
    const result = await h.call('get_file_contents', {
      owner: 'o',
      repo: 'r',
      path: 'a.txt',
      startLine: 5,
    });
    expect(textOf(result)).toBe('startLine: a.txt has only 2 lines.');
  });

  it('fetches files over 1 MB through the blob API', async () => {
    const text = 'y'.repeat(1_500_000);
    await using h = await harness({
      routes: {
        'GET /repos/o/r/contents/data.csv': ok({
          ...contentFile('o', 'r', 'data.csv', ''),
          size: text.length,
          content: '',
          encoding: 'none',
        }),
        [`GET /repos/o/r/git/blobs/${SHA}`]: ok({
          sha: SHA,
          size: text.length,
          encoding: 'base64',
          content: Buffer.from(text).toString('base64'),
        }),
      },
    });
    const result = await h.call('get_file_contents', { owner: 'o', repo: 'r', path: 'data.csv' });
    expect(result.structuredContent).toMatchObject({
      size: 1_500_000,
      totalLines: 1,
      truncated: true,
    });
    expect(textOf(result)).toContain('[line 1 cut');
    expect(h.fake.calls().map((request) => request.path)).toEqual([
      '/repos/o/r/contents/data.csv',
      `/repos/o/r/git/blobs/${SHA}`,
    ]);
  });

  it('lists a directory, and pages it when it is long', async () => {
    const entries = Array.from({ length: 400 }, (_, index) => ({
      type: index % 10 === 0 ? 'dir' : 'file',
      name: `entry-${index}`,
      path: `src/entry-${index}`,
      size: index,
      sha: SHA,
    }));
    await using h = await harness({
      routes: {
        'GET /repos/o/r/contents/src': ok({
          type: 'dir',
          name: 'src',
          path: 'src',
          sha: SHA,
          size: 0,
          entries,
        }),
      },
      config: { outputBudget: 8192 },
    });
    const first = await h.call('get_file_contents', { owner: 'o', repo: 'r', path: 'src/' });
    const page = first.structuredContent as {
      type: string;
      entries: { name: string }[];
      nextCursor: string;
    };
    expect(page.type).toBe('dir');
    expect(page.entries[0]).toEqual({ name: 'entry-0', path: 'src/entry-0', type: 'dir', size: 0 });
    expect(textOf(first)).toMatch(/^Directory o\/r\/src:\nentry-0\/\nentry-1 \(1 B\)/);
    const second = await h.call('get_file_contents', {
      owner: 'o',
      repo: 'r',
      path: 'src',
      cursor: page.nextCursor,
    });
    const next = second.structuredContent as { entries: { name: string }[] };
    expect(next.entries[0]?.name).toBe(`entry-${page.entries.length}`);
  });

  it('lists the root for an empty path', async () => {
    await using h = await harness({
      routes: {
        'GET /repos/o/r/contents': ok([
          { type: 'file', name: 'README.md', path: 'README.md', size: 5, sha: SHA },
        ]),
      },
    });
    const result = await h.call('get_file_contents', { owner: 'o', repo: 'r', path: '/' });
    expect(result.structuredContent).toMatchObject({
      type: 'dir',
      path: '',
      entries: [{ name: 'README.md' }],
    });
  });

  it('reports symbolic links and submodules instead of following them', async () => {
    await using h = await harness({
      routes: {
        'GET /repos/o/r/contents/link': ok({
          type: 'symlink',
          target: '../../etc/passwd',
          name: 'link',
          path: 'link',
          sha: SHA,
          size: 16,
        }),
        'GET /repos/o/r/contents/vendor': ok({
          type: 'submodule',
          submodule_git_url: 'https://github.com/x/y.git',
          name: 'vendor',
          path: 'vendor',
          sha: SHA,
          size: 0,
        }),
      },
    });
    expect(
      (await h.call('get_file_contents', { owner: 'o', repo: 'r', path: 'link' }))
        .structuredContent,
    ).toMatchObject({ type: 'symlink', target: '../../etc/passwd' });
    expect(
      (await h.call('get_file_contents', { owner: 'o', repo: 'r', path: 'vendor' }))
        .structuredContent,
    ).toMatchObject({ type: 'submodule', target: 'https://github.com/x/y.git' });
  });
});

const written = ok(
  {
    content: { sha: 'n'.repeat(40) },
    commit: { sha: 'c'.repeat(40), html_url: 'https://github.com/o/r/commit/ccc' },
  },
  {},
  201,
);

describe('create_or_update_file', () => {
  it('looks up the current sha when none is given, like the official server', async () => {
    await using h = await harness({
      routes: {
        'GET /repos/o/r/contents/a.md': ok(contentFile('o', 'r', 'a.md', 'old')),
        'PUT /repos/o/r/contents/a.md': written,
      },
    });
    const result = await h.call('create_or_update_file', {
      owner: 'o',
      repo: 'r',
      path: 'a.md',
      content: 'new',
      message: 'Update',
      branch: 'topic',
    });
    expect(result.structuredContent).toMatchObject({
      path: 'a.md',
      created: false,
      commitSha: 'c'.repeat(40),
    });
    const put = h.fake.calls().find((request) => request.method === 'PUT');
    expect(put?.body).toMatchObject({
      sha: SHA,
      branch: 'topic',
      content: Buffer.from('new').toString('base64'),
    });
    expect(h.fake.calls().find((request) => request.method === 'GET')?.query).toEqual({
      ref: 'topic',
    });
  });

  it('creates a file that does not exist yet', async () => {
    await using h = await harness({
      routes: {
        'GET /repos/o/r/contents/new.md': fail(404, 'Not Found'),
        'PUT /repos/o/r/contents/new.md': written,
      },
    });
    const result = await h.call('create_or_update_file', {
      owner: 'o',
      repo: 'r',
      path: 'new.md',
      content: 'x',
      message: 'Add',
      branch: 'topic',
    });
    expect(result.structuredContent).toMatchObject({ created: true });
    expect(h.fake.calls().find((request) => request.method === 'PUT')?.body).not.toHaveProperty(
      'sha',
    );
  });

  it('refuses to replace a symbolic link with a file', async () => {
    await using h = await harness({
      routes: {
        'GET /repos/o/r/contents/link': ok({
          type: 'symlink',
          target: 'x',
          name: 'link',
          path: 'link',
          sha: SHA,
          size: 1,
        }),
      },
    });
    const result = await h.call('create_or_update_file', {
      owner: 'o',
      repo: 'r',
      path: 'link',
      content: 'x',
      message: 'm',
      branch: 'topic',
    });
    expect(textOf(result)).toMatch(/symbolic link/);
    expect(h.fake.calls().some((request) => request.method === 'PUT')).toBe(false);
  });

  it('explains a stale sha', async () => {
    await using h = await harness({
      routes: {
        'GET /repos/o/r/contents/a.md': ok(contentFile('o', 'r', 'a.md', 'old')),
        'PUT /repos/o/r/contents/a.md': fail(409, 'a.md does not match ' + SHA),
      },
    });
    const result = await h.call('create_or_update_file', {
      owner: 'o',
      repo: 'r',
      path: 'a.md',
      content: 'x',
      message: 'm',
      branch: 'topic',
      sha: 'e'.repeat(40),
    });
    expect(textOf(result)).toMatch(
      /^Conflict \(409\)\. Refresh what you know.*\n<untrusted-content source="GitHub error message">\na\.md does not match f+\n/,
    );
  });
});

describe('push_files', () => {
  const routes = {
    'GET /repos/o/r/git/ref/*': ok({
      ref: 'refs/heads/topic',
      object: { sha: 'a'.repeat(40), type: 'commit' },
    }),
    'GET /repos/o/r/git/commits/:sha': ok({
      sha: 'a'.repeat(40),
      tree: { sha: 't'.repeat(40) },
      message: 'm',
      parents: [],
    }),
    'POST /repos/o/r/git/trees': ok({ sha: 'T'.repeat(40), tree: [] }, {}, 201),
    'POST /repos/o/r/git/commits': ok(
      { sha: 'c'.repeat(40), html_url: 'https://github.com/o/r/commit/c' },
      {},
      201,
    ),
  };

  it('builds a tree on the branch head and commits with the head as parent', async () => {
    await using h = await harness({
      routes: {
        ...routes,
        'PATCH /repos/o/r/git/refs/*': ok({
          ref: 'refs/heads/topic',
          object: { sha: 'c'.repeat(40) },
        }),
      },
    });
    const result = await h.call('push_files', {
      owner: 'o',
      repo: 'r',
      branch: 'topic',
      message: 'Add',
      files: [{ path: '/docs/a.md', content: 'A' }],
    });
    expect(result.structuredContent).toEqual({
      branch: 'topic',
      commitSha: 'c'.repeat(40),
      files: 1,
      url: 'https://github.com/o/r/commit/c',
    });
    const bodies = h.fake
      .calls()
      .filter((request) => request.method === 'POST')
      .map((request) => request.body);
    expect(bodies[0]).toEqual({
      base_tree: 't'.repeat(40),
      tree: [{ path: 'docs/a.md', mode: '100644', type: 'blob', content: 'A' }],
    });
    expect(bodies[1]).toEqual({ message: 'Add', tree: 'T'.repeat(40), parents: ['a'.repeat(40)] });
  });

  it('reports a branch that moved meanwhile instead of overwriting it', async () => {
    await using h = await harness({
      routes: {
        ...routes,
        'PATCH /repos/o/r/git/refs/*': fail(422, 'Update is not a fast forward'),
      },
    });
    const result = await h.call('push_files', {
      owner: 'o',
      repo: 'r',
      branch: 'topic',
      message: 'Add',
      files: [{ path: 'a', content: 'A' }],
    });
    expect(textOf(result)).toBe(
      `GitHub refused the request (422).\n<untrusted-content source="GitHub error message">\nUpdate is not a fast forward\n</untrusted-content>`,
    );
  });

  it('refuses the same path twice', async () => {
    await using h = await harness();
    const result = await h.call('push_files', {
      owner: 'o',
      repo: 'r',
      branch: 'topic',
      message: 'm',
      files: [
        { path: 'a', content: '1' },
        { path: '/a', content: '2' },
      ],
    });
    expect(textOf(result)).toMatch(/each path may appear only once/);
    expect(h.fake.requests).toEqual([]);
  });
});
