/**
 * @module
 * Git blame of one file over GraphQL (REST has none): which commit last changed each range of
 * lines, optionally only the ranges overlapping a window of lines. Commits are listed once and
 * ranges refer to them by SHA; ranges are paged within the output budget.
 */
import { structured, ToolError } from '@plugboard/protocol';
import { z } from 'zod';
import { defineTool } from '../context.js';
import { graphql } from '../graphql.js';
import {
  continuation,
  decodeOffset,
  encodeOffset,
  pagedShape,
  perPageField,
  sliceWithin,
} from '../paging.js';
import { day, defined, shortSha, sizeOf } from '../render.js';
import { sanitizeLine } from '../sanitize.js';
import { checkRef, checkRepoPath } from '../validate.js';
import { itemBudget, owner, READ, repo } from './common.js';

const FILE_BLAME = `query FileBlame($owner: String!, $repo: String!, $ref: String!, $path: String!) {
  repository(owner: $owner, name: $repo) {
    object(expression: $ref) {
      ... on Commit {
        blame(path: $path) {
          ranges {
            startingLine endingLine age
            commit { oid messageHeadline committedDate url author { name user { login } } }
          }
        }
      }
    }
  }
}`;

interface RawRange {
  startingLine: number;
  endingLine: number;
  age: number;
  commit: {
    oid: string;
    messageHeadline: string;
    committedDate: string;
    url: string;
    author: { name: string | null; user: { login: string } | null } | null;
  };
}

const range = z.object({
  startLine: z.number(),
  endLine: z.number(),
  sha: z.string(),
  age: z.number().describe('1 (oldest) to 10 (newest)'),
});

const blameCommit = z.object({
  message: z.string(),
  author: z.string().optional(),
  date: z.string(),
  url: z.string(),
});

export const getFileBlame = defineTool({
  name: 'get_file_blame',
  title: 'Get file blame',
  description:
    'Which commit last changed each range of lines of a file (git blame), optionally only within start_line..end_line. Commits are listed once, keyed by SHA.',
  input: z.object({
    owner,
    repo,
    path: z.string().describe('Path to the file in the repository'),
    ref: z.string().optional().describe('Branch, tag or commit (default: the default branch)'),
    start_line: z.number().int().min(1).optional().describe('First line of the window of interest'),
    end_line: z.number().int().min(1).optional().describe('Last line of the window of interest'),
    perPage: perPageField,
    after: z.string().max(200).optional().describe('nextCursor of the previous result'),
  }),
  output: z.object({
    path: z.string(),
    ref: z.string(),
    ranges: z.array(range),
    commits: z.record(z.string(), blameCommit),
    ...pagedShape,
  }),
  toolset: 'repos',
  annotations: READ,
  auditTarget: ['owner', 'repo', 'path'],
  async run(args, ctx) {
    if (
      args.start_line !== undefined &&
      args.end_line !== undefined &&
      args.end_line < args.start_line
    )
      throw new ToolError('end_line: must not be before start_line.');
    const target = await ctx.policy.target(ctx, args.owner, args.repo, 'read');
    const path = checkRepoPath(args.path);
    const ref = args.ref === undefined ? 'HEAD' : checkRef(args.ref);
    const data = await graphql<{
      repository: { object: { blame?: { ranges: RawRange[] } } | null } | null;
    }>(ctx, FILE_BLAME, { owner: target.owner, repo: target.repo, ref, path });
    const blame = data.repository?.object?.blame;
    if (blame === undefined)
      throw new ToolError(
        `Not found: ${target.owner}/${target.repo} has no commit "${ref}", or the token cannot see it.`,
      );
    const from = args.start_line ?? 1;
    const to = args.end_line ?? Number.POSITIVE_INFINITY;
    const wanted = blame.ranges.filter((raw) => raw.endingLine >= from && raw.startingLine <= to);
    // Blame comes whole from GitHub; it is paged here, by perPage and by the output budget.
    const offset = decodeOffset(args.after);
    const paged = sliceWithin(
      wanted.slice(0, offset + (args.perPage ?? 100)),
      offset,
      itemBudget(ctx),
      sizeOf,
    );
    const next = offset + paged.items.length;
    const page =
      next < wanted.length
        ? { truncated: true, nextCursor: encodeOffset(next) }
        : { truncated: false };
    const ranges = paged.items.map((raw) => ({
      startLine: raw.startingLine,
      endLine: raw.endingLine,
      sha: raw.commit.oid,
      age: raw.age,
    }));
    const commits: Record<string, z.infer<typeof blameCommit>> = {};
    for (const raw of paged.items) {
      const author = raw.commit.author;
      commits[raw.commit.oid] ??= defined({
        message: sanitizeLine(raw.commit.messageHeadline),
        author:
          author?.user?.login !== undefined
            ? sanitizeLine(author.user.login, 60)
            : author?.name == null
              ? undefined
              : sanitizeLine(author.name, 100),
        date: raw.commit.committedDate,
        url: raw.commit.url,
      });
    }
    const lines = ranges.map((item) => {
      const info = commits[item.sha]!;
      return `${item.startLine}-${item.endLine} ${shortSha(item.sha)} ${day(info.date)} ${info.author ?? '?'}: ${info.message}`;
    });
    return structured(
      { path, ref, ranges, commits, ...page },
      `${lines.length === 0 ? 'No lines in that window.' : lines.join('\n')}${continuation(page, 'ranges')}`,
    );
  },
});
