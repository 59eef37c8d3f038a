import { describe, expect, it } from 'vitest';
import { exposeTools } from '@plugboard/kit/tools';
import { parseAllowlist } from '../allowlist.js';
import {
  commit,
  contentFile,
  graphqlEndpoint,
  graphqlRequests,
  issue,
  ok,
  repository,
  user,
} from '../../test/fake-github.js';
import { harness, textOf } from '../../test/harness.js';
import { githubToolConfiguration } from '../server.js';
import { tools } from './index.js';

const SHA = 'a'.repeat(40);

describe('delete_file', () => {
  const routes = {
    'GET /repos/o/r/contents/*': ok(contentFile('o', 'r', 'docs/old.md', 'bye', 'f'.repeat(40))),
    'DELETE /repos/o/r/contents/*': ok({
      content: null,
      commit: { sha: 'c'.repeat(40), html_url: 'https://github.com/o/r/commit/ccc' },
    }),
  };

  it('deletes with the file’s current sha on the branch', async () => {
    await using h = await harness({ routes });
    const result = await h.call('delete_file', {
      owner: 'o',
      repo: 'r',
      path: 'docs/old.md',
      message: 'Remove old doc',
      branch: 'topic',
    });
    expect(result.isError, textOf(result)).toBeUndefined();
    const calls = h.fake.calls();
    expect(calls.map((call) => `${call.method} ${call.path}`)).toEqual([
      'GET /repos/o/r/contents/docs%2Fold.md',
      'DELETE /repos/o/r/contents/docs%2Fold.md',
    ]);
    expect(calls[0]!.query).toEqual({ ref: 'topic' });
    expect(calls[1]!.body).toEqual({
      message: 'Remove old doc',
      sha: 'f'.repeat(40),
      branch: 'topic',
    });
    expect(result.structuredContent).toEqual({
      path: 'docs/old.md',
      commitSha: 'c'.repeat(40),
      commitUrl: 'https://github.com/o/r/commit/ccc',
    });
  });

  it('refuses the default branch and workflow files unless the operator allowed them', async () => {
    await using h = await harness({ routes });
    const onMain = await h.call('delete_file', {
      owner: 'o',
      repo: 'r',
      path: 'docs/old.md',
      message: 'm',
      branch: 'main',
    });
    expect(textOf(onMain)).toContain('--allow-default-branch-writes');
    const workflow = await h.call('delete_file', {
      owner: 'o',
      repo: 'r',
      path: '.github/workflows/ci.yml',
      message: 'm',
      branch: 'topic',
    });
    expect(textOf(workflow)).toContain('--allow-workflow-writes');
    expect(h.fake.calls().filter((call) => call.method === 'DELETE')).toEqual([]);
  });

  it('refuses a directory', async () => {
    await using h = await harness({
      routes: {
        'GET /repos/o/r/contents/*': ok([
          { type: 'file', name: 'a', path: 'docs/a', sha: SHA, size: 1 },
        ]),
      },
    });
    const result = await h.call('delete_file', {
      owner: 'o',
      repo: 'r',
      path: 'docs',
      message: 'm',
      branch: 'topic',
    });
    expect(textOf(result)).toContain('is a directory');
    expect(h.fake.calls().filter((call) => call.method === 'DELETE')).toEqual([]);
  });

  it('is hidden by --read-only (it is a writing tool)', () => {
    const { tools: chosen } = exposeTools(
      tools,
      githubToolConfiguration(
        { toolsets: undefined },
        { tools: ['delete_file', 'get_tag'], excludeTools: [], readOnly: true },
      ),
    );
    expect(chosen.map((tool) => tool.name)).toEqual(['get_tag']);
  });
});

