import { describe, expect, it } from 'vitest';
import { parseAllowlist } from './allowlist.js';
import {
  graphqlEndpoint,
  graphqlError,
  graphqlRequests,
  rateHeaders,
} from '../test/fake-github.js';
import { harness, textOf } from '../test/harness.js';
import { checkNodeId } from './graphql.js';

const THREADS_ARGS = { owner: 'o', repo: 'r', pullNumber: 6 };

function threads(count: number, bodyBytes = 10) {
  return {
    data: {
      repository: {
        pullRequest: {
          reviewThreads: {
            totalCount: count,
            pageInfo: { hasNextPage: false, endCursor: null },
            edges: Array.from({ length: count }, (_, index) => ({
              cursor: `c${index}`,
              node: {
                id: `PRRT_${index}`,
                isResolved: false,
                isOutdated: false,
                path: 'a.ts',
                line: index + 1,
                startLine: null,
                resolvedBy: null,
                comments: {
                  totalCount: 1,
                  nodes: [
                    {
                      databaseId: index,
                      body: 'b'.repeat(bodyBytes),
                      url: `https://github.com/o/r/pull/6#discussion_r${index}`,
                      createdAt: '2026-11-01T00:00:00Z',
                      authorAssociation: 'MEMBER',
                      author: { login: 'rev' },
                    },
                  ],
                },
              },
            })),
          },
        },
      },
    },
  };
}

describe('GraphQL through Octokit', () => {
  it('reaches /api/graphql beside a GitHub Enterprise Server REST root', async () => {
    await using h = await harness({
      apiPath: '/api/v3',
      routes: { 'POST /api/graphql': graphqlEndpoint({ ReviewThreads: () => threads(1) }) },
    });
    const result = await h.call('get_pull_request_review_threads', THREADS_ARGS);
    expect(result.isError, textOf(result)).toBeUndefined();
    const [request] = h.fake.requests;
    expect(`${request!.method} ${request!.path}`).toBe('POST /api/graphql');
    expect(request!.headers.authorization).toMatch(/^token /);
  });

  it('checks the allowlist before any GraphQL request', async () => {
    await using h = await harness({ config: { allowlist: parseAllowlist(['o/r']) } });
    const result = await h.call('get_pull_request_review_threads', { ...THREADS_ARGS, repo: 'x' });
    expect(textOf(result)).toContain('outside the repositories');
    expect(h.fake.requests).toEqual([]);
  });

  it('says when the GraphQL rate limit resets', async () => {
    await using h = await harness({
      routes: {
        'POST /graphql': {
          status: 200,
          headers: rateHeaders(0, 'graphql'),
          body: graphqlError('RATE_LIMITED', 'API rate limit exceeded for user ID 1.'),
        },
      },
    });
    const result = await h.call('get_pull_request_review_threads', THREADS_ARGS);
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/GraphQL rate limit is used up; it resets at 2030-03-17T/);
  });

  it('cuts a page to the output budget and resumes after the last thread shown', async () => {
    await using h = await harness({
      config: { outputBudget: 8192 },
      routes: { 'POST /graphql': graphqlEndpoint({ ReviewThreads: () => threads(10, 1500) }) },
    });
    const result = await h.call('get_pull_request_review_threads', THREADS_ARGS);
    const page = result.structuredContent as { threads: { id: string }[]; nextCursor: string };
    expect(page.threads.length).toBeGreaterThan(0);
    expect(page.threads.length).toBeLessThan(10);
    expect(page.nextCursor).toBe(`c${page.threads.length - 1}`);
  });

  it('refuses an answer past the body cap, and the server keeps serving', async () => {
    await using h = await harness({
      maxBodyBytes: 64 * 1024,
      routes: { 'POST /graphql': graphqlEndpoint({ ReviewThreads: () => threads(100, 2000) }) },
    });
    const result = await h.call('get_pull_request_review_threads', THREADS_ARGS);
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain('cap on upstream responses');
    h.fake.route('POST /graphql', graphqlEndpoint({ ReviewThreads: () => threads(1) }));
    const again = await h.call('get_pull_request_review_threads', THREADS_ARGS);
    expect(again.isError, textOf(again)).toBeUndefined();
  });

  it('answers an operation the fake does not know with a GraphQL error', async () => {
    await using h = await harness({ routes: { 'POST /graphql': graphqlEndpoint({}) } });
    const result = await h.call('get_pull_request_review_threads', THREADS_ARGS);
    expect(result.isError).toBe(true);
    expect(graphqlRequests(h.fake.requests).map((request) => request.operation)).toEqual([
      'ReviewThreads',
    ]);
  });
});

describe('node id arguments', () => {
  it('take every id format GitHub returns, the base64 one of older objects included', () => {
    for (const id of ['PRRT_kwDOA-b_c9', 'PVTI_lADOBcD1234', 'MDExOlB1bGxSZXF1ZXN0Mj+/Aw==', 'I_1'])
      expect(checkNodeId(id, 'threadId')).toBe(id);
  });

  it('refuse what is no node id before anything is sent', () => {
    for (const id of ['', 'a b', 'x"}', 'a\nb', 'é', 'a'.repeat(201)])
      expect(() => checkNodeId(id, 'threadId')).toThrow(/threadId: not a GitHub node id/);
  });
});
