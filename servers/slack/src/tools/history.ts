/**
 * @module
 * Reading conversations: `slack_get_channel_history` (newest first, with a time window and
 * cursor) and `slack_get_thread_replies` (a thread, parent first). Message bodies are untrusted
 * and fenced off in the text rendering.
 */
import { structured } from '@plugboard/protocol';
import { z } from 'zod';
import { defineTool, type SlackContext } from '../context.js';
import { normalizeTs } from '../ids.js';
import {
  clampLimit,
  continuation,
  cursorField,
  cursorParam,
  decodeCursor,
  nextSlackCursor,
  pageFields,
  pagedShape,
  pageWithin,
  type Position,
} from '../paging.js';
import {
  LISTING_TEXT_CHARS,
  messageSchema,
  messagesText,
  peopleIn,
  SINGLE_TEXT_CHARS,
  toRecord,
  type SlackMessage,
} from '../render.js';
import {
  checkedWorkspace,
  directoryOf,
  resolveConversation,
  slack,
  type ConversationRef,
} from '../workspace.js';
import { channelField, limitField, READ, threadTsField, timeField, timeWindow } from './common.js';

const conversationSchema = z.object({ id: z.string(), name: z.string().optional() });

function conversation(ref: ConversationRef): z.infer<typeof conversationSchema> {
  return ref.name === undefined ? { id: ref.id } : { id: ref.id, name: ref.name };
}

/** What conversations.history and conversations.replies both answer. */
interface MessagePage {
  messages?: readonly SlackMessage[];
  has_more?: boolean;
  response_metadata?: { next_cursor?: string };
}

/** Records for a fetched page, within the budget, and the cursor to continue. */
async function page(
  ctx: SlackContext,
  ref: ConversationRef,
  result: MessagePage,
  at: Position,
  limit: number,
) {
  const messages = result.messages ?? [];
  const nextCursor = result.has_more === false ? undefined : result.response_metadata?.next_cursor;
  const workspace = await checkedWorkspace(ctx);
  const names = await directoryOf(ctx).userNames(peopleIn(messages));
  const records = messages.map((message) =>
    toRecord(message, {
      channel: ref.id,
      names,
      workspaceUrl: workspace.url,
      maxChars: limit === 1 ? SINGLE_TEXT_CHARS : LISTING_TEXT_CHARS,
    }),
  );
  const next = nextSlackCursor(nextCursor, at.cursor);
  return pageWithin(
    records,
    at,
    next === undefined ? undefined : { cursor: next, page: 1, skip: 0 },
    ctx.config.outputBudget,
  );
}

export const slackGetChannelHistory = defineTool({
  name: 'slack_get_channel_history',
  title: 'Get channel history',
  description:
    'Read recent messages of a channel, private channel or DM, newest first, with authors, readable times, reply counts, reactions, files and permalinks. Narrow with oldest/latest (e.g. oldest "1d"); paged by next_cursor.',
  input: z.object({
    channel_id: channelField,
    limit: limitField(10, 200, 'messages'),
    cursor: cursorField,
    oldest: timeField('Only messages after this time'),
    latest: timeField('Only messages before this time'),
  }),
  output: z.object({
    channel: conversationSchema,
    messages: z.array(messageSchema),
    ...pagedShape,
  }),
  annotations: READ,
  auditTarget: ['channel_id'],
  async run(args, ctx) {
    const ref = await resolveConversation(ctx, args.channel_id, 'read');
    const limit = clampLimit(args.limit, 10, 200);
    const at = decodeCursor(args.cursor);
    const window = timeWindow(args, ctx.now());
    const result = await slack(ctx, 'conversations.history', (web) =>
      web.conversations.history({
        channel: ref.id,
        limit,
        ...window,
        ...cursorParam(at),
      }),
    );
    const paged = await page(ctx, ref, result, at, limit);
    const header =
      paged.items.length === 0
        ? `No messages in ${ref.label}${window.oldest !== undefined || window.latest !== undefined ? ' in that time window' : ''}.`
        : `${paged.items.length} messages in ${ref.label}, newest first:`;
    return structured(
      { channel: conversation(ref), messages: paged.items, ...pageFields(paged) },
      `${header}\n${messagesText(`slack ${ref.id}`, paged.items)}${continuation(paged, 'messages')}`,
    );
  },
});

export const slackGetThreadReplies = defineTool({
  name: 'slack_get_thread_replies',
  title: 'Get thread replies',
  description:
    'Read a thread: its parent message first, then the replies in order, with authors, readable times and permalinks. Paged by next_cursor; oldest/latest narrow long threads.',
  input: z.object({
    channel_id: channelField,
    thread_ts: threadTsField,
    limit: limitField(50, 200, 'messages'),
    cursor: cursorField,
    oldest: timeField('Only replies after this time'),
    latest: timeField('Only replies before this time'),
  }),
  output: z.object({
    channel: conversationSchema,
    thread_ts: z.string(),
    messages: z.array(messageSchema),
    ...pagedShape,
  }),
  annotations: READ,
  auditTarget: ['channel_id', 'thread_ts'],
  async run(args, ctx) {
    const ref = await resolveConversation(ctx, args.channel_id, 'read');
    const threadTs = normalizeTs(args.thread_ts, 'thread_ts');
    const limit = clampLimit(args.limit, 50, 200);
    const at = decodeCursor(args.cursor);
    const window = timeWindow(args, ctx.now());
    const result = await slack(ctx, 'conversations.replies', (web) =>
      web.conversations.replies({
        channel: ref.id,
        ts: threadTs,
        limit,
        ...window,
        ...cursorParam(at),
      }),
    );
    const paged = await page(ctx, ref, result, at, limit);
    const header = `${paged.items.length} messages of thread ${threadTs} in ${ref.label}:`;
    return structured(
      {
        channel: conversation(ref),
        thread_ts: threadTs,
        messages: paged.items,
        ...pageFields(paged),
      },
      `${header}\n${messagesText(`slack ${ref.id}`, paged.items)}${continuation(paged, 'replies')}`,
    );
  },
});
