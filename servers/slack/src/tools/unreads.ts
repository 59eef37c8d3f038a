/**
 * @module
 * Unreads, which only a user token has (a bot has no read position): `slack_list_unreads` finds
 * the conversations with messages after the person's `last_read` (conversations.info) and counts
 * them from history, a bounded number of conversations per call; `slack_mark_read` moves the read
 * position with conversations.mark. Both stay within SLACK_CHANNEL_IDS; marking read changes
 * nothing others see, so `--post-channels` does not narrow it.
 */
import { jsonSize, structured, ToolError } from '@plugboard/protocol';
import { z } from 'zod';
import { defineTool, type SlackContext } from '../context.js';
import type { ConversationType } from '../directory.js';
import { isoTime, normalizeTs } from '../ids.js';
import {
  clampLimit,
  continuation,
  cursorField,
  cursorParam,
  decodeCursor,
  nextSlackCursor,
  pageFields,
  pagedShape,
  encodeCursor,
  type Paged,
  type Position,
} from '../paging.js';
import { untrusted } from '../sanitize.js';
import {
  checkedWorkspace,
  directoryOf,
  resolveConversation,
  slack,
  teamArgument,
  toConversationEntry,
} from '../workspace.js';
import { channelField, limitField, READ, SET } from './common.js';

const TYPES = ['public_channel', 'private_channel', 'mpim', 'im'] as const;

/** Most messages counted in one conversation; past it the count says "at least". */
const COUNT_CAP = 100;
/** Conversations checked at once (each costs two requests). */
const BATCH = 4;

const unreadSchema = z.object({
  id: z.string(),
  name: z.string(),
  type: z.enum(TYPES),
  unread: z.number().describe('Messages after the read position (thread replies not counted)'),
  at_least: z.boolean().describe(`True when there are more than ${COUNT_CAP}`),
  last_read: z.string().describe('ts of the last message read; pass a later one to mark read'),
  newest_ts: z.string().describe('ts of the newest unread message'),
});

type UnreadRecord = z.infer<typeof unreadSchema>;

/** One conversation to check, and the position a cursor resumes at to check it again. */
interface Candidate {
  readonly id: string;
  readonly position: Position;
}

/** The candidates of this call and where the next call starts after them. */
async function candidates(
  ctx: SlackContext,
  at: Position,
  limit: number,
  types: readonly ConversationType[],
): Promise<{ items: Candidate[]; after: Position | undefined }> {
  if (ctx.policy.limited) {
    const ids = ctx.policy.channels.slice(at.skip, at.skip + limit);
    const end = at.skip + ids.length;
    return {
      items: ids.map((id, index) => ({ id, position: { ...at, skip: at.skip + index } })),
      after: end < ctx.policy.channels.length ? { ...at, skip: end } : undefined,
    };
  }
  const page = await slack(
    ctx,
    'users.conversations',
    (web) =>
      web.users.conversations({
        types: types.join(','),
        exclude_archived: true,
        limit,
        ...cursorParam(at),
        ...teamArgument(ctx),
      }),
    'user',
  );
  const ids = (page.channels ?? []).flatMap((channel) =>
    channel.id === undefined ? [] : [channel.id],
  );
  const next = nextSlackCursor(page.response_metadata?.next_cursor, at.cursor);
  return {
    items: ids
      .slice(at.skip)
      .map((id, index) => ({ id, position: { ...at, skip: at.skip + index } })),
    after: next === undefined ? undefined : { cursor: next, page: 1, skip: 0 },
  };
}

/** "DM with @alice", named through the cached directory. */
async function dmName(ctx: SlackContext, user: string | undefined): Promise<string> {
  if (user === undefined) return 'DM';
  const name = (await directoryOf(ctx).userNames([user])).get(user);
  return `DM with ${name === undefined ? user : `@${name}`}`;
}

/** One conversation's unreads, or undefined when it has none (or no read position). */
async function unreadIn(
  ctx: SlackContext,
  id: string,
  types: ReadonlySet<ConversationType>,
): Promise<UnreadRecord | undefined> {
  const info = await slack(
    ctx,
    'conversations.info',
    (web) => web.conversations.info({ channel: id }),
    'user',
  );
  if (info.channel === undefined) return undefined;
  const entry = toConversationEntry(info.channel);
  const lastRead = info.channel.last_read;
  if (!types.has(entry.type) || entry.is_archived || lastRead === undefined) return undefined;
  const history = await slack(
    ctx,
    'conversations.history',
    (web) => web.conversations.history({ channel: id, oldest: lastRead, limit: COUNT_CAP }),
    'user',
  );
  const unread = (history.messages ?? []).filter(
    (message) => message.ts !== undefined && Number(message.ts) > Number(lastRead),
  );
  if (unread.length === 0) return undefined;
  const newest = unread.reduce((a, b) => (Number(b.ts) > Number(a.ts) ? b : a));
  return {
    id: entry.id,
    name: entry.type === 'im' ? await dmName(ctx, entry.user) : entry.name,
    type: entry.type,
    unread: unread.length,
    at_least: history.has_more === true,
    last_read: lastRead,
    newest_ts: newest.ts!,
  };
}

