/**
 * @module
 * The authenticated user's notifications: list them (all, or one repository's), and mark a
 * thread read. With an allowlist, notifications from other repositories are withheld and counted.
 */
import { structured, ToolError } from '@plugboard/protocol';
import { z } from 'zod';
import { call, defineTool } from '../context.js';
import {
  continuation,
  hasNextPage,
  pageFields,
  pagedShape,
  pageWithin,
  startAt,
  listOf,
  pageInput,
} from '../paging.js';
import { day, defined, sizeOf } from '../render.js';
import { sanitizeLine } from '../sanitize.js';
import { itemBudget, owner, READ, repo, UPDATE } from './common.js';

const notification = z.object({
  id: z.string(),
  repository: z.string(),
  type: z.string(),
  title: z.string(),
  reason: z.string(),
  unread: z.boolean(),
  updatedAt: z.string(),
});

export const listNotifications = defineTool({
  name: 'list_notifications',
  title: 'List notifications',
  description:
    'Your GitHub notifications (unread by default): review requests, mentions, assignments, CI. Optionally for one repository.',
  input: z.object({
    owner: owner.optional(),
    repo: repo.optional(),
    all: z.boolean().optional().describe('Include notifications already read (default false)'),
    participating: z
      .boolean()
      .optional()
      .describe('Only those you participate in or were mentioned in'),
    since: z.string().optional().describe('Only notifications updated after this ISO 8601 time'),
    before: z.string().optional().describe('Only notifications updated before this ISO 8601 time'),
    ...pageInput,
  }),
  output: z.object({
    notifications: listOf(notification),
    withheld: z.number().optional(),
    ...pagedShape,
  }),
  toolset: 'notifications',
  annotations: READ,
  auditTarget: ['owner', 'repo'],
  async run(args, ctx) {
    if ((args.owner === undefined) !== (args.repo === undefined))
      throw new ToolError('Give both owner and repo, or neither.');
    const target =
      args.owner === undefined || args.repo === undefined
        ? undefined
        : await ctx.policy.target(ctx, args.owner, args.repo, 'read');
    const start = startAt(args, 50);
    const filters = defined({
      all: args.all,
      participating: args.participating,
      since: args.since,
      before: args.before,
    });
    const response = await call(ctx, (octokit, req) => {
      const paging = { ...req, page: start.page, per_page: start.perPage };
      return target === undefined
        ? octokit.rest.activity.listNotificationsForAuthenticatedUser({ ...filters, ...paging })
        : octokit.rest.activity.listRepoNotificationsForAuthenticatedUser({
            ...target,
            ...filters,
            ...paging,
          });
    });
    const kept = response.data.filter((item) =>
      ctx.policy.admit(item.repository.owner.login, item.repository.name, item.repository.private),
    );
    const items = kept.map((item) => ({
      id: item.id,
      repository: item.repository.full_name,
      type: item.subject.type,
      title: sanitizeLine(item.subject.title),
      reason: item.reason,
      unread: item.unread,
      updatedAt: item.updated_at,
    }));
    const paged = pageWithin(
      items,
      start,
      hasNextPage(response.headers.link),
      itemBudget(ctx),
      sizeOf,
    );
    const withheld = response.data.length - kept.length;
    const lines = paged.items.map(
      (item) =>
        `${item.id} ${item.unread ? '●' : '○'} ${item.repository} ${item.type}: ${item.title} (${item.reason}, ${day(item.updatedAt)})`,
    );
    return structured(
      { notifications: paged.items, ...(withheld > 0 ? { withheld } : {}), ...pageFields(paged) },
      `${lines.length === 0 ? 'No notifications.' : lines.join('\n')}${withheld > 0 ? `\n(${withheld} from repositories outside the allowlist withheld)` : ''}${continuation(paged, 'notifications')}`,
    );
  },
});

export const markNotificationRead = defineTool({
  name: 'mark_notification_read',
  title: 'Mark notification read',
  description: 'Mark one notification thread as read (its id comes from list_notifications).',
  input: z.object({
    threadId: z
      .string()
      .regex(/^\d{1,20}$/)
      .describe('Notification thread id'),
  }),
  output: z.object({ threadId: z.string() }),
  toolset: 'notifications',
  annotations: { ...UPDATE, destructiveHint: false, idempotentHint: true },
  auditTarget: ['threadId'],
  async run(args, ctx) {
    const threadId = Number(args.threadId);
    const { data } = await call(ctx, (octokit, req) =>
      octokit.rest.activity.getThread({ thread_id: threadId, ...req }),
    );
    // Marking read publishes nothing, so only the allowlist applies, not the private-to-public guard.
    await ctx.policy.target(ctx, data.repository.owner.login, data.repository.name, 'read');
    await call(ctx, (octokit, req) =>
      octokit.rest.activity.markThreadAsRead({ thread_id: threadId, ...req }),
    );
    return structured({ threadId: args.threadId }, `Marked notification ${args.threadId} as read.`);
  },
});
