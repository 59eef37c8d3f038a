/**
 * @module
 * Messages posted later: `slack_schedule_message` (under the posting rules of
 * {@link composeMessage} and the channel policy's write check), `slack_list_scheduled_messages`
 * (those not yet posted, in the conversations the policy lets this server read) and
 * `slack_delete_scheduled_message` (withdrawn before it is posted). Slack's public Web API has no
 * drafts; a scheduled message is the nearest thing it offers.
 */
import { structured, ToolError } from '@plugboard/protocol';
import { z } from 'zod';
import { defineTool } from '../context.js';
import { isoTime, normalizeTs, parseFutureInstant } from '../ids.js';
import { composeMessage, formatField, textField } from '../outgoing.js';
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
} from '../paging.js';
import { sanitizeBody, untrusted } from '../sanitize.js';
import { resolveConversation, slack, teamArgument } from '../workspace.js';
import { CHANGE, channelField, limitField, POST, READ, threadTsField } from './common.js';

/** Slack schedules at most 120 days ahead. */
const MAX_SCHEDULE_SECONDS = 120 * 86_400;

export const slackScheduleMessage = defineTool({
  name: 'slack_schedule_message',
  title: 'Schedule message',
  description:
    'Schedule a message (or a thread reply) to be posted later, up to 120 days ahead. Same formatting and safety rules as slack_post_message; returns the scheduled message ID.',
  input: z.object({
    channel_id: channelField,
    text: textField,
    post_at: z
      .string()
      .min(1)
      .max(40)
      .describe(
        'When to post: an ISO date-time ("2026-11-21T09:00:00Z"), Unix seconds, or a duration from now such as "2h" or "+3d"',
      ),
    thread_ts: threadTsField.optional(),
    format: formatField,
  }),
  output: z.object({
    channel: z.string(),
    scheduled_message_id: z.string(),
    post_at: z.string().describe('When it will be posted (UTC)'),
    unfurled: z.boolean(),
  }),
  privateArguments: ['text'],
  annotations: POST,
  auditTarget: ['channel_id', 'thread_ts'],
  async run(args, ctx) {
    const ref = await resolveConversation(ctx, args.channel_id, 'write');
    const threadTs =
      args.thread_ts === undefined ? undefined : normalizeTs(args.thread_ts, 'thread_ts');
    const nowSeconds = Math.floor(ctx.now() / 1000);
    const postAt = Math.round(parseFutureInstant(args.post_at, 'post_at', ctx.now()));
    if (postAt <= nowSeconds)
      throw new ToolError(`post_at ${isoTime(postAt)} is not in the future; give a later time.`);
    if (postAt > nowSeconds + MAX_SCHEDULE_SECONDS)
      throw new ToolError('post_at is more than 120 days ahead, further than Slack schedules.');
    const message = composeMessage(args.text, args.format, ctx.config);
    const result = await slack(ctx, 'chat.scheduleMessage', (web) =>
      web.chat.scheduleMessage({
        channel: ref.id,
        post_at: postAt,
        ...message,
        ...(threadTs === undefined ? {} : { thread_ts: threadTs }),
      }),
    );
    const scheduled = {
      channel: result.channel ?? ref.id,
      scheduled_message_id: result.scheduled_message_id ?? '',
      post_at: isoTime(result.post_at ?? postAt),
      unfurled: message.unfurl_links,
    };
    ctx.logger.info('scheduled a message', {
      channel: scheduled.channel,
      postAt: scheduled.post_at,
    });
    return structured(
      scheduled,
      `Scheduled for ${scheduled.post_at} in ${ref.label} (ID ${scheduled.scheduled_message_id}).`,
    );
  },
});

const scheduledSchema = z.object({
  id: z.string().describe('The scheduled message ID, for slack_delete_scheduled_message'),
  channel: z.string(),
  post_at: z.string().describe('When it will be posted (UTC)'),
  created: z.string().optional(),
  text: z.string(),
});

type ScheduledRecord = z.infer<typeof scheduledSchema>;

/** A scheduled message as chat.scheduledMessages.list gives it. */
interface SlackScheduled {
  id?: string | number;
  channel_id?: string;
  post_at?: number;
  date_created?: number;
  text?: string;
}

/** Most characters of one scheduled message's text kept in a listing. */
const LISTED_TEXT_CHARS = 4000;

function toScheduledRecord(message: SlackScheduled): ScheduledRecord {
  const record: ScheduledRecord = {
    id: String(message.id ?? ''),
    channel: message.channel_id ?? '',
    post_at: isoTime(message.post_at ?? 0),
    text: sanitizeBody(message.text ?? '').slice(0, LISTED_TEXT_CHARS),
  };
  if (message.date_created !== undefined) record.created = isoTime(message.date_created);
  return record;
}

