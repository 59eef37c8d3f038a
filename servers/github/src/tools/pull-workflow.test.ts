import { describe, expect, it } from 'vitest';
import { parseAllowlist } from '../allowlist.js';
import {
  comment,
  commit,
  graphqlEndpoint,
  graphqlError,
  graphqlRequests,
  ok,
  pull,
  user,
  type GraphqlResolver,
} from '../../test/fake-github.js';
import { harness, textOf } from '../../test/harness.js';

const SHA = 'a'.repeat(40);

function team(slug: string) {
  return {
    id: slug.length,
    node_id: `T_${slug}`,
    name: slug,
    slug,
    description: null,
    privacy: 'closed',
    permission: 'pull',
    url: `https://api.github.com/teams/${slug.length}`,
    html_url: `https://github.com/orgs/acme/teams/${slug}`,
  };
}

/** The PendingReview answer: the viewer and the pending reviews the token can see. */
function pendingReviews(viewer: string, authors: string[]): GraphqlResolver {
  return () => ({
    data: {
      viewer: { login: viewer },
      repository: {
        pullRequest: {
          reviews: {
            nodes: authors.map((login, index) => ({
              id: `PRR_kwDO${login}${index}`,
              url: `https://github.com/o/r/pull/6#pullrequestreview-${index}`,
              author: { login },
            })),
          },
        },
      },
    },
  });
}

function threadOf(owner: string, name: string, number: number): GraphqlResolver {
  return ({ variables }) => ({
    data: {
      node: {
        id: variables.id,
        isResolved: false,
        pullRequest: { number, repository: { name, owner: { login: owner } } },
      },
    },
  });
}

describe('update_pull_request', () => {
  it('patches the fields given, converts to draft over GraphQL and requests users and teams', async () => {
    await using h = await harness({
      routes: {
        'PATCH /repos/o/r/pulls/6': ok(
          pull('o', 'r', 6, { title: 'New title', base: { ref: 'dev' } }),
        ),
        'POST /graphql': graphqlEndpoint({
          ConvertPullRequestToDraft: () => ({
            data: { convertPullRequestToDraft: { pullRequest: { isDraft: true } } },
          }),
        }),
        'POST /repos/o/r/pulls/6/requested_reviewers': ok(
          pull('o', 'r', 6, {
            requested_reviewers: [user('mona')],
            requested_teams: [team('docs')],
          }),
          {},
          201,
        ),
      },
    });
    const result = await h.call('update_pull_request', {
      owner: 'o',
      repo: 'r',
      pullNumber: 6,
      title: 'New title',
      base: 'dev',
      maintainer_can_modify: false,
      draft: true,
      reviewers: ['mona', 'acme/docs'],
    });
    expect(result.isError, textOf(result)).toBeUndefined();
    const calls = h.fake.calls();
    expect(calls.map((call) => `${call.method} ${call.path}`)).toEqual([
      'PATCH /repos/o/r/pulls/6',
      'POST /graphql',
      'POST /repos/o/r/pulls/6/requested_reviewers',
    ]);
    expect(calls[0]!.body).toEqual({
      title: 'New title',
      base: 'dev',
      maintainer_can_modify: false,
    });
    expect(graphqlRequests(calls)).toMatchObject([
      { operation: 'ConvertPullRequestToDraft', variables: { id: 'PR_6' } },
    ]);
    expect(calls[2]!.body).toEqual({ reviewers: ['mona'], team_reviewers: ['docs'] });
    expect(result.structuredContent).toEqual({
      number: 6,
      state: 'open',
      draft: true,
      url: 'https://github.com/o/r/pull/6',
      requestedReviewers: ['mona'],
      requestedTeams: ['docs'],
    });
  });

  it('marks a draft ready without a PATCH when only draft is given', async () => {
    await using h = await harness({
      routes: {
        'GET /repos/o/r/pulls/6': ok(pull('o', 'r', 6, { draft: true })),
        'POST /graphql': graphqlEndpoint({
          MarkPullRequestReadyForReview: () => ({
            data: { markPullRequestReadyForReview: { pullRequest: { isDraft: false } } },
          }),
        }),
      },
    });
    const result = await h.call('update_pull_request', {
      owner: 'o',
      repo: 'r',
      pullNumber: 6,
      draft: false,
    });
    expect(result.structuredContent).toMatchObject({ draft: false });
    expect(h.fake.calls().map((call) => `${call.method} ${call.path}`)).toEqual([
      'GET /repos/o/r/pulls/6',
      'POST /graphql',
    ]);
  });

  it('refuses an empty update and a malformed team before sending anything', async () => {
    await using h = await harness();
    const empty = await h.call('update_pull_request', { owner: 'o', repo: 'r', pullNumber: 6 });
    expect(empty.isError).toBe(true);
    expect(textOf(empty)).toContain('Nothing to update');
    const bad = await h.call('update_pull_request', {
      owner: 'o',
      repo: 'r',
      pullNumber: 6,
      title: 't',
      reviewers: ['acme/../admins'],
    });
    expect(bad.isError).toBe(true);
    expect(h.fake.calls()).toEqual([]);
  });
});

