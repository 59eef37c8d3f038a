/**
 * @module
 * Discussions, which exist only in GitHub's GraphQL API (graphql.ts), paged by GraphQL cursors.
 */
import { structured, ToolError } from '@plugboard/protocol';
import { z } from 'zod';
import { defineTool } from '../context.js';
import { graphCursor, graphql, pageOf, type Connection } from '../graphql.js';
import {
  continuation,
  cursorField,
  pageFields,
  pagedShape,
  perPageField,
  listOf,
  listingText,
} from '../paging.js';
import { authorShape, body, day, defined, title, untrusted } from '../render.js';
import { sanitizeLine } from '../sanitize.js';
import { itemBudget, owner, READ, repo } from './common.js';

const discussionNumber = z.number().int().positive().describe('Discussion number');

function missingRepository(owner: string, repo: string): ToolError {
  return new ToolError(`Not found: ${owner}/${repo} does not exist, or the token cannot see it.`);
}

interface RawDiscussion {
  number: number;
  title: string;
  url: string;
  createdAt: string;
  updatedAt: string;
  authorAssociation: string;
  isAnswered: boolean | null;
  author: { login: string } | null;
  category: { name: string };
  comments: { totalCount: number };
  body?: string;
}

const SUMMARY_FIELDS =
  'number title url createdAt updatedAt authorAssociation isAnswered author { login } category { name } comments { totalCount }';

const discussionSummary = z.object({
  number: z.number(),
  title: z.string(),
  category: z.string(),
  ...authorShape,
  answered: z.boolean().optional(),
  comments: z.number(),
  updatedAt: z.string(),
  url: z.string(),
});

function summarize(raw: RawDiscussion, trusted: (association: string | undefined) => boolean) {
  return defined({
    number: raw.number,
    title: title(raw.title, trusted(raw.authorAssociation)),
    category: sanitizeLine(raw.category.name, 100),
    author: raw.author === null ? undefined : sanitizeLine(raw.author.login, 60),
    authorAssociation: raw.authorAssociation,
    answered: raw.isAnswered ?? undefined,
    comments: raw.comments.totalCount,
    updatedAt: raw.updatedAt,
    url: raw.url,
  });
}

function discussionLine(item: z.infer<typeof discussionSummary>): string {
  return `#${item.number} [${item.category}${item.answered === true ? ', answered' : ''}] ${item.title} — @${item.author ?? '?'}, ${item.comments} comments, updated ${day(item.updatedAt)}`;
}

export const listDiscussions = defineTool({
  name: 'list_discussions',
  title: 'List discussions',
  description:
    'Discussions of a repository, most recently updated first, optionally in one category (see list_discussion_categories).',
  input: z.object({
    owner,
    repo,
    categoryId: z.string().max(100).optional().describe('Only this category (its id)'),
    perPage: perPageField,
    cursor: cursorField,
  }),
  output: z.object({
    discussions: listOf(discussionSummary),
    totalCount: z.number(),
    ...pagedShape,
  }),
  toolset: 'discussions',
  annotations: READ,
  auditTarget: ['owner', 'repo'],
  async run(args, ctx) {
    const target = await ctx.policy.target(ctx, args.owner, args.repo, 'read');
    const trusted = await ctx.policy.trust(ctx, target);
    const data = await graphql<{ repository: { discussions: Connection<RawDiscussion> } | null }>(
      ctx,
      `query($owner: String!, $repo: String!, $first: Int!, $after: String, $categoryId: ID) {
        repository(owner: $owner, name: $repo) {
          discussions(first: $first, after: $after, categoryId: $categoryId, orderBy: {field: UPDATED_AT, direction: DESC}) {
            totalCount pageInfo { hasNextPage endCursor } edges { cursor node { ${SUMMARY_FIELDS} } }
          }
        }
      }`,
      {
        owner: target.owner,
        repo: target.repo,
        first: args.perPage ?? 30,
        after: graphCursor(args.cursor) ?? null,
        categoryId: args.categoryId ?? null,
      },
    );
    if (data.repository === null) throw missingRepository(target.owner, target.repo);
    const connection = data.repository.discussions;
    const paged = pageOf(connection, (node) => summarize(node, trusted), itemBudget(ctx));
    return structured(
      { discussions: paged.items, totalCount: connection.totalCount, ...pageFields(paged) },
      `${paged.items.length === 0 ? 'No discussions.' : paged.items.map(discussionLine).join('\n')}\n(${connection.totalCount} total)${continuation(paged, 'discussions')}`,
    );
  },
});

export const getDiscussion = defineTool({
  name: 'get_discussion',
  title: 'Get discussion',
  description: 'One discussion with its body. Read its comments with get_discussion_comments.',
  input: z.object({ owner, repo, discussionNumber }),
  output: discussionSummary.extend({ body: z.string(), createdAt: z.string() }),
  toolset: 'discussions',
  annotations: READ,
  auditTarget: ['owner', 'repo', 'discussionNumber'],
  async run(args, ctx) {
    const target = await ctx.policy.target(ctx, args.owner, args.repo, 'read');
    const trusted = await ctx.policy.trust(ctx, target);
    const data = await graphql<{ repository: { discussion: RawDiscussion | null } | null }>(
      ctx,
      `query($owner: String!, $repo: String!, $number: Int!) {
        repository(owner: $owner, name: $repo) { discussion(number: $number) { ${SUMMARY_FIELDS} body } }
      }`,
      { owner: target.owner, repo: target.repo, number: args.discussionNumber },
    );
    if (data.repository === null) throw missingRepository(target.owner, target.repo);
    const raw = data.repository.discussion;
    if (raw === null)
      throw new ToolError(
        `Not found: ${target.owner}/${target.repo} has no discussion #${args.discussionNumber}.`,
      );
    const summary = summarize(raw, trusted);
    const item = {
      ...summary,
      createdAt: raw.createdAt,
      body: body(raw.body, { trusted: trusted(raw.authorAssociation), author: summary.author }),
    };
    return structured(
      item,
      `${discussionLine(summary)}\n${untrusted('discussion body', item.body, item.author, item.authorAssociation)}\n${item.url}`,
    );
  },
});

