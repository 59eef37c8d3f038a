/**
 * @module
 * A local stand-in for api.github.com that speaks its wire format: JSON bodies shaped like
 * GitHub's (trimmed real responses), rate-limit headers on every answer, `Link` headers for
 * pagination, GitHub's error bodies, base64 file contents, and a GraphQL endpoint. The real
 * Octokit reaches it through `GITHUB_API_URL`, and every request it receives is recorded.
 */
import {
  fakeHttp,
  type FakeHandler,
  type FakeHttp,
  type FakeResponse,
  type RecordedRequest,
} from '@plugboard/testing';

export type Route = FakeHandler | FakeResponse;

export interface FakeGithubOptions {
  /** Repositories `GET /repos/:owner/:repo` knows, keyed "owner/name"; others are public. */
  readonly repos?: Readonly<Record<string, { private?: boolean; default_branch?: string }>>;
  /** Answer `GET /repos/:owner/:repo` with 404 for repositories not listed in `repos`. */
  readonly strictRepos?: boolean;
}

export const RESET_EPOCH = 1_900_000_000;

export function rateHeaders(remaining = 4999, resource = 'core'): Record<string, string> {
  return {
    'x-ratelimit-limit': '5000',
    'x-ratelimit-remaining': String(remaining),
    'x-ratelimit-reset': String(RESET_EPOCH),
    'x-ratelimit-used': String(5000 - remaining),
    'x-ratelimit-resource': resource,
    'x-github-api-version-selected': '2022-11-28',
  };
}

/** A 200 JSON answer with GitHub's usual headers. */
export function ok(
  body: unknown,
  headers: Record<string, string> = {},
  status = 200,
): FakeResponse {
  return { status, headers: { ...rateHeaders(), ...headers }, body };
}

/** GitHub's error body: `{ message, documentation_url, status }`. */
export function fail(
  status: number,
  message: string,
  headers: Record<string, string> = {},
  extra: Record<string, unknown> = {},
): FakeResponse {
  return {
    status,
    headers: { ...rateHeaders(), ...headers },
    body: {
      message,
      documentation_url: 'https://docs.github.com/rest',
      status: String(status),
      ...extra,
    },
  };
}

/** The `Link` header GitHub sends for page `page` of `lastPage` at `url` (path plus query without page). */
export function linkHeader(
  base: string,
  path: string,
  query: URLSearchParams,
  page: number,
  lastPage: number,
): string {
  const at = (target: number): string => {
    const params = new URLSearchParams(query);
    params.set('page', String(target));
    return `<${base}${path}?${params.toString()}>`;
  };
  const links: string[] = [];
  if (page > 1) links.push(`${at(page - 1)}; rel="prev"`, `${at(1)}; rel="first"`);
  if (page < lastPage) links.push(`${at(page + 1)}; rel="next"`, `${at(lastPage)}; rel="last"`);
  return links.join(', ');
}

/** Serves `items` with GitHub's page/per_page semantics and Link headers. */
export function paged<T>(items: readonly T[], wrap?: (page: T[]) => unknown): FakeHandler {
  return (request) => {
    const page = Number(request.query.page ?? '1');
    const perPage = Number(request.query.per_page ?? '30');
    const lastPage = Math.max(1, Math.ceil(items.length / perPage));
    const slice = items.slice((page - 1) * perPage, page * perPage);
    const link = linkHeader(
      `http://${request.headers.host ?? '127.0.0.1'}`,
      request.path,
      request.searchParams,
      page,
      lastPage,
    );
    return ok(wrap === undefined ? slice : wrap(slice), link === '' ? {} : { link });
  };
}

export function user(login: string, type = 'User') {
  return {
    login,
    id: login.length * 1000,
    node_id: `U_${login}`,
    avatar_url: `https://avatars.githubusercontent.com/u/1?v=4`,
    url: `https://api.github.com/users/${login}`,
    html_url: `https://github.com/${login}`,
    type,
    site_admin: false,
  };
}