describe('request_pull_request_reviewers', () => {
  it('splits ORG/team-slug from user names', async () => {
    await using h = await harness({
      routes: {
        'POST /repos/o/r/pulls/6/requested_reviewers': ok(
          pull('o', 'r', 6, {
            requested_reviewers: [user('mona'), user('hubot')],
            requested_teams: [team('core')],
          }),
          {},
          201,
        ),
      },
    });
    const result = await h.call('request_pull_request_reviewers', {
      owner: 'o',
      repo: 'r',
      pullNumber: 6,
      reviewers: ['mona', 'acme/core', 'hubot'],
    });
    expect(h.fake.calls()[0]!.body).toEqual({
      reviewers: ['mona', 'hubot'],
      team_reviewers: ['core'],
    });
    expect(result.structuredContent).toMatchObject({
      requestedReviewers: ['mona', 'hubot'],
      requestedTeams: ['core'],
    });
  });

  it('stays inside the repository allowlist', async () => {
    await using locked = await harness({ config: { allowlist: parseAllowlist(['o/r']) } });
    const result = await locked.call('request_pull_request_reviewers', {
      owner: 'evil',
      repo: 'r',
      pullNumber: 1,
      reviewers: ['mona'],
    });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain('outside the repositories');
    expect(locked.fake.requests).toEqual([]);
  });
});