/**
 * Checks the candidates in order, a few at a time, and keeps those with unreads while they fit
 * the output budget; a record that does not fit is where the next call resumes.
 */
async function unreadPage(
  ctx: SlackContext,
  found: { items: Candidate[]; after: Position | undefined },
  types: ReadonlySet<ConversationType>,
): Promise<Paged<UnreadRecord>> {
  const items: UnreadRecord[] = [];
  let used = 0;
  for (let index = 0; index < found.items.length; index += BATCH) {
    const batch = found.items.slice(index, index + BATCH);
    // A configured conversation the person cannot see is simply not listed, as in
    // slack_list_channels; their own conversations' failures are reported.
    const records = await Promise.all(
      batch.map((candidate) => {
        const checked = unreadIn(ctx, candidate.id, types);
        return ctx.policy.limited ? checked.catch(() => undefined) : checked;
      }),
    );
    for (const [offset, record] of records.entries()) {
      if (record === undefined) continue;
      used += jsonSize(record);
      if (used > ctx.config.outputBudget)
        return {
          items,
          truncated: true,
          next_cursor: encodeCursor(batch[offset]!.position),
        };
      items.push(record);
    }
  }
  return found.after === undefined
    ? { items, truncated: false }
    : { items, truncated: true, next_cursor: encodeCursor(found.after) };
}

function unreadLine(record: UnreadRecord): string {
  const count = `${record.unread}${record.at_least ? '+' : ''} unread`;
  const name = record.type === 'im' ? record.name : `#${record.name}`;
  return `${record.id} ${name}: ${count}, newest ${isoTime(record.newest_ts)} (last read ${record.last_read})`;
}

export const slackListUnreads = defineTool({
  name: 'slack_list_unreads',
  title: 'List unreads',
  description:
    'Conversations with messages the user has not read, with counts, checking a few conversations per call (pass next_cursor to check more). Needs the user token.',
  input: z.object({
    types: z
      .array(z.enum(TYPES))
      .min(1)
      .optional()
      .describe('Kinds of conversation to check (default all)'),
    limit: limitField(20, 50, 'conversations to check'),
    cursor: cursorField,
  }),
  output: z.object({ unreads: z.array(unreadSchema), ...pagedShape }),
  requires: ['userToken'],
  annotations: READ,
  async run(args, ctx) {
    const types = args.types ?? TYPES;
    const at = decodeCursor(args.cursor);
    await checkedWorkspace(ctx, 'user');
    const found = await candidates(ctx, at, clampLimit(args.limit, 20, 50), types);
    const paged = await unreadPage(ctx, found, new Set(types));
    const text =
      paged.items.length === 0
        ? 'No unread messages in the conversations checked.'
        : `${paged.items.length} conversations with unread messages:\n${untrusted('slack conversation names', paged.items.map(unreadLine).join('\n'))}`;
    return structured(
      { unreads: paged.items, ...pageFields(paged) },
      text + continuation(paged, 'conversations to check'),
    );
  },
});

export const slackMarkRead = defineTool({
  name: 'slack_mark_read',
  title: 'Mark read',
  description:
    "Move the user's read position in a conversation to a message (default: the newest), as reading it in Slack does. Needs the user token.",
  input: z.object({
    channel_id: channelField,
    timestamp: z
      .string()
      .min(1)
      .max(40)
      .optional()
      .describe('ts of the last message to count as read (default the newest)'),
  }),
  output: z.object({
    channel: z.string(),
    last_read: z.string(),
    time: z.string().describe('When that message was posted (UTC)'),
  }),
  requires: ['userToken'],
  annotations: SET,
  auditTarget: ['channel_id', 'timestamp'],
  async run(args, ctx) {
    const ref = await resolveConversation(ctx, args.channel_id, 'read');
    let ts: string | undefined;
    if (args.timestamp === undefined) {
      const newest = await slack(
        ctx,
        'conversations.history',
        (web) => web.conversations.history({ channel: ref.id, limit: 1 }),
        'user',
      );
      ts = newest.messages?.[0]?.ts;
      if (ts === undefined) throw new ToolError(`${ref.label} has no messages to mark read.`);
    } else ts = normalizeTs(args.timestamp, 'timestamp');
    const at = ts;
    await slack(
      ctx,
      'conversations.mark',
      (web) => web.conversations.mark({ channel: ref.id, ts: at }),
      'user',
    );
    ctx.logger.info('marked a conversation read', { channel: ref.id, ts: at });
    return structured(
      { channel: ref.id, last_read: at, time: isoTime(at) },
      `Marked ${ref.label} read up to ${at} (${isoTime(at)}).`,
    );
  },
});