describe('search_commits', () => {
  it('searches with sort and order, and withholds results outside the allowlist', async () => {
    const hit = (owner: string, name: string) => ({
      ...commit(owner, name, SHA, 'Fix the leak\n\ndetails'),
      repository: repository(owner, name),
      score: 1,
    });
    await using h = await harness({
      config: { allowlist: parseAllowlist(['o/r']) },
      routes: {
        'GET /search/commits': ok({
          total_count: 2,
          incomplete_results: false,
          items: [hit('o', 'r'), hit('other', 'secret')],
        }),
      },
    });
    const result = await h.call('search_commits', {
      query: 'leak',
      sort: 'committer-date',
      order: 'desc',
      perPage: 10,
    });
    expect(h.fake.calls()[0]!.query).toEqual({
      q: 'leak repo:o/r',
      sort: 'committer-date',
      order: 'desc',
      page: '1',
      per_page: '10',
    });
    expect(result.structuredContent).toMatchObject({
      commits: [{ repository: 'o/r', sha: SHA, message: 'Fix the leak', author: 'mona' }],
      withheld: 1,
    });
  });
});

describe('get_tag', () => {
  it('peels an annotated tag and fences its message', async () => {
    await using h = await harness({
      routes: {
        'GET /repos/o/r/git/ref/*': ok({
          ref: 'refs/tags/v1.0.0',
          node_id: 'REF_1',
          url: 'https://api.github.com/repos/o/r/git/refs/tags/v1.0.0',
          object: { type: 'tag', sha: 't'.repeat(40), url: '' },
        }),
        [`GET /repos/o/r/git/tags/${'t'.repeat(40)}`]: ok({
          node_id: 'TAG_1',
          tag: 'v1.0.0',
          sha: 't'.repeat(40),
          url: '',
          message: 'First stable release',
          tagger: { name: 'Mona', email: 'mona@example.com', date: '2026-11-01T00:00:00Z' },
          object: { type: 'commit', sha: SHA, url: '' },
          verification: { verified: true, reason: 'valid', signature: null, payload: null },
        }),
      },
    });
    const result = await h.call('get_tag', { owner: 'o', repo: 'r', tag: 'v1.0.0' });
    expect(h.fake.calls()[0]!.path).toBe('/repos/o/r/git/ref/tags%2Fv1.0.0');
    expect(result.structuredContent).toEqual({
      tag: 'v1.0.0',
      annotated: true,
      commitSha: SHA,
      tagSha: 't'.repeat(40),
      tagger: 'Mona',
      date: '2026-11-01T00:00:00Z',
      message: 'First stable release',
      verified: true,
    });
    expect(textOf(result)).toContain('<untrusted-content');
  });

  it('answers a lightweight tag from its ref alone', async () => {
    await using h = await harness({
      routes: {
        'GET /repos/o/r/git/ref/*': ok({
          ref: 'refs/tags/nightly',
          object: { type: 'commit', sha: SHA, url: '' },
        }),
      },
    });
    const result = await h.call('get_tag', { owner: 'o', repo: 'r', tag: 'nightly' });
    expect(result.structuredContent).toEqual({ tag: 'nightly', annotated: false, commitSha: SHA });
    expect(h.fake.calls()).toHaveLength(1);
  });
});

describe('list_repository_collaborators', () => {
  it('lists collaborators with their role', async () => {
    await using h = await harness({
      routes: {
        'GET /repos/o/r/collaborators': ok([
          {
            ...user('mona'),
            permissions: { admin: true, maintain: true, push: true, triage: true, pull: true },
            role_name: 'admin',
          },
          {
            ...user('bot', 'Bot'),
            permissions: { admin: false, maintain: false, push: true, triage: true, pull: true },
            role_name: 'write',
          },
        ]),
      },
    });
    const result = await h.call('list_repository_collaborators', {
      owner: 'o',
      repo: 'r',
      affiliation: 'outside',
    });
    expect(h.fake.calls()[0]!.query).toEqual({ affiliation: 'outside', page: '1', per_page: '30' });
    expect(result.structuredContent).toMatchObject({
      collaborators: [
        { login: 'mona', type: 'User', role: 'admin' },
        { login: 'bot', type: 'Bot', role: 'write' },
      ],
    });
  });
});