describe('the pending review workflow', () => {
  const review = (state: string) => ({
    id: 80,
    node_id: 'PRR_kwDOpending',
    user: user('octocat'),
    body: '',
    state,
    html_url: 'https://github.com/o/r/pull/6#pullrequestreview-80',
    pull_request_url: 'https://api.github.com/repos/o/r/pulls/6',
    author_association: 'MEMBER',
    commit_id: SHA,
  });

  it('creates a pending review when no event is given', async () => {
    await using h = await harness({
      routes: { 'POST /repos/o/r/pulls/6/reviews': ok(review('PENDING')) },
    });
    const result = await h.call('pull_request_review_write', {
      method: 'create',
      owner: 'o',
      repo: 'r',
      pullNumber: 6,
      commitID: SHA,
    });
    expect(h.fake.calls()[0]!.body).toEqual({ commit_id: SHA });
    expect(result.structuredContent).toEqual({
      method: 'create',
      reviewId: 'PRR_kwDOpending',
      state: 'PENDING',
      url: 'https://github.com/o/r/pull/6#pullrequestreview-80',
    });
    expect(textOf(result)).toContain('add_comment_to_pending_review');
  });

  it('adds a multi-line comment to the caller’s own pending review', async () => {
    await using h = await harness({
      routes: {
        'POST /graphql': graphqlEndpoint({
          PendingReview: pendingReviews('octocat', ['someone', 'octocat']),
          AddPullRequestReviewThread: ({ variables }) => {
            const input = variables.input as Record<string, unknown>;
            return {
              data: {
                addPullRequestReviewThread: {
                  thread: {
                    id: 'PRRT_kwDOnew',
                    isResolved: false,
                    path: input.path,
                    line: input.line,
                    startLine: input.startLine,
                    comments: {
                      nodes: [
                        { databaseId: 901, url: 'https://github.com/o/r/pull/6#discussion_r901' },
                      ],
                    },
                  },
                },
              },
            };
          },
        }),
      },
    });
    const result = await h.call('add_comment_to_pending_review', {
      owner: 'o',
      repo: 'r',
      pullNumber: 6,
      path: 'src/a.ts',
      body: 'These three lines repeat b.ts',
      subjectType: 'LINE',
      startLine: 10,
      startSide: 'RIGHT',
      line: 12,
      side: 'RIGHT',
    });
    expect(result.isError, textOf(result)).toBeUndefined();
    const graph = graphqlRequests(h.fake.calls());
    expect(graph.map((request) => request.operation)).toEqual([
      'PendingReview',
      'AddPullRequestReviewThread',
    ]);
    expect(graph[0]!.variables).toEqual({ owner: 'o', repo: 'r', number: 6 });
    expect(graph[1]!.variables).toEqual({
      input: {
        pullRequestReviewId: 'PRR_kwDOoctocat1',
        path: 'src/a.ts',
        body: 'These three lines repeat b.ts',
        subjectType: 'LINE',
        line: 12,
        side: 'RIGHT',
        startLine: 10,
        startSide: 'RIGHT',
      },
    });
    expect(result.structuredContent).toEqual({
      threadId: 'PRRT_kwDOnew',
      commentId: 901,
      path: 'src/a.ts',
      line: 12,
      startLine: 10,
    });
  });

  it('refuses a backwards range and a line comment without a line, sending nothing', async () => {
    await using h = await harness();
    const backwards = await h.call('add_comment_to_pending_review', {
      owner: 'o',
      repo: 'r',
      pullNumber: 6,
      path: 'a.ts',
      body: 'x',
      subjectType: 'LINE',
      startLine: 9,
      line: 3,
    });
    expect(textOf(backwards)).toContain('startLine: must come before line');
    const noLine = await h.call('add_comment_to_pending_review', {
      owner: 'o',
      repo: 'r',
      pullNumber: 6,
      path: 'a.ts',
      body: 'x',
      subjectType: 'LINE',
    });
    expect(textOf(noLine)).toContain('line: required');
    expect(h.fake.calls()).toEqual([]);
  });

  it('submits the pending review with an event', async () => {
    await using h = await harness({
      routes: {
        'POST /graphql': graphqlEndpoint({
          PendingReview: pendingReviews('octocat', ['octocat']),
          SubmitPullRequestReview: ({ variables }) => ({
            data: {
              submitPullRequestReview: {
                pullRequestReview: {
                  id: variables.id,
                  state: 'CHANGES_REQUESTED',
                  url: 'https://github.com/o/r/pull/6#pullrequestreview-0',
                },
              },
            },
          }),
        }),
      },
    });
    const result = await h.call('pull_request_review_write', {
      method: 'submit_pending',
      owner: 'o',
      repo: 'r',
      pullNumber: 6,
      event: 'REQUEST_CHANGES',
      body: 'See the comments',
    });
    const graph = graphqlRequests(h.fake.calls());
    expect(graph[1]).toMatchObject({
      operation: 'SubmitPullRequestReview',
      variables: { id: 'PRR_kwDOoctocat0', event: 'REQUEST_CHANGES', body: 'See the comments' },
    });
    expect(result.structuredContent).toMatchObject({ state: 'CHANGES_REQUESTED' });
  });

  it('deletes nothing when the caller has no pending review (another person’s does not count)', async () => {
    await using h = await harness({
      routes: {
        'POST /graphql': graphqlEndpoint({ PendingReview: pendingReviews('octocat', ['someone']) }),
      },
    });
    const result = await h.call('pull_request_review_write', {
      method: 'delete_pending',
      owner: 'o',
      repo: 'r',
      pullNumber: 6,
    });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain('no pending review');
    expect(graphqlRequests(h.fake.calls()).map((request) => request.operation)).toEqual([
      'PendingReview',
    ]);
  });

  it('deletes the pending review', async () => {
    await using h = await harness({
      routes: {
        'POST /graphql': graphqlEndpoint({
          PendingReview: pendingReviews('octocat', ['octocat']),
          DeletePullRequestReview: ({ variables }) => ({
            data: {
              deletePullRequestReview: {
                pullRequestReview: { id: variables.id, state: 'PENDING' },
              },
            },
          }),
        }),
      },
    });
    const result = await h.call('pull_request_review_write', {
      method: 'delete_pending',
      owner: 'o',
      repo: 'r',
      pullNumber: 6,
    });
    expect(result.isError, textOf(result)).toBeUndefined();
    expect(graphqlRequests(h.fake.calls())[1]).toMatchObject({
      operation: 'DeletePullRequestReview',
      variables: { id: 'PRR_kwDOoctocat0' },
    });
  });
});

