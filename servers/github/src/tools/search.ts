/**
 * @module
 * The four official search tools. With a repository allowlist the query is narrowed with
 * qualifiers where that is safe, and every result outside the allowlist is dropped afterwards
 * (and counted), so a crafted query can never surface another repository.
 */
import { structured } from '@plugboard/protocol';
import { z } from 'zod';
import type { RepoAllowlist } from '../allowlist.js';
import type { Octokit } from '@octokit/rest';
import { call, defineTool, type GithubContext, type RequestOptions } from '../context.js';
import {
  continuation,
  cursorField,
  hasNextPage,
  pageField,
  pageFields,
  pagedShape,
  pageWithin,
  perPageField,
  startAt,
  type Cursor,
  listOf,
} from '../paging.js';
import type { RepoRef } from '../policy.js';
import { day, defined, login, sizeOf, title } from '../render.js';
import { sanitizeLine, sanitizeText } from '../sanitize.js';
import { itemBudget, READ, repoFromApiUrl } from './common.js';

const MAX_QUERY = 256;

export const q = z.string().min(1).max(MAX_QUERY).describe('Search query');
export const order = z.enum(['asc', 'desc']).optional().describe('Sort order');
const page = pageField;
const perPageSnake = perPageField;

/** Adds allowlist qualifiers to a query that names no repository scope itself, when they fit. */
export function narrowQuery(query: string, allowlist: RepoAllowlist | undefined): string {
  if (allowlist === undefined || /(^|\s)-?(repo|user|org|owner):/i.test(query)) return query;
  const qualifiers = allowlist.qualifiers();
  if (qualifiers === undefined || qualifiers.length === 0) return query;
  const kinds = new Set(qualifiers.map((item) => item.split(':')[0]));
  if (kinds.size > 1) return query;
  const narrowed = `${query} ${qualifiers.join(' ')}`;
  return narrowed.length <= MAX_QUERY ? narrowed : query;
}

interface SearchPage<T> {
  data: { total_count: number; incomplete_results: boolean; items: T[] };
  headers: { link?: string };
}

/** Fetches one search page, keeps what the allowlist admits, and cuts to the budget. */
export async function searchPage<T, R>(
  ctx: GithubContext,
  start: Cursor,
  run: (
    octokit: Octokit,
    req: RequestOptions & { page: number; per_page: number },
  ) => Promise<SearchPage<T>>,
  repoOf: (item: T) => (RepoRef & { isPrivate?: boolean }) | undefined,
  map: (item: T) => R | Promise<R>,
) {
  const response = await call(ctx, (octokit, req) =>
    run(octokit, { ...req, page: start.page, per_page: start.perPage }),
  );
  const kept = response.data.items.filter((item) => {
    const ref = repoOf(item);
    return ref === undefined || ctx.policy.admit(ref.owner, ref.repo, ref.isPrivate);
  });
  const withheld = response.data.items.length - kept.length;
  const mapped = await Promise.all(kept.map(map));
  const paged = pageWithin(
    mapped,
    start,
    hasNextPage(response.headers.link),
    itemBudget(ctx),
    sizeOf,
  );
  return {
    paged,
    totalCount: response.data.total_count,
    incomplete: response.data.incomplete_results,
    withheld,
  };
}

export function footer(result: {
  totalCount: number;
  incomplete: boolean;
  withheld: number;
}): string {
  const notes = [`${result.totalCount} total`];
  if (result.incomplete) notes.push('GitHub timed out, so results may be incomplete');
  if (result.withheld > 0)
    notes.push(`${result.withheld} outside the allowed repositories withheld`);
  return `(${notes.join('; ')})`;
}

export const searchMeta = {
  totalCount: z.number(),
  incompleteResults: z.boolean().optional(),
  withheld: z.number().optional(),
  ...pagedShape,
};

export function meta(result: { totalCount: number; incomplete: boolean; withheld: number }) {
  return defined({
    totalCount: result.totalCount,
    incompleteResults: result.incomplete ? true : undefined,
    withheld: result.withheld > 0 ? result.withheld : undefined,
  });
}

const repoItem = z.object({
  fullName: z.string(),
  description: z.string().optional(),
  private: z.boolean(),
  stars: z.number(),
  language: z.string().optional(),
  updatedAt: z.string().optional(),
  url: z.string(),
});