describe('teams', () => {
  const restTeam = (org: string, slug: string) => ({
    id: slug.length,
    node_id: `T_${slug}`,
    name: `The ${slug}`,
    slug,
    description: 'Keeps things running',
    privacy: 'closed',
    permission: 'pull',
    url: '',
    html_url: '',
    organization: { ...user(org, 'Organization'), name: org },
  });

  it('lists your teams over REST and another user’s over GraphQL', async () => {
    await using h = await harness({
      routes: {
        'GET /user/teams': ok([restTeam('acme', 'core')]),
        'POST /graphql': graphqlEndpoint({
          UserTeams: () => ({
            data: {
              user: {
                organizations: {
                  nodes: [
                    {
                      login: 'acme',
                      teams: { nodes: [{ name: 'Docs', slug: 'docs', description: null }] },
                    },
                  ],
                },
              },
            },
          }),
        }),
      },
    });
    const mine = await h.call('get_teams', {});
    expect(mine.structuredContent).toEqual({
      teams: [{ org: 'acme', name: 'The core', slug: 'core', description: 'Keeps things running' }],
    });
    const theirs = await h.call('get_teams', { user: 'mona' });
    expect(theirs.structuredContent).toEqual({
      teams: [{ org: 'acme', name: 'Docs', slug: 'docs' }],
    });
    expect(graphqlRequests(h.fake.calls())[0]).toMatchObject({
      operation: 'UserTeams',
      variables: { login: 'mona' },
    });
  });

  it('lists a team’s members', async () => {
    await using h = await harness({
      routes: { 'GET /orgs/acme/teams/core/members': ok([user('mona'), user('hubot', 'Bot')]) },
    });
    const result = await h.call('get_team_members', { org: 'acme', team_slug: 'core' });
    expect(result.structuredContent).toMatchObject({
      members: [
        { login: 'mona', type: 'User' },
        { login: 'hubot', type: 'Bot' },
      ],
    });
  });
});

describe('list_issue_types', () => {
  const bug = {
    id: 410,
    node_id: 'IT_kwDOBug',
    name: 'Bug',
    description: 'An unexpected problem or behavior',
    color: 'red',
    created_at: '2024-12-11T14:39:09Z',
    updated_at: '2024-12-11T14:39:09Z',
    is_enabled: true,
  };
  const shown = {
    id: 'IT_kwDOBug',
    name: 'Bug',
    description: 'An unexpected problem or behavior',
    color: 'red',
    enabled: true,
  };

  it('reads an organisation’s types, and a repository’s from its organisation', async () => {
    await using h = await harness({ routes: { 'GET /orgs/acme/issue-types': ok([bug]) } });
    const org = await h.call('list_issue_types', { owner: 'acme' });
    expect(org.structuredContent).toEqual({ issueTypes: [shown] });
    const repo = await h.call('list_issue_types', { owner: 'acme', repo: 'app' });
    expect(repo.structuredContent).toEqual({ issueTypes: [shown] });
    expect(h.fake.calls().map((request) => `${request.method} ${request.path}`)).toEqual([
      'GET /orgs/acme/issue-types',
      'GET /orgs/acme/issue-types',
    ]);
  });

  it('checks a repository against the allowlist before reading its organisation’s types', async () => {
    await using h = await harness({
      config: { allowlist: parseAllowlist(['acme/app']) },
      routes: { 'GET /orgs/acme/issue-types': ok([bug]) },
    });
    const refused = await h.call('list_issue_types', { owner: 'acme', repo: 'secret' });
    expect(refused.isError).toBe(true);
    expect(h.fake.calls()).toEqual([]);
  });
});