export function repository(owner: string, name: string, isPrivate = false, defaultBranch = 'main') {
  return {
    id: 100_000 + name.length,
    node_id: `R_${owner}_${name}`,
    name,
    full_name: `${owner}/${name}`,
    private: isPrivate,
    visibility: isPrivate ? 'private' : 'public',
    owner: user(owner, 'Organization'),
    html_url: `https://github.com/${owner}/${name}`,
    description: `The ${name} project`,
    fork: false,
    url: `https://api.github.com/repos/${owner}/${name}`,
    created_at: '2024-01-02T03:04:05Z',
    updated_at: '2026-11-01T10:00:00Z',
    pushed_at: '2026-11-20T10:00:00Z',
    stargazers_count: 42,
    watchers_count: 42,
    language: 'TypeScript',
    forks_count: 3,
    open_issues_count: 5,
    default_branch: defaultBranch,
    archived: false,
    permissions: { admin: false, maintain: false, push: true, triage: true, pull: true },
  };
}

export function issue(
  owner: string,
  repo: string,
  number: number,
  overrides: Record<string, unknown> = {},
) {
  return {
    url: `https://api.github.com/repos/${owner}/${repo}/issues/${number}`,
    repository_url: `https://api.github.com/repos/${owner}/${repo}`,
    html_url: `https://github.com/${owner}/${repo}/issues/${number}`,
    id: 5_000_000 + number,
    node_id: `I_${number}`,
    number,
    title: `Issue number ${number}`,
    user: user('octocat'),
    labels: [
      {
        id: 1,
        node_id: 'L_1',
        name: 'bug',
        color: 'd73a4a',
        default: true,
        description: "Something isn't working",
      },
    ],
    state: 'open',
    locked: false,
    assignee: null,
    assignees: [],
    milestone: null,
    comments: 2,
    created_at: '2026-11-01T10:00:00Z',
    updated_at: '2026-11-02T10:00:00Z',
    closed_at: null,
    author_association: 'NONE',
    body: `Body of issue ${number}`,
    state_reason: null,
    ...overrides,
  };
}

export function comment(
  owner: string,
  repo: string,
  id: number,
  overrides: Record<string, unknown> = {},
) {
  return {
    url: `https://api.github.com/repos/${owner}/${repo}/issues/comments/${id}`,
    html_url: `https://github.com/${owner}/${repo}/issues/1#issuecomment-${id}`,
    issue_url: `https://api.github.com/repos/${owner}/${repo}/issues/1`,
    id,
    node_id: `IC_${id}`,
    user: user('hubot'),
    created_at: '2026-11-03T10:00:00Z',
    updated_at: '2026-11-03T10:00:00Z',
    author_association: 'CONTRIBUTOR',
    body: `Comment ${id}`,
    ...overrides,
  };
}

export function pull(
  owner: string,
  repo: string,
  number: number,
  overrides: Record<string, unknown> = {},
) {
  const head = {
    label: `${owner}:feature`,
    ref: 'feature',
    sha: 'a'.repeat(40),
    user: user(owner),
    repo: repository(owner, repo),
  };
  const base = {
    label: `${owner}:main`,
    ref: 'main',
    sha: 'b'.repeat(40),
    user: user(owner),
    repo: repository(owner, repo),
  };
  return {
    url: `https://api.github.com/repos/${owner}/${repo}/pulls/${number}`,
    id: 9_000_000 + number,
    node_id: `PR_${number}`,
    html_url: `https://github.com/${owner}/${repo}/pull/${number}`,
    diff_url: `https://github.com/${owner}/${repo}/pull/${number}.diff`,
    number,
    state: 'open',
    locked: false,
    title: `Pull request ${number}`,
    user: user('octocat'),
    body: `Description of pull request ${number}`,
    labels: [],
    milestone: null,
    created_at: '2026-11-05T10:00:00Z',
    updated_at: '2026-11-06T10:00:00Z',
    closed_at: null,
    merged_at: null,
    merge_commit_sha: null,
    assignees: [],
    requested_reviewers: [user('reviewer')],
    head,
    base,
    author_association: 'CONTRIBUTOR',
    draft: false,
    merged: false,
    mergeable: true,
    mergeable_state: 'clean',
    comments: 1,
    review_comments: 2,
    commits: 3,
    additions: 10,
    deletions: 4,
    changed_files: 2,
    ...overrides,
  };
}