interface RawComment {
  id: string;
  body: string;
  url: string;
  createdAt: string;
  authorAssociation: string;
  isAnswer: boolean | null;
  author: { login: string } | null;
  replies: { totalCount: number };
}

const discussionComment = z.object({
  id: z.string(),
  ...authorShape,
  body: z.string(),
  isAnswer: z.boolean().optional(),
  replies: z.number(),
  createdAt: z.string(),
  url: z.string(),
});

export const getDiscussionComments = defineTool({
  name: 'get_discussion_comments',
  title: 'Get discussion comments',
  description: 'The top-level comments of a discussion, oldest first, with reply counts.',
  input: z.object({ owner, repo, discussionNumber, perPage: perPageField, cursor: cursorField }),
  output: z.object({ comments: listOf(discussionComment), totalCount: z.number(), ...pagedShape }),
  toolset: 'discussions',
  annotations: READ,
  auditTarget: ['owner', 'repo', 'discussionNumber'],
  async run(args, ctx) {
    const target = await ctx.policy.target(ctx, args.owner, args.repo, 'read');
    const trusted = await ctx.policy.trust(ctx, target);
    const data = await graphql<{
      repository: { discussion: { comments: Connection<RawComment> } | null } | null;
    }>(
      ctx,
      `
        query ($owner: String!, $repo: String!, $number: Int!, $first: Int!, $after: String) {
          repository(owner: $owner, name: $repo) {
            discussion(number: $number) {
              comments(first: $first, after: $after) {
                totalCount
                pageInfo {
                  hasNextPage
                  endCursor
                }
                edges {
                  cursor
                  node {
                    id
                    body
                    url
                    createdAt
                    authorAssociation
                    isAnswer
                    author {
                      login
                    }
                    replies {
                      totalCount
                    }
                  }
                }
              }
            }
          }
        }
      `,
      {
        owner: target.owner,
        repo: target.repo,
        number: args.discussionNumber,
        first: args.perPage ?? 30,
        after: graphCursor(args.cursor) ?? null,
      },
    );
    if (data.repository === null) throw missingRepository(target.owner, target.repo);
    if (data.repository.discussion === null)
      throw new ToolError(
        `Not found: ${target.owner}/${target.repo} has no discussion #${args.discussionNumber}.`,
      );
    const connection = data.repository.discussion.comments;
    const paged = pageOf(
      connection,
      (node) => {
        const author = node.author === null ? undefined : sanitizeLine(node.author.login, 60);
        return defined({
          id: node.id,
          author,
          authorAssociation: node.authorAssociation,
          body: body(node.body, {
            trusted: trusted(node.authorAssociation),
            author,
          }),
          isAnswer: node.isAnswer ?? undefined,
          replies: node.replies.totalCount,
          createdAt: node.createdAt,
          url: node.url,
        });
      },
      itemBudget(ctx),
    );
    const blocks = paged.items.map(
      (item) =>
        `@${item.author ?? '?'} on ${day(item.createdAt)}${item.isAnswer === true ? ' (answer)' : ''}, ${item.replies} replies:\n${untrusted('discussion comment', item.body, item.author, item.authorAssociation)}`,
    );
    return structured(
      { comments: paged.items, totalCount: connection.totalCount, ...pageFields(paged) },
      listingText(blocks, 'No comments.', paged, 'comments'),
    );
  },
});

const category = z.object({
  id: z.string(),
  name: z.string(),
  slug: z.string(),
  answerable: z.boolean(),
  description: z.string().optional(),
});

export const listDiscussionCategories = defineTool({
  name: 'list_discussion_categories',
  title: 'List discussion categories',
  description:
    'The discussion categories of a repository, with the ids list_discussions filters by.',
  input: z.object({ owner, repo }),
  output: z.object({ categories: listOf(category) }),
  toolset: 'discussions',
  annotations: READ,
  auditTarget: ['owner', 'repo'],
  async run(args, ctx) {
    const target = await ctx.policy.target(ctx, args.owner, args.repo, 'read');
    const data = await graphql<{
      repository: {
        discussionCategories: {
          nodes: {
            id: string;
            name: string;
            slug: string;
            description: string | null;
            isAnswerable: boolean;
          }[];
        };
      } | null;
    }>(
      ctx,
      `
        query ($owner: String!, $repo: String!) {
          repository(owner: $owner, name: $repo) {
            discussionCategories(first: 100) {
              nodes {
                id
                name
                slug
                description
                isAnswerable
              }
            }
          }
        }
      `,
      { owner: target.owner, repo: target.repo },
    );
    if (data.repository === null) throw missingRepository(target.owner, target.repo);
    const categories = data.repository.discussionCategories.nodes.map((node) =>
      defined({
        id: node.id,
        name: sanitizeLine(node.name, 100),
        slug: node.slug,
        answerable: node.isAnswerable,
        description:
          node.description === null || node.description === ''
            ? undefined
            : sanitizeLine(node.description, 300),
      }),
    );
    const lines = categories.map(
      (item) =>
        `${item.id} ${item.name}${item.answerable ? ' (Q&A)' : ''}${item.description === undefined ? '' : ` — ${item.description}`}`,
    );
    return structured(
      { categories },
      lines.length === 0 ? 'No discussion categories (discussions may be off).' : lines.join('\n'),
    );
  },
});