export const searchRepositories = defineTool({
  name: 'search_repositories',
  title: 'Search repositories',
  description: 'Search repositories (GitHub search syntax, e.g. "topic:mcp language:go").',
  input: z.object({
    query: q,
    page,
    perPage: perPageSnake,
    cursor: cursorField,
  }),
  output: z.object({ repositories: listOf(repoItem), ...searchMeta }),
  toolset: ['repos', 'default'],
  annotations: READ,
  async run({ query, page: pageNumber, perPage, cursor }, ctx) {
    const start = startAt({ page: pageNumber, perPage, cursor });
    const result = await searchPage(
      ctx,
      start,
      (octokit, req) =>
        octokit.rest.search.repos({ q: narrowQuery(query, ctx.config.allowlist), ...req }),
      (item) =>
        item.owner === null
          ? undefined
          : { owner: item.owner.login, repo: item.name, isPrivate: item.private },
      (item) =>
        defined({
          fullName: item.full_name,
          description: item.description === null ? undefined : sanitizeLine(item.description),
          private: item.private,
          stars: item.stargazers_count,
          language: item.language ?? undefined,
          updatedAt: item.updated_at,
          url: item.html_url,
        }),
    );
    const lines = result.paged.items.map(
      (item) =>
        `${item.fullName}${item.private ? ' (private)' : ''} ★${item.stars}${item.language === undefined ? '' : ` ${item.language}`}${item.description === undefined ? '' : ` — ${item.description}`}`,
    );
    return structured(
      { repositories: result.paged.items, ...meta(result), ...pageFields(result.paged) },
      `${lines.length === 0 ? 'No repositories found.' : lines.join('\n')}\n${footer(result)}${continuation(result.paged)}`,
    );
  },
});

const codeItem = z.object({
  repository: z.string(),
  path: z.string(),
  sha: z.string(),
  url: z.string(),
  fragments: z.array(z.string()).optional(),
});

export const searchCode = defineTool({
  name: 'search_code',
  title: 'Search code',
  description:
    'Search code (e.g. "useState repo:owner/name language:ts"); returns paths and matching fragments.',
  input: z.object({
    q,
    order,
    page,
    per_page: perPageSnake,
    cursor: cursorField,
  }),
  output: z.object({ items: listOf(codeItem), ...searchMeta }),
  toolset: ['repos', 'default'],
  annotations: READ,
  async run({ q: query, order: sortOrder, page: pageNumber, per_page, cursor }, ctx) {
    const start = startAt({ page: pageNumber, perPage: per_page, cursor });
    const result = await searchPage(
      ctx,
      start,
      (octokit, req) =>
        octokit.rest.search.code({
          q: narrowQuery(query, ctx.config.allowlist),
          ...(sortOrder === undefined ? {} : { order: sortOrder }),
          headers: { accept: 'application/vnd.github.text-match+json' },
          ...req,
        }),
      (item) => ({
        owner: item.repository.owner.login,
        repo: item.repository.name,
        isPrivate: item.repository.private,
      }),
      (item) =>
        defined({
          repository: item.repository.full_name,
          path: sanitizeLine(item.path, 1000),
          sha: item.sha,
          url: item.html_url,
          fragments: item.text_matches?.flatMap((match) =>
            match.fragment === undefined ? [] : [sanitizeText(match.fragment).slice(0, 1000)],
          ),
        }),
    );
    const lines = result.paged.items.map(
      (item) =>
        `${item.repository}:${item.path}${(item.fragments ?? []).map((fragment) => `\n    ${fragment.replace(/\n/g, '\n    ')}`).join('')}`,
    );
    return structured(
      { items: result.paged.items, ...meta(result), ...pageFields(result.paged) },
      `${lines.length === 0 ? 'No code found.' : lines.join('\n')}\n${footer(result)}${continuation(result.paged)}`,
    );
  },
});

const issueHit = z.object({
  repository: z.string(),
  number: z.number(),
  title: z.string(),
  state: z.string(),
  isPullRequest: z.boolean(),
  author: z.string().optional(),
  authorAssociation: z.string().optional(),
  labels: z.array(z.string()),
  comments: z.number(),
  updatedAt: z.string(),
  url: z.string(),
});