export function commit(owner: string, repo: string, sha: string, message = 'Fix the thing') {
  return {
    sha,
    node_id: `C_${sha}`,
    commit: {
      author: { name: 'Mona Lisa', email: 'mona@example.com', date: '2026-11-10T10:00:00Z' },
      committer: { name: 'Mona Lisa', email: 'mona@example.com', date: '2026-11-10T10:00:00Z' },
      message,
      tree: {
        sha: 't'.repeat(40),
        url: `https://api.github.com/repos/${owner}/${repo}/git/trees/${'t'.repeat(40)}`,
      },
      comment_count: 0,
    },
    url: `https://api.github.com/repos/${owner}/${repo}/commits/${sha}`,
    html_url: `https://github.com/${owner}/${repo}/commit/${sha}`,
    author: user('mona'),
    committer: user('mona'),
    parents: [{ sha: 'p'.repeat(40), url: '', html_url: '' }],
  };
}

/** The contents API's answer for a file (object media type), content in base64 like GitHub sends it. */
export function contentFile(
  owner: string,
  repo: string,
  path: string,
  content: string | Buffer,
  sha = 'f'.repeat(40),
) {
  const bytes = typeof content === 'string' ? Buffer.from(content) : content;
  // GitHub wraps base64 at 60 columns with newlines.
  const base64 = (bytes.toString('base64').match(/.{1,60}/g) ?? []).join('\n');
  return {
    type: 'file',
    encoding: 'base64',
    size: bytes.length,
    name: path.split('/').pop(),
    path,
    content: base64,
    sha,
    url: `https://api.github.com/repos/${owner}/${repo}/contents/${path}?ref=main`,
    git_url: `https://api.github.com/repos/${owner}/${repo}/git/blobs/${sha}`,
    html_url: `https://github.com/${owner}/${repo}/blob/main/${path}`,
    download_url: `https://raw.githubusercontent.com/${owner}/${repo}/main/${path}`,
  };
}

/** A GraphQL request as GitHub receives it: the document and its variables. */
export interface GraphqlRequest {
  readonly operation: string | undefined;
  readonly query: string;
  readonly variables: Readonly<Record<string, unknown>>;
}

/** The name of a GraphQL document's operation (`mutation ResolveThread(...)` gives `ResolveThread`). */
export function operationName(query: string): string | undefined {
  return /^\s*(?:query|mutation)\s+([A-Za-z_][A-Za-z0-9_]*)/.exec(query)?.[1];
}

/** The GraphQL requests among `requests`, in order. */
export function graphqlRequests(requests: readonly RecordedRequest[]): GraphqlRequest[] {
  return requests
    .filter((request) => request.method === 'POST' && request.path.endsWith('/graphql'))
    .map((request) => {
      const { query, variables } = request.body as {
        query: string;
        variables?: Record<string, unknown>;
      };
      return { operation: operationName(query), query, variables: variables ?? {} };
    });
}

/** Answers one operation: GitHub's response body, `{ data }` or `{ data: null, errors }`. */
export type GraphqlResolver = (request: GraphqlRequest) => unknown;

/**
 * `POST /graphql` answering by operation name, with GitHub's rate-limit headers; an operation the
 * test did not expect gets GraphQL's error shape, so a stray query fails the test loudly.
 */
