/**
 * @module
 * Input fields and small helpers the tool files share. Arguments the official server had keep
 * its spelling (`issue_number`, `pull_number`, `per_page` where it used that); new ones are
 * camelCase.
 */
import { annotationPresets } from '@plugboard/kit/tools';
import type { Octokit } from '@octokit/rest';
import { z } from 'zod';
import { call, type GithubContext, type RequestOptions } from '../context.js';
import { hasNextPage, pageWithin, type Cursor, type Paged } from '../paging.js';
import { sizeOf } from '../render.js';

export const owner = z.string().describe('Repository owner');
export const repo = z.string().describe('Repository name');
export const issueNumber = z.number().int().positive().describe('Issue number');
export const pullNumber = z.number().int().positive().describe('Pull request number');

/**
 * Annotations of tools that only read GitHub, that add something new (an issue, a comment, a
 * branch), and that change or overwrite what exists.
 */
export const { READ, CREATE, UPDATE, DELETE } = annotationPresets({ openWorld: true });

/** Bytes of items a listing may return, leaving room for the rest of the result. */
export function itemBudget(ctx: GithubContext): number {
  return ctx.config.outputBudget - 2048;
}

/** `owner/repo` from a GitHub API URL such as `https://api.github.com/repos/o/r`. */
export function repoFromApiUrl(
  url: string | null | undefined,
): { owner: string; repo: string } | undefined {
  const match = /\/repos\/([^/]+)\/([^/?#]+)/.exec(url ?? '');
  return match === null
    ? undefined
    : { owner: decodeURIComponent(match[1]!), repo: decodeURIComponent(match[2]!) };
}

/** One page of a GitHub list endpoint, mapped, cut to the output budget, with an honest cursor. */
export async function listPage<T, R>(
  ctx: GithubContext,
  start: Cursor,
  fetchPage: (
    octokit: Octokit,
    req: RequestOptions & { page: number; per_page: number },
  ) => Promise<{ data: T[]; headers: { link?: string } }>,
  map: (raw: T) => R,
): Promise<Paged<R>> {
  const response = await call(ctx, (octokit, req) =>
    fetchPage(octokit, { ...req, page: start.page, per_page: start.perPage }),
  );
  return pageWithin(
    response.data.map(map),
    start,
    hasNextPage(response.headers.link),
    itemBudget(ctx),
    sizeOf,
  );
}