describe('resolving review threads', () => {
  it('resolves a thread of the named pull request', async () => {
    await using h = await harness({
      routes: {
        'POST /graphql': graphqlEndpoint({
          ReviewThread: threadOf('O', 'R', 6),
          ResolveReviewThread: ({ variables }) => ({
            data: { resolveReviewThread: { thread: { id: variables.id, isResolved: true } } },
          }),
        }),
      },
    });
    const result = await h.call('pull_request_review_write', {
      method: 'resolve_thread',
      owner: 'o',
      repo: 'r',
      pullNumber: 6,
      threadId: 'PRRT_kwDOabc',
    });
    expect(result.structuredContent).toEqual({
      method: 'resolve_thread',
      threadId: 'PRRT_kwDOabc',
      resolved: true,
    });
    expect(graphqlRequests(h.fake.calls()).map((request) => request.operation)).toEqual([
      'ReviewThread',
      'ResolveReviewThread',
    ]);
  });

  it('refuses a thread of another repository, never sending the mutation', async () => {
    await using h = await harness({
      routes: {
        'POST /graphql': graphqlEndpoint({ ReviewThread: threadOf('victim', 'private', 6) }),
      },
    });
    const result = await h.call('pull_request_review_write', {
      method: 'unresolve_thread',
      owner: 'o',
      repo: 'r',
      pullNumber: 6,
      threadId: 'PRRT_kwDOvictim',
    });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain('is not a review thread of o/r#6');
    expect(graphqlRequests(h.fake.calls()).map((request) => request.operation)).toEqual([
      'ReviewThread',
    ]);
  });

  it('reports an unknown node id as GitHub does', async () => {
    await using h = await harness({
      routes: {
        'POST /graphql': graphqlEndpoint({
          ReviewThread: () =>
            graphqlError(
              'NOT_FOUND',
              "Could not resolve to a node with the global id of 'PRRT_x'",
              ['node'],
            ),
        }),
      },
    });
    const result = await h.call('pull_request_review_write', {
      method: 'resolve_thread',
      owner: 'o',
      repo: 'r',
      pullNumber: 6,
      threadId: 'PRRT_x',
    });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain('Not found');
  });
});

describe('get_pull_request_review_threads', () => {
  const node = (index: number, association = 'MEMBER') => ({
    id: `PRRT_kwDO${index}`,
    isResolved: index % 2 === 0,
    isOutdated: false,
    path: 'src/a.ts',
    line: 10 + index,
    startLine: null,
    resolvedBy: index % 2 === 0 ? { login: 'mona' } : null,
    comments: {
      totalCount: 2,
      nodes: [
        {
          databaseId: 700 + index,
          body: `Comment on thread ${index}`,
          url: `https://github.com/o/r/pull/6#discussion_r${700 + index}`,
          createdAt: '2026-11-01T00:00:00Z',
          authorAssociation: association,
          author: { login: 'rev' },
        },
      ],
    },
  });

  it('lists threads with ids, resolved state and the comment id to reply to, paged by GraphQL cursor', async () => {
    await using h = await harness({
      routes: {
        'POST /graphql': graphqlEndpoint({
          ReviewThreads: () => ({
            data: {
              repository: {
                pullRequest: {
                  reviewThreads: {
                    totalCount: 5,
                    pageInfo: { hasNextPage: true, endCursor: 'Y3Vyc29yOjI=' },
                    edges: [
                      { cursor: 'Y3Vyc29yOjE=', node: node(0) },
                      { cursor: 'Y3Vyc29yOjI=', node: node(1) },
                    ],
                  },
                },
              },
            },
          }),
        }),
      },
    });
    const result = await h.call('get_pull_request_review_threads', {
      owner: 'o',
      repo: 'r',
      pullNumber: 6,
      perPage: 2,
      cursor: 'Y3Vyc29yOjA=',
    });
    expect(graphqlRequests(h.fake.calls())[0]!.variables).toEqual({
      owner: 'o',
      repo: 'r',
      number: 6,
      first: 2,
      after: 'Y3Vyc29yOjA=',
    });
    expect(result.structuredContent).toMatchObject({
      totalCount: 5,
      truncated: true,
      nextCursor: 'Y3Vyc29yOjI=',
      threads: [
        { id: 'PRRT_kwDO0', resolved: true, resolvedBy: 'mona', line: 10, firstCommentId: 700 },
        { id: 'PRRT_kwDO1', resolved: false, line: 11, firstCommentId: 701 },
      ],
    });
    expect(textOf(result)).toContain('<untrusted-content');
  });

  it('withholds comments from outsiders on public repositories under lockdown', async () => {
    await using h = await harness({
      config: { lockdown: true },
      routes: {
        'POST /graphql': graphqlEndpoint({
          ReviewThreads: () => ({
            data: {
              repository: {
                pullRequest: {
                  reviewThreads: {
                    totalCount: 1,
                    pageInfo: { hasNextPage: false, endCursor: null },
                    edges: [{ cursor: 'c', node: node(1, 'NONE') }],
                  },
                },
              },
            },
          }),
        }),
      },
    });
    const result = await h.call('get_pull_request_review_threads', {
      owner: 'o',
      repo: 'r',
      pullNumber: 6,
    });
    expect(JSON.stringify(result)).not.toContain('Comment on thread 1');
    expect(result.structuredContent).toMatchObject({ threads: [{ id: 'PRRT_kwDO1' }] });
  });
});