export function graphqlEndpoint(
  operations: Readonly<Record<string, GraphqlResolver>>,
): FakeHandler {
  return (request) => {
    const [graph] = graphqlRequests([request]);
    const resolve = graph?.operation === undefined ? undefined : operations[graph.operation];
    if (graph === undefined || resolve === undefined)
      return ok(
        {
          errors: [
            {
              message: `The fake has no operation ${graph?.operation ?? '(anonymous)'}`,
              extensions: { code: 'undefinedField' },
            },
          ],
        },
        rateHeaders(4999, 'graphql'),
      );
    return ok(resolve(graph), rateHeaders(4999, 'graphql'));
  };
}

/** GitHub's GraphQL error body for `type` (NOT_FOUND, FORBIDDEN, ...). */
export function graphqlError(type: string, message: string, path: string[] = []) {
  return { data: null, errors: [{ type, path, locations: [{ line: 1, column: 1 }], message }] };
}

export interface FakeGithub extends FakeHttp {
  /** Requests other than the `GET /repos/:owner/:repo` lookups the server makes for its policy. */
  calls(): RecordedRequest[];
  /**
   * Where the GraphQL exchanged was not GitHub's: a document the server sent that GitHub's
   * schema refuses, or an answer of the fake that GitHub could not give for it. The harness
   * fails the test when this is not empty at close.
   */
  graphqlViolations(): string[];
}

/**
 * A GraphQL route held to GitHub's published schema: the document (and its variables) must
 * validate, and a successful answer must be what executing that document against the schema
 * over the answer's own data gives back.
 */
function checkedGraphql(route: Route, violations: string[]): FakeHandler {
  return async (request) => {
    const response = typeof route === 'function' ? await route(request) : route;
    const [graph] = graphqlRequests([request]);
    if (graph === undefined) return response;
    const { answerErrors, documentErrors } = await import('./github-graphql.js');
    const name = graph.operation ?? '(anonymous)';
    const refused = documentErrors(graph.query);
    violations.push(...refused.map((message) => `${name} is not in GitHub's schema: ${message}`));
    const body = response?.body as { data?: unknown; errors?: unknown } | undefined;
    if (refused.length === 0 && (response?.status ?? 200) === 200 && body?.errors === undefined)
      violations.push(
        ...answerErrors(graph.query, graph.variables, body?.data ?? null).map(
          (message) => `the fake's answer to ${name} is not GitHub's: ${message}`,
        ),
      );
    return response;
  };
}

/** Starts the fake with `routes` plus repository and user defaults. */
export async function fakeGithub(
  routes: Readonly<Record<string, Route>> = {},
  options: FakeGithubOptions = {},
): Promise<FakeGithub> {
  const defaults: Record<string, Route> = {
    'GET /user': ok(
      {
        ...user('octocat'),
        name: 'The Octocat',
        company: '@github',
        public_repos: 8,
        followers: 20,
      },
      { 'x-oauth-scopes': 'repo, read:org' },
    ),
    'GET /repos/:owner/:repo': (request) => {
      const key = `${request.params.owner}/${request.params.repo}`;
      const known = options.repos?.[key];
      if (known === undefined && options.strictRepos === true) return fail(404, 'Not Found');
      return ok(
        repository(
          request.params.owner!,
          request.params.repo!,
          known?.private ?? false,
          known?.default_branch ?? 'main',
        ),
      );
    },
  };
  const violations: string[] = [];
  const checked = Object.fromEntries(
    Object.entries(routes).map(([key, route]) => [
      key,
      /^POST \S*\/graphql$/.test(key) ? checkedGraphql(route, violations) : route,
    ]),
  );
  const fake = await fakeHttp({ ...defaults, ...checked });
  return Object.assign(fake, {
    calls: () =>
      fake.requests.filter(
        (request) => !(request.method === 'GET' && /^\/repos\/[^/]+\/[^/]+$/.test(request.path)),
      ),
    graphqlViolations: () => [...violations],
  });
}
