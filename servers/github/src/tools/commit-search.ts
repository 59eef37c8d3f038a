/**
 * @module
 * Searching commits by message, author and date across repositories (GitHub searches default
 * branches only). Results outside the allowlist are withheld like every other search.
 */
import { structured } from '@plugboard/protocol';
import { z } from 'zod';
import { defineTool } from '../context.js';
import {
  continuation,
  cursorField,
  listOf,
  pageField,
  pageFields,
  perPageField,
  startAt,
} from '../paging.js';
import { day, defined, shortSha } from '../render.js';
import { READ, repoFromApiUrl } from './common.js';
import { commitItem, toCommitItem } from './repos.js';
import { footer, meta, narrowQuery, order, searchMeta, searchPage } from './search.js';

const commitHit = commitItem.extend({ repository: z.string() });

export const searchCommits = defineTool({
  name: 'search_commits',
  title: 'Search commits',
  description:
    'Search commits on default branches (e.g. "fix leak repo:owner/name author:mona committer-date:>2026-01-01"); returns the first line of each message.',
  input: z.object({
    query: z.string().min(1).max(256).describe('Commit search query'),
    sort: z
      .enum(['author-date', 'committer-date'])
      .optional()
      .describe('Sort by author or committer date (default: best match)'),
    order,
    page: pageField,
    perPage: perPageField,
    cursor: cursorField,
  }),
  output: z.object({ commits: listOf(commitHit), ...searchMeta }),
  toolset: 'repos',
  annotations: READ,
  async run(args, ctx) {
    const start = startAt(args);
    const result = await searchPage(
      ctx,
      start,
      (octokit, req) =>
        octokit.rest.search.commits({
          q: narrowQuery(args.query, ctx.config.allowlist),
          ...defined({ sort: args.sort, order: args.order }),
          ...req,
        }),
      (item) => repoFromApiUrl(item.repository.url),
      (item) => ({ repository: item.repository.full_name, ...toCommitItem(item) }),
    );
    const lines = result.paged.items.map(
      (item) =>
        `${item.repository}@${shortSha(item.sha)} ${day(item.date)} ${item.author ?? '?'}: ${item.message}`,
    );
    return structured(
      { commits: result.paged.items, ...meta(result), ...pageFields(result.paged) },
      `${lines.length === 0 ? 'No commits found.' : lines.join('\n')}\n${footer(result)}${continuation(result.paged)}`,
    );
  },
});
