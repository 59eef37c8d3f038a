/**
 * Drop-in compatibility with @modelcontextprotocol/server-github@2025.4.8: every official tool
 * exists by default with the official argument names and required set, and a call written for
 * the official server reaches the same GitHub endpoint through ours. Tools github/github-mcp-server
 * also has take its argument names, apart from differences the README explains.
 */
import { readFile } from 'node:fs/promises';
import { toolsetsOf } from '@plugboard/kit/tools';
import type { RecordedRequest } from '@plugboard/testing';
import { describe, expect, it } from 'vitest';
import {
  comment,
  commit,
  contentFile,
  issue,
  ok,
  pull,
  repository,
  user,
  type Route,
} from '../test/fake-github.js';
import { harness, textOf } from '../test/harness.js';
import { EXPLAINED, LEADER_TOOLS } from '../test/leader-tools.js';
import { OFFICIAL_TOOLS } from '../test/official-tools.js';
import { tools } from './tools/index.js';

const SHA = 'a'.repeat(40);

/** One call per official tool with official-style arguments, the route it must reach, and the fake's answer. */
const CALLS: {
  tool: string;
  args: Record<string, unknown>;
  expect: string;
  routes: Record<string, Route>;
  check?: (request: RecordedRequest) => void;
}[] = [
  {
    tool: 'create_or_update_file',
    args: {
      owner: 'o',
      repo: 'r',
      path: 'docs/a.md',
      content: 'héllo',
      message: 'Add a',
      branch: 'topic',
      sha: 'b'.repeat(40),
    },
    expect: 'PUT /repos/o/r/contents/docs%2Fa.md',
    routes: {
      'GET /repos/o/r/contents/*': ok(contentFile('o', 'r', 'docs/a.md', 'old', 'b'.repeat(40))),
      'PUT /repos/o/r/contents/*': ok({
        content: { sha: 'n'.repeat(40) },
        commit: { sha: 'c'.repeat(40), html_url: 'https://github.com/o/r/commit/c' },
      }),
    },
    check: (request) =>
      expect(request.body).toEqual({
        message: 'Add a',
        content: Buffer.from('héllo').toString('base64'),
        branch: 'topic',
        sha: 'b'.repeat(40),
      }),
  },
  {
    tool: 'search_repositories',
    args: { query: 'mcp', page: 2, perPage: 5 },
    expect: 'GET /search/repositories',
    routes: {
      'GET /search/repositories': ok({
        total_count: 1,
        incomplete_results: false,
        items: [repository('o', 'r')],
      }),
    },
    check: (request) => expect(request.query).toEqual({ q: 'mcp', page: '2', per_page: '5' }),
  },
  {
    tool: 'create_repository',
    args: { name: 'new-repo', description: 'd', private: true, autoInit: true },
    expect: 'POST /user/repos',
    routes: { 'POST /user/repos': ok(repository('octocat', 'new-repo', true), {}, 201) },
    check: (request) =>
      expect(request.body).toEqual({
        name: 'new-repo',
        description: 'd',
        private: true,
        auto_init: true,
      }),
  },
  {
    tool: 'get_file_contents',
    args: { owner: 'o', repo: 'r', path: 'README.md', branch: 'dev' },
    expect: 'GET /repos/o/r/contents/README.md',
    routes: {
      'GET /repos/o/r/contents/README.md': ok(contentFile('o', 'r', 'README.md', '# Hello\n')),
    },
    check: (request) => expect(request.query).toEqual({ ref: 'dev' }),
  },
  {
    tool: 'push_files',
    args: {
      owner: 'o',
      repo: 'r',
      branch: 'topic',
      message: 'Two files',
      files: [
        { path: 'a.txt', content: 'A' },
        { path: 'b/c.txt', content: 'C' },
      ],
    },
    expect: 'PATCH /repos/o/r/git/refs/heads%2Ftopic',
    routes: {
      'GET /repos/o/r/git/ref/*': ok({
        ref: 'refs/heads/topic',
        object: { sha: SHA, type: 'commit' },
      }),
      'GET /repos/o/r/git/commits/:sha': ok({
        sha: SHA,
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
      'PATCH /repos/o/r/git/refs/*': ok({
        ref: 'refs/heads/topic',
        object: { sha: 'c'.repeat(40) },
      }),
    },
    check: (request) => expect(request.body).toEqual({ sha: 'c'.repeat(40), force: false }),
  },
  {
    tool: 'create_issue',
    args: {
      owner: 'o',
      repo: 'r',
      title: 'Bug',
      body: 'b',
      assignees: ['a'],
      milestone: 2,
      labels: ['bug'],
    },
    expect: 'POST /repos/o/r/issues',
    routes: { 'POST /repos/o/r/issues': ok(issue('o', 'r', 7), {}, 201) },
    check: (request) =>
      expect(request.body).toEqual({
        title: 'Bug',
        body: 'b',
        assignees: ['a'],
        milestone: 2,
        labels: ['bug'],
      }),
  },
  {
    tool: 'create_pull_request',
    args: {
      owner: 'o',
      repo: 'r',
      title: 'PR',
      body: 'b',
      head: 'fork-owner:topic',
      base: 'main',
      draft: true,
      maintainer_can_modify: false,
    },
    expect: 'POST /repos/o/r/pulls',
    routes: { 'POST /repos/o/r/pulls': ok(pull('o', 'r', 8), {}, 201) },
    check: (request) =>
      expect(request.body).toEqual({
        title: 'PR',
        head: 'fork-owner:topic',
        base: 'main',
        body: 'b',
        draft: true,
        maintainer_can_modify: false,
      }),
  },
  {
    tool: 'fork_repository',
    args: { owner: 'o', repo: 'r', organization: 'my-org' },
    expect: 'POST /repos/o/r/forks',
    routes: { 'POST /repos/o/r/forks': ok(repository('my-org', 'r'), {}, 202) },
    check: (request) => expect(request.body).toEqual({ organization: 'my-org' }),
  },
  {
    tool: 'create_branch',
    args: { owner: 'o', repo: 'r', branch: 'feature/x', from_branch: 'dev' },
    expect: 'POST /repos/o/r/git/refs',
    routes: {
      'GET /repos/o/r/git/ref/*': ok({
        ref: 'refs/heads/dev',
        object: { sha: SHA, type: 'commit' },
      }),
      'POST /repos/o/r/git/refs': ok(
        { ref: 'refs/heads/feature/x', object: { sha: SHA } },
        {},
        201,
      ),
    },
    check: (request) => expect(request.body).toEqual({ ref: 'refs/heads/feature/x', sha: SHA }),
  },
  {
    tool: 'list_commits',
    args: { owner: 'o', repo: 'r', sha: 'dev', page: 3, perPage: 10 },
    expect: 'GET /repos/o/r/commits',
    routes: { 'GET /repos/o/r/commits': ok([commit('o', 'r', SHA)]) },
    check: (request) => expect(request.query).toEqual({ sha: 'dev', page: '3', per_page: '10' }),
  },
  {
    tool: 'list_issues',
    args: {
      owner: 'o',
      repo: 'r',
      direction: 'asc',
      labels: ['bug', 'ui'],
      page: 2,
      per_page: 50,
      since: '2026-01-01T00:00:00Z',
      sort: 'updated',
      state: 'all',
    },
    expect: 'GET /repos/o/r/issues',
    routes: { 'GET /repos/o/r/issues': ok([issue('o', 'r', 1)]) },
    check: (request) =>
      expect(request.query).toEqual({
        direction: 'asc',
        labels: 'bug,ui',
        since: '2026-01-01T00:00:00Z',
        sort: 'updated',
        state: 'all',
        page: '2',
        per_page: '50',
      }),
  },
  {
    tool: 'update_issue',
    args: {
      owner: 'o',
      repo: 'r',
      issue_number: 4,
      title: 'T',
      body: 'B',
      assignees: [],
      milestone: 1,
      labels: ['x'],
      state: 'closed',
    },
    expect: 'PATCH /repos/o/r/issues/4',
    routes: { 'PATCH /repos/o/r/issues/4': ok(issue('o', 'r', 4, { state: 'closed' })) },
    check: (request) =>
      expect(request.body).toEqual({
        title: 'T',
        body: 'B',
        assignees: [],
        milestone: 1,
        labels: ['x'],
        state: 'closed',
      }),
  },
  {
    tool: 'add_issue_comment',
    args: { owner: 'o', repo: 'r', issue_number: 4, body: 'Thanks' },
    expect: 'POST /repos/o/r/issues/4/comments',
    routes: { 'POST /repos/o/r/issues/4/comments': ok(comment('o', 'r', 11), {}, 201) },
    check: (request) => expect(request.body).toEqual({ body: 'Thanks' }),
  },
  {
    tool: 'search_code',
    args: { q: 'useState language:ts', order: 'asc', page: 1, per_page: 10 },
    expect: 'GET /search/code',
    routes: {
      'GET /search/code': ok({
        total_count: 1,
        incomplete_results: false,
        items: [
          {
            name: 'a.ts',
            path: 'src/a.ts',
            sha: SHA,
            html_url: 'https://github.com/o/r/blob/main/src/a.ts',
            repository: repository('o', 'r'),
            text_matches: [{ fragment: 'const [a] = useState()' }],
          },
        ],
      }),
    },
    check: (request) => {
      expect(request.query).toEqual({
        q: 'useState language:ts',
        order: 'asc',
        page: '1',
        per_page: '10',
      });
      expect(request.headers.accept).toBe('application/vnd.github.text-match+json');
    },
  },
  {
    tool: 'search_issues',
    args: { q: 'is:open bug', order: 'desc', page: 1, per_page: 20, sort: 'comments' },
    expect: 'GET /search/issues',
    routes: {
      'GET /search/issues': ok({
        total_count: 1,
        incomplete_results: false,
        items: [issue('o', 'r', 3)],
      }),
    },
    check: (request) =>
      expect(request.query).toEqual({
        q: 'is:open bug',
        order: 'desc',
        sort: 'comments',
        page: '1',
        per_page: '20',
      }),
  },
  {
    tool: 'search_users',
    args: { q: 'location:berlin', sort: 'followers', per_page: 5 },
    expect: 'GET /search/users',
    routes: {
      'GET /search/users': ok({ total_count: 1, incomplete_results: false, items: [user('mona')] }),
    },
    check: (request) =>
      expect(request.query).toEqual({
        q: 'location:berlin',
        sort: 'followers',
        page: '1',
        per_page: '5',
      }),
  },
  {
    tool: 'get_issue',
    args: { owner: 'o', repo: 'r', issue_number: 5 },
    expect: 'GET /repos/o/r/issues/5',
    routes: { 'GET /repos/o/r/issues/5': ok(issue('o', 'r', 5)) },
  },
  {
    tool: 'get_pull_request',
    args: { owner: 'o', repo: 'r', pull_number: 6 },
    expect: 'GET /repos/o/r/pulls/6',
    routes: { 'GET /repos/o/r/pulls/6': ok(pull('o', 'r', 6)) },
  },
  {
    tool: 'list_pull_requests',
    args: {
      owner: 'o',
      repo: 'r',
      state: 'closed',
      head: 'o:topic',
      base: 'main',
      sort: 'popularity',
      direction: 'asc',
      per_page: 10,
      page: 2,
    },
    expect: 'GET /repos/o/r/pulls',
    routes: { 'GET /repos/o/r/pulls': ok([pull('o', 'r', 6)]) },
    check: (request) =>
      expect(request.query).toEqual({
        state: 'closed',
        head: 'o:topic',
        base: 'main',
        sort: 'popularity',
        direction: 'asc',
        page: '2',
        per_page: '10',
      }),
  },
  {
    tool: 'create_pull_request_review',
    args: {
      owner: 'o',
      repo: 'r',
      pull_number: 6,
      commit_id: SHA,
      body: 'LGTM with nits',
      event: 'COMMENT',
      comments: [
        { path: 'a.ts', position: 3, body: 'nit' },
        { path: 'b.ts', line: 10, body: 'why?' },
      ],
    },
    expect: 'POST /repos/o/r/pulls/6/reviews',
    routes: {
      'POST /repos/o/r/pulls/6/reviews': ok({
        id: 80,
        state: 'COMMENTED',
        html_url: 'https://github.com/o/r/pull/6#pullrequestreview-80',
        user: user('me'),
        body: 'x',
      }),
    },
    check: (request) =>
      expect(request.body).toEqual({
        body: 'LGTM with nits',
        event: 'COMMENT',
        commit_id: SHA,
        comments: [
          { path: 'a.ts', position: 3, body: 'nit' },
          { path: 'b.ts', line: 10, body: 'why?' },
        ],
      }),
  },
  {
    tool: 'merge_pull_request',
    args: {
      owner: 'o',
      repo: 'r',
      pull_number: 6,
      commit_title: 'Merge',
      commit_message: 'details',
      merge_method: 'squash',
    },
    expect: 'PUT /repos/o/r/pulls/6/merge',
    routes: {
      'PUT /repos/o/r/pulls/6/merge': ok({
        sha: SHA,
        merged: true,
        message: 'Pull Request successfully merged',
      }),
    },
    check: (request) =>
      expect(request.body).toEqual({
        commit_title: 'Merge',
        commit_message: 'details',
        merge_method: 'squash',
      }),
  },
  {
    tool: 'get_pull_request_files',
    args: { owner: 'o', repo: 'r', pull_number: 6 },
    expect: 'GET /repos/o/r/pulls/6/files',
    routes: {
      'GET /repos/o/r/pulls/6/files': ok([
        {
          sha: SHA,
          filename: 'a.ts',
          status: 'modified',
          additions: 2,
          deletions: 1,
          changes: 3,
          blob_url: '',
          raw_url: '',
          contents_url: '',
          patch: '@@ -1 +1 @@\n-a\n+b',
        },
      ]),
    },
  },
  {
    tool: 'get_pull_request_status',
    args: { owner: 'o', repo: 'r', pull_number: 6 },
    expect: `GET /repos/o/r/commits/${SHA}/check-runs`,
    routes: {
      'GET /repos/o/r/pulls/6': ok(
        pull('o', 'r', 6, { head: { label: 'o:topic', ref: 'topic', sha: SHA } }),
      ),
      [`GET /repos/o/r/commits/${SHA}/status`]: ok({
        state: 'success',
        sha: SHA,
        total_count: 1,
        statuses: [
          {
            context: 'ci/legacy',
            state: 'success',
            description: 'ok',
            target_url: 'https://ci.example/1',
          },
        ],
      }),
      [`GET /repos/o/r/commits/${SHA}/check-runs`]: ok({
        total_count: 1,
        check_runs: [
          {
            id: 1,
            name: 'build',
            status: 'completed',
            conclusion: 'success',
            html_url: 'https://github.com/o/r/runs/1',
          },
        ],
      }),
    },
  },
  {
    tool: 'update_pull_request_branch',
    args: { owner: 'o', repo: 'r', pull_number: 6, expected_head_sha: SHA },
    expect: 'PUT /repos/o/r/pulls/6/update-branch',
    routes: {
      'PUT /repos/o/r/pulls/6/update-branch': ok(
        { message: 'Updating pull request branch.', url: 'https://github.com/o/r/pull/6' },
        {},
        202,
      ),
    },
    check: (request) => expect(request.body).toEqual({ expected_head_sha: SHA }),
  },
  {
    tool: 'get_pull_request_comments',
    args: { owner: 'o', repo: 'r', pull_number: 6 },
    expect: 'GET /repos/o/r/pulls/6/comments',
    routes: {
      'GET /repos/o/r/pulls/6/comments': ok([
        {
          ...comment('o', 'r', 3),
          path: 'a.ts',
          line: 2,
          diff_hunk: '@@',
          commit_id: SHA,
          original_commit_id: SHA,
          pull_request_url: '',
        },
      ]),
    },
  },
  {
    tool: 'get_pull_request_reviews',
    args: { owner: 'o', repo: 'r', pull_number: 6 },
    expect: 'GET /repos/o/r/pulls/6/reviews',
    routes: {
      'GET /repos/o/r/pulls/6/reviews': ok([
        {
          id: 1,
          user: user('rev'),
          body: 'Looks good',
          state: 'APPROVED',
          author_association: 'MEMBER',
          submitted_at: '2026-11-01T00:00:00Z',
          commit_id: SHA,
          html_url: 'h',
          pull_request_url: 'p',
        },
      ]),
    },
  },
];

describe('drop-in compatibility with the official GitHub server', () => {
  it('exposes every official tool by default', () => {
    // The hosted-only account tool (behind the hostedAccounts gate) is not the official server's.
    const defaults = tools.filter(
      (tool) => toolsetsOf(tool).includes('default') && tool.requires === undefined,
    );
    expect(defaults.map((tool) => tool.name).sort()).toEqual(
      [...Object.keys(OFFICIAL_TOOLS), 'get_me'].sort(),
    );
  });

  for (const [name, official] of Object.entries(OFFICIAL_TOOLS)) {
    it(`${name} takes the official arguments with the official required set`, () => {
      const tool = tools.find((candidate) => candidate.name === name);
      expect(tool, name).toBeDefined();
      const schema = tool!.descriptor().inputSchema as {
        properties: Record<string, unknown>;
        required?: string[];
      };
      const argumentNames = official.map((entry) => entry.replace(/!$/, ''));
      expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(argumentNames));
      expect([...(schema.required ?? [])].sort()).toEqual(
        official
          .filter((entry) => entry.endsWith('!'))
          .map((entry) => entry.slice(0, -1))
          .sort(),
      );
    });
  }

  it('has a call for every official tool below', () => {
    expect(CALLS.map((call) => call.tool).sort()).toEqual(Object.keys(OFFICIAL_TOOLS).sort());
  });

  for (const call of CALLS) {
    it(`${call.tool} called the official way reaches ${call.expect}`, async () => {
      await using h = await harness({ routes: call.routes });
      const result = await h.call(call.tool, call.args);
      expect(result.isError, textOf(result)).toBeUndefined();
      expect(result.structuredContent).toBeDefined();
      const [method, path] = call.expect.split(' ');
      const request = h.fake
        .calls()
        .find((candidate) => candidate.method === method && candidate.path === path);
      expect(
        request,
        `${call.expect} in ${h.fake
          .calls()
          .map((candidate) => `${candidate.method} ${candidate.path}`)
          .join(', ')}`,
      ).toBeDefined();
      call.check?.(request!);
    });
  }
});

describe('argument names shared with github/github-mcp-server', () => {
  for (const [name, theirs] of Object.entries(LEADER_TOOLS)) {
    it(`${name} takes github-mcp-server's arguments and required set`, async () => {
      const tool = tools.find((candidate) => candidate.name === name);
      expect(tool, name).toBeDefined();
      const schema = tool!.descriptor().inputSchema as {
        properties: Record<string, unknown>;
        required?: string[];
      };
      // The official server's arguments are the drop-in's and explained as such.
      const official = (OFFICIAL_TOOLS[name] ?? []).map((entry) => entry.replace(/!$/, ''));
      const explained = new Set([...(EXPLAINED[name] ?? []), ...official]);
      const ours = Object.keys(schema.properties).filter((key) => !explained.has(key));
      const names = theirs
        .map((entry) => entry.replace(/!$/, ''))
        .filter((key) => !explained.has(key));
      expect(ours.sort()).toEqual(names.sort());
      expect([...(schema.required ?? [])].filter((key) => !explained.has(key)).sort()).toEqual(
        theirs
          .filter((entry) => entry.endsWith('!'))
          .map((entry) => entry.slice(0, -1))
          .filter((key) => !explained.has(key))
          .sort(),
      );
      // Prettier may wrap a line between a tool and its argument.
      const readme = (await readFile(new URL('../README.md', import.meta.url), 'utf8')).replace(
        /\s+/g,
        ' ',
      );
      for (const key of EXPLAINED[name] ?? [])
        expect(readme, `${name}.${key}`).toContain(`\`${name}\` \`${key}\``);
    });
  }
});