describe('add_reply_to_pull_request_comment', () => {
  it('replies in the thread and reacts to the comment', async () => {
    await using h = await harness({
      routes: {
        'POST /repos/o/r/pulls/6/comments/77/replies': ok(
          {
            ...comment('o', 'r', 78),
            path: 'a.ts',
            in_reply_to_id: 77,
            html_url: 'https://github.com/o/r/pull/6#discussion_r78',
          },
          {},
          201,
        ),
        'POST /repos/o/r/pulls/comments/77/reactions': ok(
          {
            id: 1,
            node_id: 'REA_1',
            user: user('octocat'),
            content: 'rocket',
            created_at: '2026-11-01T00:00:00Z',
          },
          {},
          201,
        ),
      },
    });
    const result = await h.call('add_reply_to_pull_request_comment', {
      owner: 'o',
      repo: 'r',
      pullNumber: 6,
      commentId: 77,
      body: 'Fixed in the next commit',
      reaction: 'rocket',
    });
    const calls = h.fake.calls();
    expect(calls.map((call) => `${call.method} ${call.path}`)).toEqual([
      'POST /repos/o/r/pulls/6/comments/77/replies',
      'POST /repos/o/r/pulls/comments/77/reactions',
    ]);
    expect(calls[0]!.body).toEqual({ body: 'Fixed in the next commit' });
    expect(calls[1]!.body).toEqual({ content: 'rocket' });
    expect(result.structuredContent).toEqual({
      replyId: 78,
      url: 'https://github.com/o/r/pull/6#discussion_r78',
      reaction: 'rocket',
    });
  });

  it('needs a body or a reaction', async () => {
    await using h = await harness();
    const result = await h.call('add_reply_to_pull_request_comment', {
      owner: 'o',
      repo: 'r',
      commentId: 77,
    });
    expect(result.isError).toBe(true);
    expect(h.fake.calls()).toEqual([]);
  });
});

describe('get_pull_request_commits', () => {
  it('pages the pull request’s commits', async () => {
    await using h = await harness({
      routes: {
        'GET /repos/o/r/pulls/6/commits': ok([commit('o', 'r', SHA, 'First line\n\nmore')]),
      },
    });
    const result = await h.call('get_pull_request_commits', {
      owner: 'o',
      repo: 'r',
      pullNumber: 6,
      perPage: 5,
    });
    expect(h.fake.calls()[0]!.query).toEqual({ page: '1', per_page: '5' });
    expect(result.structuredContent).toMatchObject({
      commits: [{ sha: SHA, message: 'First line', author: 'mona' }],
      truncated: false,
    });
  });
});
