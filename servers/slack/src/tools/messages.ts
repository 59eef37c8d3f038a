/**
 * @module
 * Writing messages: `slack_post_message`, `slack_reply_to_thread` and `slack_schedule_message`.
 * Each goes through {@link composeMessage} (mass mentions refused, text escaped, unfurling off
 * unless every link is allow-listed) and the write check of the channel policy.
 */
import { structured, ToolError } from '@plugboard/protocol';
import { z } from 'zod';
import { defineTool, type SlackContext } from '../context.js';
import { isoTime, normalizeTs, parseFutureInstant } from '../ids.js';
import { composeMessage, formatField, textField } from '../outgoing.js';
import { permalink } from '../render.js';
import {
  checkedWorkspace,
  resolveConversation,
  slack,
  type ConversationRef,
} from '../workspace.js';
import { channelField, POST, threadTsField } from './common.js';

const postedSchema = z.object({
  channel: z.string(),
  ts: z
    .string()
    .describe('The new message; use it as thread_ts to reply, or as timestamp to react'),
  time: z.string(),
  thread_ts: z.string().optional(),
  permalink: z.string().optional(),
  unfurled: z.boolean().describe('Whether Slack was allowed to show link previews'),
});

type Posted = z.infer<typeof postedSchema>;

async function post(
  ctx: SlackContext,
  ref: ConversationRef,
  text: string,
  format: Parameters<typeof composeMessage>[1],
  threadTs?: string,
): Promise<Posted> {
  const message = composeMessage(text, format, ctx.config);
  const workspace = await checkedWorkspace(ctx);
  const result = await slack(ctx, 'chat.postMessage', (web) =>
    web.chat.postMessage({
      channel: ref.id,
      ...message,
      ...(threadTs === undefined ? {} : { thread_ts: threadTs }),
    }),
  );
  const channel = result.channel ?? ref.id;
  const ts = result.ts ?? '';
  const posted: Posted = {
    channel,
    ts,
    time: isoTime(ts),
    unfurled: message.unfurl_links,
  };
  if (threadTs !== undefined) posted.thread_ts = threadTs;
  const link = permalink(workspace.url, channel, ts, threadTs);
  if (link !== undefined) posted.permalink = link;
  ctx.logger.info('posted a message', { channel, ts, thread: threadTs !== undefined });
  return posted;
}

function postedText(posted: Posted, where: string): string {
  return `Posted to ${where} as ts ${posted.ts}${posted.permalink === undefined ? '' : ` (${posted.permalink})`}.`;
}

/**
 * The `post` approval class: a message anywhere but the operator's quiet channels. A `#name`
 * counts as outside, since the quiet list holds IDs.
 */
function outsideQuietChannels({ channel_id }: { channel_id: string }, ctx: SlackContext): boolean {
  return !ctx.config.quietChannels.has(channel_id);
}

export const slackPostMessage = defineTool({
  name: 'slack_post_message',
  title: 'Post message',
  description:
    'Post a new message to a channel or DM. Markdown is converted to Slack formatting; link previews stay off unless the operator allows the domains, and @channel/@here mentions are refused unless allowed.',
  input: z.object({
    channel_id: channelField,
    text: textField,
    format: formatField,
  }),
  output: postedSchema,
  privateArguments: ['text'],
  annotations: POST,
  approval: {
    class: 'post',
    when: outsideQuietChannels,
    summary: ({ channel_id, text }) => `Post this message to ${channel_id}:\n\n${text}`,
  },
  async run(args, ctx) {
    const ref = await resolveConversation(ctx, args.channel_id, 'write');
    const posted = await post(ctx, ref, args.text, args.format);
    return structured(posted, postedText(posted, ref.label));
  },
});

export const slackReplyToThread = defineTool({
  name: 'slack_reply_to_thread',
  title: 'Reply to thread',
  description:
    'Reply in the thread of a message (thread_ts is the parent message ts). Same formatting and safety rules as slack_post_message.',
  input: z.object({
    channel_id: channelField,
    thread_ts: threadTsField,
    text: textField,
    format: formatField,
  }),
  output: postedSchema,
  privateArguments: ['text'],
  annotations: POST,
  approval: {
    class: 'post',
    when: outsideQuietChannels,
    summary: ({ channel_id, thread_ts, text }) =>
      `Reply in the thread ${thread_ts} of ${channel_id} with this message:\n\n${text}`,
  },
  async run(args, ctx) {
    const ref = await resolveConversation(ctx, args.channel_id, 'write');
    const threadTs = normalizeTs(args.thread_ts, 'thread_ts');
    const posted = await post(ctx, ref, args.text, args.format, threadTs);
    return structured(posted, postedText(posted, `the thread ${threadTs} in ${ref.label}`));
  },
});

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