export const searchIssues = defineTool({
  name: 'search_issues',
  title: 'Search issues and pull requests',
  description: 'Search issues and pull requests (e.g. "is:open label:bug repo:owner/name").',
  input: z.object({
    q,
    order,
    page,
    per_page: perPageSnake,
    sort: z
      .enum([
        'comments',
        'reactions',
        'reactions-+1',
        'reactions--1',
        'reactions-smile',
        'reactions-thinking_face',
        'reactions-heart',
        'reactions-tada',
        'interactions',
        'created',
        'updated',
      ])
      .optional()
      .describe('Sort field'),
    cursor: cursorField,
  }),
  output: z.object({ items: listOf(issueHit), ...searchMeta }),
  toolset: ['issues', 'default'],
  annotations: READ,
  async run({ q: query, order: sortOrder, page: pageNumber, per_page, sort, cursor }, ctx) {
    const start = startAt({ page: pageNumber, perPage: per_page, cursor });
    const trust = new Map<string, Promise<(association: string | undefined) => boolean>>();
    const trusted = (ref: RepoRef, association: string) => {
      const key = `${ref.owner}/${ref.repo}`.toLowerCase();
      let decide = trust.get(key);
      if (decide === undefined) {
        decide = ctx.policy.trust(ctx, ref);
        trust.set(key, decide);
      }
      return decide.then((fn) => fn(association));
    };
    const result = await searchPage(
      ctx,
      start,
      (octokit, req) =>
        octokit.rest.search.issuesAndPullRequests({
          q: narrowQuery(query, ctx.config.allowlist),
          ...(sortOrder === undefined ? {} : { order: sortOrder }),
          ...(sort === undefined ? {} : { sort }),
          ...req,
        }),
      (item) => repoFromApiUrl(item.repository_url),
      async (item) => {
        const ref = repoFromApiUrl(item.repository_url);
        const ok = ref === undefined ? true : await trusted(ref, item.author_association);
        return defined({
          repository: ref === undefined ? '' : `${ref.owner}/${ref.repo}`,
          number: item.number,
          title: title(item.title, ok),
          state: item.state,
          isPullRequest: item.pull_request !== undefined,
          author: login(item.user),
          authorAssociation: item.author_association,
          labels: item.labels.map((label) =>
            sanitizeLine(typeof label === 'string' ? label : (label.name ?? ''), 100),
          ),
          comments: item.comments,
          updatedAt: item.updated_at,
          url: item.html_url,
        });
      },
    );
    const lines = result.paged.items.map(
      (item) =>
        `${item.repository}#${item.number} [${item.isPullRequest ? 'PR ' : ''}${item.state}] ${item.title} — @${item.author ?? '?'}, ${item.comments} comments, updated ${day(item.updatedAt)}${item.labels.length === 0 ? '' : ` {${item.labels.join(', ')}}`}`,
    );
    return structured(
      { items: result.paged.items, ...meta(result), ...pageFields(result.paged) },
      `${lines.length === 0 ? 'Nothing found.' : lines.join('\n')}\n${footer(result)}${continuation(result.paged)}`,
    );
  },
});

const userHit = z.object({ login: z.string(), type: z.string(), url: z.string() });

export const searchUsers = defineTool({
  name: 'search_users',
  title: 'Search users',
  description: 'Search users and organizations (e.g. "location:berlin language:rust").',
  input: z.object({
    q,
    order,
    page,
    per_page: perPageSnake,
    sort: z.enum(['followers', 'repositories', 'joined']).optional().describe('Sort field'),
    cursor: cursorField,
  }),
  output: z.object({ users: listOf(userHit), ...searchMeta }),
  toolset: ['users', 'default'],
  annotations: READ,
  async run({ q: query, order: sortOrder, page: pageNumber, per_page, sort, cursor }, ctx) {
    const start = startAt({ page: pageNumber, perPage: per_page, cursor });
    const result = await searchPage(
      ctx,
      start,
      (octokit, req) =>
        octokit.rest.search.users({
          q: query,
          ...(sortOrder === undefined ? {} : { order: sortOrder }),
          ...(sort === undefined ? {} : { sort }),
          ...req,
        }),
      () => undefined,
      (item) => ({ login: sanitizeLine(item.login, 60), type: item.type, url: item.html_url }),
    );
    const lines = result.paged.items.map((item) => `${item.login} (${item.type}) ${item.url}`);
    return structured(
      { users: result.paged.items, ...meta(result), ...pageFields(result.paged) },
      `${lines.length === 0 ? 'No users found.' : lines.join('\n')}\n${footer(result)}${continuation(result.paged)}`,
    );
  },
});
