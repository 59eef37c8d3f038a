import { describe, expect, it } from 'vitest';
import type { RecordedRequest } from '@plugboard/testing';
import { fail, ok } from '../../test/fake-github.js';
import { harness, textOf } from '../../test/harness.js';

function discussion(number: number, extra: Record<string, unknown> = {}) {
  return {
    number,
    title: `Idea ${number}`,
    url: `https://github.com/o/r/discussions/${number}`,
    createdAt: '2026-11-01T00:00:00Z',
    updatedAt: '2026-11-02T00:00:00Z',
    authorAssociation: 'NONE',
    isAnswered: null,
    author: { login: 'fan' },
    category: { name: 'Ideas' },
    comments: { totalCount: 1 },
    ...extra,
  };
}

const graphqlBody = (request: RecordedRequest) =>
  request.body as { query: string; variables: Record<string, unknown> };

describe('discussions over GraphQL', () => {
  it('lists discussions through the GraphQL endpoint beside the REST root', async () => {
    await using h = await harness({
      routes: {
        'POST /graphql': ok({
          data: {
            repository: {
              discussions: {
                totalCount: 2,
                pageInfo: { hasNextPage: true, endCursor: 'Y3Vyc29yOnYyOpK5' },
                edges: [
                  { cursor: 'c1', node: discussion(1) },
                  { cursor: 'c2', node: discussion(2) },
                ],
              },
            },
          },
        }),
      },
    });
    const result = await h.call('list_discussions', {
      owner: 'o',
      repo: 'r',
      categoryId: 'DIC_kwDO',
      perPage: 2,
    });
    const [request] = h.fake.calls();
    expect(request?.method).toBe('POST');
    expect(graphqlBody(request!).variables).toEqual({
      owner: 'o',
      repo: 'r',
      first: 2,
      after: null,
      categoryId: 'DIC_kwDO',
    });
    expect(graphqlBody(request!).query).toMatch(
      /discussions\(first: \$first, after: \$after, categoryId: \$categoryId/,
    );
    expect(result.structuredContent).toMatchObject({
      totalCount: 2,
      truncated: true,
      nextCursor: 'Y3Vyc29yOnYyOpK5',
      discussions: [{ number: 1, category: 'Ideas', author: 'fan' }, { number: 2 }],
    });
  });

  it('resumes after the last comment shown when the budget cuts a page', async () => {
    const edges = Array.from({ length: 10 }, (_, index) => ({
      cursor: `cur${index}`,
      node: {
        id: `DC_${index}`,
        body: 'w'.repeat(2000),
        url: 'u',
        createdAt: '2026-11-01T00:00:00Z',
        authorAssociation: 'MEMBER',
        isAnswer: false,
        author: { login: 'm' },
        replies: { totalCount: 0 },
      },
    }));
    await using h = await harness({
      routes: {
        'POST /graphql': ok({
          data: {
            repository: {
              discussion: {
                comments: {
                  totalCount: 10,
                  pageInfo: { hasNextPage: false, endCursor: 'cur9' },
                  edges,
                },
              },
            },
          },
        }),
      },
      config: { outputBudget: 8192 },
    });
    const result = await h.call('get_discussion_comments', {
      owner: 'o',
      repo: 'r',
      discussionNumber: 4,
    });
    const shown = (result.structuredContent?.comments as unknown[]).length;
    expect(shown).toBeLessThan(10);
    expect(result.structuredContent?.nextCursor).toBe(`cur${shown - 1}`);
    await h.call('get_discussion_comments', {
      owner: 'o',
      repo: 'r',
      discussionNumber: 4,
      cursor: `cur${shown - 1}`,
    });
    expect(graphqlBody(h.fake.calls()[1]!).variables).toMatchObject({
      number: 4,
      after: `cur${shown - 1}`,
    });
  });

  it('maps GraphQL NOT_FOUND errors and missing discussions to not found', async () => {
    await using h = await harness({
      routes: {
        'POST /graphql': (request) =>
          graphqlBody(request).variables.number === 1
            ? ok({ data: { repository: { discussion: null } } })
            : ok({
                data: { repository: null },
                errors: [
                  {
                    type: 'NOT_FOUND',
                    path: ['repository'],
                    message: "Could not resolve to a Repository with the name 'o/gone'.",
                  },
                ],
              }),
      },
    });
    expect(
      textOf(await h.call('get_discussion', { owner: 'o', repo: 'r', discussionNumber: 1 })),
    ).toBe('Not found: o/r has no discussion #1.');
    expect(
      textOf(await h.call('get_discussion', { owner: 'o', repo: 'gone', discussionNumber: 2 })),
    ).toBe(
      'Not found. It does not exist, or the token cannot see it.' +
        `\n<untrusted-content source="GitHub error message">\nCould not resolve to a Repository with the name 'o/gone'.\n</untrusted-content>`,
    );
  });

  it('reports GraphQL rate limiting with the reset time', async () => {
    await using h = await harness({
      routes: {
        'POST /graphql': fail(403, 'API rate limit exceeded', {
          'x-ratelimit-remaining': '0',
          'x-ratelimit-resource': 'graphql',
        }),
      },
    });
    expect(textOf(await h.call('list_discussion_categories', { owner: 'o', repo: 'r' }))).toMatch(
      /rate limit \(graphql\) is used up; it resets at/,
    );
  });

  it('refuses cursors it did not make', async () => {
    await using h = await harness();
    expect(
      (await h.call('list_discussions', { owner: 'o', repo: 'r', cursor: 'x") { evil }' })).isError,
    ).toBe(true);
    expect(h.fake.requests).toEqual([]);
  });
});

describe('releases', () => {
  const release = {
    id: 1,
    tag_name: 'v1.0.0',
    name: 'One',
    body: 'Notes',
    draft: false,
    prerelease: true,
    author: { login: 'maint' },
    published_at: '2026-11-01T00:00:00Z',
    html_url: 'https://github.com/o/r/releases/tag/v1.0.0',
    assets: [
      {
        name: 'app.tgz',
        size: 10,
        download_count: 3,
        browser_download_url: 'https://github.com/o/r/releases/download/v1.0.0/app.tgz',
      },
    ],
  };

  it('reads the latest release, or one by tag', async () => {
    await using h = await harness({
      routes: {
        'GET /repos/o/r/releases/latest': ok(release),
        'GET /repos/o/r/releases/tags/:tag': ok(release),
      },
    });
    const latest = await h.call('get_release', { owner: 'o', repo: 'r' });
    expect(latest.structuredContent).toMatchObject({
      tag: 'v1.0.0',
      prerelease: true,
      body: 'Notes',
      assets: [{ name: 'app.tgz', size: 10, downloads: 3 }],
    });
    await h.call('get_release', { owner: 'o', repo: 'r', tag: 'v1.0.0' });
    expect(h.fake.calls().map((request) => request.path)).toEqual([
      '/repos/o/r/releases/latest',
      '/repos/o/r/releases/tags/v1.0.0',
    ]);
  });

  it('lists releases and tags', async () => {
    await using h = await harness({
      routes: {
        'GET /repos/o/r/releases': ok([release]),
        'GET /repos/o/r/tags': ok([
          {
            name: 'v1.0.0',
            commit: { sha: 'a'.repeat(40), url: '' },
            zipball_url: '',
            tarball_url: '',
            node_id: 'x',
          },
        ]),
      },
    });
    expect(textOf(await h.call('list_releases', { owner: 'o', repo: 'r' }))).toBe(
      'v1.0.0 "One" (pre-release) 2026-11-01',
    );
    expect(textOf(await h.call('list_tags', { owner: 'o', repo: 'r' }))).toBe('v1.0.0 aaaaaaa');
  });
});