export const slackListScheduledMessages = defineTool({
  name: 'slack_list_scheduled_messages',
  title: 'List scheduled messages',
  description:
    'List messages this app scheduled that are not posted yet, soonest first, in one conversation or all it may read. Withdraw one with slack_delete_scheduled_message.',
  input: z.object({
    channel_id: channelField.optional(),
    oldest: z
      .string()
      .max(40)
      .optional()
      .describe('Only those posted after this time (ISO, Unix seconds, or "2h")'),
    latest: z.string().max(40).optional().describe('Only those posted before this time'),
    limit: limitField(50, 100, 'scheduled messages'),
    cursor: cursorField,
  }),
  output: z.object({
    scheduled_messages: z.array(scheduledSchema),
    hidden: z.number().optional().describe('Left out: outside SLACK_CHANNEL_IDS'),
    ...pagedShape,
  }),
  annotations: READ,
  async run(args, ctx) {
    const channel =
      args.channel_id === undefined
        ? undefined
        : await resolveConversation(ctx, args.channel_id, 'read');
    const at = decodeCursor(args.cursor);
    const now = ctx.now();
    const window = {
      ...(args.oldest === undefined
        ? {}
        : { oldest: String(Math.floor(parseFutureInstant(args.oldest, 'oldest', now))) }),
      ...(args.latest === undefined
        ? {}
        : { latest: String(Math.ceil(parseFutureInstant(args.latest, 'latest', now))) }),
    };
    const page = await slack(ctx, 'chat.scheduledMessages.list', (web) =>
      web.chat.scheduledMessages.list({
        limit: clampLimit(args.limit, 50, 100),
        ...(channel === undefined ? {} : { channel: channel.id }),
        ...window,
        ...cursorParam(at),
        ...teamArgument(ctx),
      }),
    );
    const found = (page.scheduled_messages ?? []) as SlackScheduled[];
    const shown = found
      .filter((message) => ctx.policy.canRead(message.channel_id ?? ''))
      .map(toScheduledRecord)
      .sort((a, b) => a.post_at.localeCompare(b.post_at));
    const next = nextSlackCursor(page.response_metadata?.next_cursor, at.cursor);
    const paged = pageWithin(
      shown,
      at,
      next === undefined ? undefined : { cursor: next, page: 1, skip: 0 },
      ctx.config.outputBudget,
    );
    const hidden = found.length - shown.length;
    const lines = paged.items.map(
      (message) =>
        `${message.id} in ${message.channel} at ${message.post_at}:\n  ${message.text.replace(/\n/g, '\n  ')}`,
    );
    const text =
      paged.items.length === 0
        ? `No scheduled messages${hidden > 0 ? ` (${hidden} outside SLACK_CHANNEL_IDS left out)` : ''}.`
        : `${paged.items.length} scheduled messages:\n${untrusted('slack scheduled messages', lines.join('\n'))}`;
    return structured(
      { scheduled_messages: paged.items, ...(hidden > 0 ? { hidden } : {}), ...pageFields(paged) },
      text + continuation(paged, 'scheduled messages'),
    );
  },
});

export const slackDeleteScheduledMessage = defineTool({
  name: 'slack_delete_scheduled_message',
  title: 'Delete scheduled message',
  description:
    'Withdraw a message this app scheduled, before it is posted (chat.deleteScheduledMessage). Find the ID with slack_list_scheduled_messages.',
  input: z.object({
    channel_id: channelField,
    scheduled_message_id: z
      .string()
      .min(1)
      .max(40)
      .regex(/^[A-Za-z0-9]+$/)
      .describe('The ID slack_schedule_message or slack_list_scheduled_messages gave'),
  }),
  output: z.object({ channel: z.string(), scheduled_message_id: z.string() }),
  annotations: CHANGE,
  auditTarget: ['channel_id', 'scheduled_message_id'],
  async run(args, ctx) {
    const ref = await resolveConversation(ctx, args.channel_id, 'write');
    await slack(ctx, 'chat.deleteScheduledMessage', (web) =>
      web.chat.deleteScheduledMessage({
        channel: ref.id,
        scheduled_message_id: args.scheduled_message_id,
      }),
    );
    const deleted = { channel: ref.id, scheduled_message_id: args.scheduled_message_id };
    ctx.logger.info('deleted a scheduled message', deleted);
    return structured(
      deleted,
      `Withdrew scheduled message ${args.scheduled_message_id} from ${ref.label}.`,
    );
  },
});