describe('issue dependencies', () => {
  it('lists what blocks an issue and withholds issues outside the allowlist', async () => {
    await using h = await harness({
      config: { allowlist: parseAllowlist(['o/r']) },
      routes: {
        'GET /repos/o/r/issues/5/dependencies/blocked_by': ok([
          issue('o', 'r', 3),
          issue('x', 'hidden', 9),
        ]),
      },
    });
    const result = await h.call('issue_dependency_read', {
      method: 'get_blocked_by',
      owner: 'o',
      repo: 'r',
      issue_number: 5,
    });
    expect(result.structuredContent).toMatchObject({ issues: [{ number: 3 }], withheld: 1 });
    expect(JSON.stringify(result)).not.toContain('hidden');
  });

  it('records "blocking" as the related issue being blocked by the subject, by issue id', async () => {
    await using h = await harness({
      routes: {
        'GET /repos/o/r/issues/5': ok(issue('o', 'r', 5)),
        'POST /repos/o/lib/issues/8/dependencies/blocked_by': ok(issue('o', 'lib', 8), {}, 201),
      },
    });
    const result = await h.call('issue_dependency_write', {
      method: 'add',
      owner: 'o',
      repo: 'r',
      issue_number: 5,
      type: 'blocking',
      related_issue_number: 8,
      related_repo: 'lib',
    });
    expect(result.structuredContent).toEqual({
      method: 'add',
      blocked: 'o/lib#8',
      blocking: 'o/r#5',
    });
    const post = h.fake.calls().find((call) => call.method === 'POST');
    expect(post!.body).toEqual({ issue_id: 5_000_005 });
  });

  it('removes a dependency', async () => {
    await using h = await harness({
      routes: {
        'GET /repos/o/r/issues/3': ok(issue('o', 'r', 3)),
        'DELETE /repos/o/r/issues/5/dependencies/blocked_by/5000003': ok(issue('o', 'r', 3)),
      },
    });
    const result = await h.call('issue_dependency_write', {
      method: 'remove',
      owner: 'o',
      repo: 'r',
      issue_number: 5,
      type: 'blocked_by',
      related_issue_number: 3,
    });
    expect(result.isError, textOf(result)).toBeUndefined();
    expect(h.fake.calls().map((call) => `${call.method} ${call.path}`)).toContain(
      'DELETE /repos/o/r/issues/5/dependencies/blocked_by/5000003',
    );
  });

  it('refuses a related repository outside the allowlist before any request', async () => {
    await using h = await harness({ config: { allowlist: parseAllowlist(['o/r']) } });
    const result = await h.call('issue_dependency_write', {
      method: 'add',
      owner: 'o',
      repo: 'r',
      issue_number: 5,
      type: 'blocked_by',
      related_issue_number: 1,
      related_owner: 'evil',
      related_repo: 'x',
    });
    expect(textOf(result)).toContain('outside the repositories');
    expect(h.fake.requests).toEqual([]);
  });
});

describe('reactions', () => {
  const reaction = (content: string) => ({
    id: 1,
    node_id: 'REA_1',
    user: user('octocat'),
    content,
    created_at: '2026-11-01T00:00:00Z',
  });

  it('reacts to an issue and to a comment', async () => {
    await using h = await harness({
      routes: {
        'POST /repos/o/r/issues/5/reactions': ok(reaction('heart'), {}, 201),
        'POST /repos/o/r/issues/comments/77/reactions': ok(reaction('+1'), {}, 201),
      },
    });
    const onIssue = await h.call('add_issue_reaction', {
      owner: 'o',
      repo: 'r',
      issue_number: 5,
      content: 'heart',
    });
    const onComment = await h.call('add_issue_comment_reaction', {
      owner: 'o',
      repo: 'r',
      comment_id: 77,
      content: '+1',
    });
    expect(onIssue.structuredContent).toEqual({ id: 1, content: 'heart' });
    expect(onComment.structuredContent).toEqual({ id: 1, content: '+1' });
    expect(h.fake.calls().map((call) => call.body)).toEqual([
      { content: 'heart' },
      { content: '+1' },
    ]);
  });

  it('refuses an emoji GitHub does not know', async () => {
    await using h = await harness();
    const result = await h.call('add_issue_reaction', {
      owner: 'o',
      repo: 'r',
      issue_number: 5,
      content: 'skull',
    });
    expect(result.isError).toBe(true);
    expect(h.fake.calls()).toEqual([]);
  });
});
