/**
 * @module
 * `slack_list_channels`: the conversations the token can see (public and private channels by
 * default; group DMs and DMs on request), or, when SLACK_CHANNEL_IDS is set, only those.
 */
import { jsonSize, structured, takeWithinBudget } from '@plugboard/protocol';
import { z } from 'zod';
import { defineTool, type SlackContext } from '../context.js';
import { typesForScopes, type ConversationEntry, type ConversationType } from '../directory.js';
import { untrusted } from '../sanitize.js';
import {
  clampLimit,
  continuation,
  cursorField,
  cursorParam,
  decodeCursor,
  encodeCursor,
  nextSlackCursor,
  pageFields,
  pagedShape,
  pageWithin,
  type Paged,
} from '../paging.js';
import {
  checkedWorkspace,
  directoryOf,
  slack,
  teamArgument,
  toConversationEntry,
} from '../workspace.js';
import { limitField, READ } from './common.js';

const TYPES = ['public_channel', 'private_channel', 'mpim', 'im'] as const;

const channelSchema = z.object({
  id: z.string(),
  name: z.string(),
  type: z.enum(TYPES),
  is_member: z.boolean().describe('Whether the app is in it (needed to read most channels)'),
  is_archived: z.boolean(),
  user: z.string().optional().describe('For a DM: the other person'),
  user_name: z.string().optional(),
  members: z.number().optional(),
  topic: z.string().optional(),
  purpose: z.string().optional(),
});

type ChannelRecord = z.infer<typeof channelSchema>;

const TYPE_WORDS: Record<ConversationType, string> = {
  public_channel: 'public',
  private_channel: 'private',
  mpim: 'group DM',
  im: 'DM',
};

function channelLine(record: ChannelRecord): string {
  const name =
    record.type === 'im'
      ? `DM with ${record.user_name === undefined ? (record.user ?? '?') : `@${record.user_name}`}`
      : `#${record.name}`;
  const details = [
    TYPE_WORDS[record.type],
    record.is_member ? 'member' : 'not a member',
    record.is_archived ? 'archived' : '',
    record.members === undefined ? '' : `${record.members} members`,
  ].filter((part) => part !== '');
  const about = record.topic ?? record.purpose;
  return `${record.id} ${name} (${details.join(', ')})${about === undefined ? '' : `: ${about}`}`;
}

async function withNames(
  ctx: SlackContext,
  entries: readonly ConversationEntry[],
): Promise<ChannelRecord[]> {
  const people = entries.flatMap((entry) => (entry.user === undefined ? [] : [entry.user]));
  const names = await directoryOf(ctx).userNames(people);
  return entries.map((entry) => {
    const name = entry.user === undefined ? undefined : names.get(entry.user);
    return name === undefined ? { ...entry } : { ...entry, user_name: name };
  });
}

/**
 * With SLACK_CHANNEL_IDS set: those conversations, looked up one by one from position `start`,
 * each with its position so that a budget cut can continue right after the last one shown.
 */
async function allowlisted(
  ctx: SlackContext,
  start: number,
  limit: number,
  types: ReadonlySet<ConversationType>,
  includeArchived: boolean,
): Promise<{ entries: { entry: ConversationEntry; position: number }[]; end: number }> {
  const ids = ctx.policy.channels.slice(start, start + limit);
  const entries: { entry: ConversationEntry; position: number }[] = [];
  for (let index = 0; index < ids.length; index += 4) {
    const batch = ids.slice(index, index + 4);
    const found = await Promise.all(
      batch.map((id) =>
        slack(ctx, 'conversations.info', (web) => web.conversations.info({ channel: id })).then(
          (result) =>
            result.channel === undefined ? undefined : toConversationEntry(result.channel),
          // A configured conversation the token cannot see is simply not listed.
          () => undefined,
        ),
      ),
    );
    found.forEach((entry, offset) => {
      if (entry !== undefined && types.has(entry.type) && (includeArchived || !entry.is_archived))
        entries.push({ entry, position: start + index + offset });
    });
  }
  return { entries, end: start + ids.length };
}

/** A page of the allowlisted conversations within the budget, continuing by position. */
async function allowlistedPage(
  ctx: SlackContext,
  start: number,
  limit: number,
  types: ReadonlySet<ConversationType>,
  includeArchived: boolean,
): Promise<Paged<ChannelRecord>> {
  const { entries, end } = await allowlisted(ctx, start, limit, types, includeArchived);
  const records = await withNames(
    ctx,
    entries.map((item) => item.entry),
  );
  const taken = takeWithinBudget(records, ctx.config.outputBudget, jsonSize);
  const resume = taken.truncated ? entries[taken.items.length]!.position : end;
  return resume < ctx.policy.channels.length
    ? {
        items: taken.items,
        truncated: true,
        next_cursor: encodeCursor({ cursor: '', page: 1, skip: resume }),
      }
    : { items: taken.items, truncated: false };
}

export const slackListChannels = defineTool({
  name: 'slack_list_channels',
  title: 'List channels',
  description:
    'List the conversations the app can see with their IDs, member status, size and topic: public and private channels by default, group DMs and DMs when asked through types. Paged; pass next_cursor to continue.',
  input: z.object({
    limit: limitField(100, 200, 'conversations'),
    cursor: cursorField,
    types: z
      .array(z.enum(TYPES))
      .min(1)
      .optional()
      .describe(
        'Kinds of conversation (default public_channel and private_channel, as far as the token may list them)',
      ),
    include_archived: z
      .boolean()
      .optional()
      .describe('Also list archived channels (default false)'),
  }),
  output: z.object({ channels: z.array(channelSchema), ...pagedShape }),
  annotations: READ,
  async run(args, ctx) {
    const limit = clampLimit(args.limit, 100, 200);
    const at = decodeCursor(args.cursor);
    const includeArchived = args.include_archived === true;
    const workspace = await checkedWorkspace(ctx);
    const wanted =
      args.types ?? typesForScopes(['public_channel', 'private_channel'], workspace.scopes);
    let paged: Paged<ChannelRecord>;
    if (ctx.policy.limited) {
      paged = await allowlistedPage(ctx, at.skip, limit, new Set(wanted), includeArchived);
    } else {
      const page = await slack(ctx, 'conversations.list', (web) =>
        web.conversations.list({
          types: (wanted.length === 0 ? ['public_channel'] : wanted).join(','),
          exclude_archived: !includeArchived,
          limit,
          ...cursorParam(at),
          ...teamArgument(ctx),
        }),
      );
      const entries = (page.channels ?? [])
        .map(toConversationEntry)
        .filter((entry) => entry.id !== '');
      const records = await withNames(ctx, entries);
      const next = nextSlackCursor(page.response_metadata?.next_cursor, at.cursor);
      paged = pageWithin(
        records,
        at,
        next === undefined ? undefined : { cursor: next, page: 1, skip: 0 },
        ctx.config.outputBudget,
      );
    }
    const lines = paged.items.map(channelLine).join('\n');
    const text =
      paged.items.length === 0
        ? 'No conversations.'
        : `${paged.items.length} conversations:\n${untrusted('slack conversation names and topics', lines)}`;
    return structured(
      { channels: paged.items, ...pageFields(paged) },
      text + continuation(paged, 'conversations'),
    );
  },
});
