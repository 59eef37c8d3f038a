/**
 * @module
 * `slack_search_messages`: Slack's message search with the usual filters (in a conversation, from
 * a person, before/after/on a date). Search needs a user token (SLACK_USER_TOKEN); the server
 * offers this tool only when one is configured. With SLACK_CHANNEL_IDS set, matches from other
 * conversations are dropped before anything is returned.
 */
import { structured, ToolError } from '@plugboard/protocol';
import { z } from 'zod';
import { defineTool } from '../context.js';
import { isoDay, parseInstant } from '../ids.js';
import {
  clampLimit,
  continuation,
  cursorField,
  decodeCursor,
  pageFields,
  pagedShape,
  pageWithin,
} from '../paging.js';
import {
  LISTING_TEXT_CHARS,
  messageLines,
  messageSchema,
  peopleIn,
  toRecord,
  type SlackMessage,
} from '../render.js';
import { sanitizeLine, untrusted } from '../sanitize.js';
import {
  checkedWorkspace,
  directoryOf,
  resolveConversation,
  resolveUser,
  slack,
  teamArgument,
} from '../workspace.js';
import { limitField, READ } from './common.js';

const dateField = (what: string) =>
  z
    .string()
    .max(40)
    .optional()
    .describe(`${what}: a date ("2026-11-20"), or a duration ago such as "7d"`);

const matchSchema = messageSchema.extend({
  channel: z.object({ id: z.string(), name: z.string().optional() }),
});

type MatchRecord = z.infer<typeof matchSchema>;

interface SlackMatch extends SlackMessage {
  channel?: { id?: string; name?: string; is_im?: boolean };
  permalink?: string;
}

/** A search term as typed: quotes kept, but no line breaks and a sane length. */
function cleanQuery(query: string): string {
  return query.replace(/\s+/g, ' ').trim();
}

export const slackSearchMessages = defineTool({
  name: 'slack_search_messages',
  title: 'Search messages',
  description:
    'Search messages across the workspace with Slack search syntax plus filters: in a conversation, from a person, before/after/on a date. Returns matches with channel, author, time and permalink, paged by next_cursor.',
  input: z.object({
    query: z
      .string()
      .max(500)
      .describe(
        'Words to find; Slack syntax such as "exact phrase" or -word works. May be empty when filters are given',
      ),
    in_channel: z
      .string()
      .max(100)
      .optional()
      .describe('Only in this conversation: an ID, #channel-name or @handle (a DM)'),
    from_user: z
      .string()
      .max(100)
      .optional()
      .describe('Only from this person: a user ID or @handle'),
    after: dateField('Only messages after this day'),
    before: dateField('Only messages before this day'),
    on: dateField('Only messages on this day'),
    sort: z
      .enum(['score', 'timestamp'])
      .optional()
      .describe('Order by relevance ("score", default) or time ("timestamp", newest first)'),
    limit: limitField(20, 100, 'matches'),
    cursor: cursorField,
  }),
  output: z.object({
    query: z.string().describe('The search as sent to Slack, filters included'),
    matches: z.array(matchSchema),
    total: z.number().optional().describe("Slack's count of all matches"),
    hidden: z
      .number()
      .optional()
      .describe(
        'Matches on this page left out because SLACK_CHANNEL_IDS excludes their conversation',
      ),
    ...pagedShape,
  }),
  privateArguments: ['query'],
  requires: ['userToken'],
  annotations: READ,
  auditTarget: ['in_channel', 'from_user'],
  async run(args, ctx) {
    if (ctx.config.userToken === undefined)
      throw new ToolError(
        'Message search needs a user token: the operator must set SLACK_USER_TOKEN (xoxp-…, with the search:read scope).',
      );
    const now = ctx.now();
    const parts = [cleanQuery(args.query)];
    if (args.in_channel !== undefined) {
      const ref = await resolveConversation(ctx, args.in_channel, 'read');
      parts.push(
        ref.name === undefined
          ? `in:<#${ref.id}>`
          : ref.name.startsWith('@')
            ? `in:${ref.name}`
            : `in:#${ref.name}`,
      );
    }
    if (args.from_user !== undefined) {
      const person = await resolveUser(ctx, args.from_user);
      parts.push(`from:<@${person.id}>`);
    }
    if (args.after !== undefined)
      parts.push(`after:${isoDay(parseInstant(args.after, 'after', now))}`);
    if (args.before !== undefined)
      parts.push(`before:${isoDay(parseInstant(args.before, 'before', now))}`);
    if (args.on !== undefined) parts.push(`on:${isoDay(parseInstant(args.on, 'on', now))}`);
    const query = parts.filter((part) => part !== '').join(' ');
    if (query === '')
      throw new ToolError(
        'Give words to search for, or at least one filter (in_channel, from_user, a date).',
      );
    const count = clampLimit(args.limit, 20, 100);
    const at = decodeCursor(args.cursor);
    const workspace = await checkedWorkspace(ctx, 'user');
    const result = await slack(
      ctx,
      'search.messages',
      (web) =>
        web.search.messages({
          query,
          count,
          page: at.page,
          highlight: false,
          ...(args.sort === 'timestamp' ? { sort: 'timestamp', sort_dir: 'desc' } : {}),
          ...teamArgument(ctx),
        }),
      'user',
    );
    const found = (result.messages?.matches ?? []) as SlackMatch[];
    const visible = found.filter(
      (match) => match.channel?.id !== undefined && ctx.policy.canRead(match.channel.id),
    );
    const names = await directoryOf(ctx).userNames(peopleIn(visible));
    const records: MatchRecord[] = visible.map((match) => {
      const channel = match.channel!;
      const record = toRecord(match, {
        channel: channel.id!,
        names,
        workspaceUrl: workspace.url,
        maxChars: LISTING_TEXT_CHARS,
      });
      if (typeof match.permalink === 'string' && /^https:\/\/\S+$/.test(match.permalink))
        record.permalink = match.permalink;
      const name = channel.is_im === true ? undefined : sanitizeLine(channel.name ?? '', 80);
      return {
        ...record,
        channel:
          name === undefined || name === '' ? { id: channel.id! } : { id: channel.id!, name },
      };
    });
    const pages = result.messages?.paging?.pages ?? result.messages?.pagination?.page_count ?? 1;
    const paged = pageWithin(
      records,
      at,
      at.page < pages ? { cursor: '', page: at.page + 1, skip: 0 } : undefined,
      ctx.config.outputBudget,
    );
    const hidden = found.length - visible.length;
    const total = result.messages?.total;
    const data = {
      query,
      matches: paged.items,
      ...(total === undefined || ctx.policy.limited ? {} : { total }),
      ...(hidden > 0 ? { hidden } : {}),
      ...pageFields(paged),
    };
    const lines = paged.items.map(
      (match) =>
        `${match.channel.name === undefined ? match.channel.id : `#${match.channel.name}`} ${messageLines(match)}`,
    );
    const header =
      paged.items.length === 0
        ? `No matches for ${query}${hidden > 0 ? ` (${hidden} outside SLACK_CHANNEL_IDS left out)` : ''}.`
        : `${paged.items.length} matches for ${query}${total === undefined || ctx.policy.limited ? '' : ` (of ${total})`}:`;
    return structured(
      data,
      `${header}\n${untrusted('slack search results', lines.join('\n'))}${continuation(paged, 'matches')}`,
    );
  },
});
