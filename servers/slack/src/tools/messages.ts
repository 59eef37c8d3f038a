/**
 * @module
 * Writing messages: `slack_post_message` and `slack_reply_to_thread` (scheduling is in
 * `scheduled.ts`). Each goes through {@link composeMessage} (mass mentions refused, text escaped, unfurling off
 * unless every link is allow-listed) and the write check of the channel policy.
 */
import { structured } from '@plugboard/protocol';
import { z } from 'zod';
import { defineTool, type SlackContext } from '../context.js';
import { isoTime, normalizeTs } from '../ids.js';
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
  auditTarget: ['channel_id'],
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
  auditTarget: ['channel_id', 'thread_ts'],
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
