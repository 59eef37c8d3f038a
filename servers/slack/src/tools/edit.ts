/**
 * @module
 * `slack_update_message` and `slack_delete_message`: changing a message after it was posted, and
 * only a message this token posted. The message is read first (history, then its thread) and its
 * `user` / `bot_id` compared with who the token is (auth.test); anyone else's message is refused
 * with the reason before chat.update or chat.delete is asked. Both are writes under the channel
 * policy, and an edit goes through the same {@link composeMessage} as a post. chat.update has no
 * unfurl switch, so an edit may carry links only when every one is on `--unfurl-domains`.
 */
import { structured, ToolError } from '@plugboard/protocol';
import { z } from 'zod';
import { defineTool, type SlackContext } from '../context.js';
import { isoTime, normalizeTs } from '../ids.js';
import {
  composeMessage,
  refuseUnallowedLinks,
  textField,
  type OutgoingMessage,
} from '../outgoing.js';
import { permalink, type SlackMessage } from '../render.js';
import {
  checkedWorkspace,
  resolveConversation,
  slack,
  type ConversationRef,
} from '../workspace.js';
import { CHANGE, channelField } from './common.js';

const timestampField = z
  .string()
  .min(1)
  .max(40)
  .describe("The message's ts, such as '1234567890.123456' (a thread reply's own ts for a reply)");

interface OwnMessage {
  readonly ref: ConversationRef;
  readonly ts: string;
  readonly threadTs: string | undefined;
  readonly workspaceUrl: string | undefined;
}

/** The message at `ts`: a top-level one from history, else a reply from its thread. */
async function findMessage(
  ctx: SlackContext,
  channel: string,
  ts: string,
): Promise<SlackMessage | undefined> {
  const window = { channel, oldest: ts, latest: ts, inclusive: true };
  const history = await slack(ctx, 'conversations.history', (web) =>
    web.conversations.history({ ...window, limit: 1 }),
  );
  const top = (history.messages ?? []).find((message) => message.ts === ts);
  if (top !== undefined) return top;
  const thread = await slack(ctx, 'conversations.replies', (web) =>
    web.conversations.replies({ ...window, ts, limit: 2 }),
  );
  return (thread.messages ?? []).find((message) => message.ts === ts);
}

/**
 * The conversation and message a call names, once the conversation passed the write check and
 * the message is known to be this token's own; anything else is refused with the reason.
 */
async function ownMessage(
  ctx: SlackContext,
  args: { channel_id: string; timestamp: string },
  verb: 'edit' | 'delete',
): Promise<OwnMessage> {
  const ref = await resolveConversation(ctx, args.channel_id, 'write');
  const ts = normalizeTs(args.timestamp, 'timestamp');
  const me = await checkedWorkspace(ctx);
  const message = await findMessage(ctx, ref.id, ts);
  if (message === undefined)
    throw new ToolError(
      `No message with ts ${ts} in ${ref.label}. Use the ts of a message as listed by slack_get_channel_history or slack_get_thread_replies.`,
    );
  const byUser = message.user !== undefined && message.user === me.userId;
  const byBot = me.botId !== undefined && message.bot_id === me.botId;
  if (!byUser && !byBot) {
    const author = message.user ?? message.bot_id ?? 'an integration';
    const self = me.botId === undefined ? me.userId : `${me.userId} / ${me.botId}`;
    throw new ToolError(
      `Message ${ts} in ${ref.label} was posted by ${author}, not by this token (${self}); this server may ${verb} only messages it posted.`,
    );
  }
  const threadTs =
    message.thread_ts !== undefined && message.thread_ts !== ts ? message.thread_ts : undefined;
  return { ref, ts, threadTs, workspaceUrl: me.url };
}

/** An edit's text, composed as a post would be; links only where Slack may unfurl them. */
function composeEdit(
  ctx: SlackContext,
  text: string,
  format: 'markdown' | 'mrkdwn' | undefined,
): Omit<OutgoingMessage, 'mrkdwn'> {
  const message = composeMessage(text, format, ctx.config);
  refuseUnallowedLinks(
    message.text,
    ctx.config.unfurlDomains,
    'an edited message',
    'Edit without the links, or delete the message and post it again.',
  );
  // Not in chat.update's documented arguments; sent anyway, so a Slack that honours them does.
  return {
    text: message.text,
    unfurl_links: message.unfurl_links,
    unfurl_media: message.unfurl_media,
    link_names: false,
  };
}

const editedSchema = z.object({
  channel: z.string(),
  ts: z.string(),
  time: z.string().describe('When the message was first posted (UTC)'),
  thread_ts: z.string().optional().describe('The thread the message is a reply in'),
  permalink: z.string().optional(),
});

type Edited = z.infer<typeof editedSchema>;

/** The message a call changed; a deleted one has no permalink left to give. */
function edited(own: OwnMessage, stillThere: boolean): Edited {
  const result: Edited = { channel: own.ref.id, ts: own.ts, time: isoTime(own.ts) };
  if (own.threadTs !== undefined) result.thread_ts = own.threadTs;
  const link = stillThere
    ? permalink(own.workspaceUrl, own.ref.id, own.ts, own.threadTs)
    : undefined;
  if (link !== undefined) result.permalink = link;
  return result;
}

export const slackUpdateMessage = defineTool({
  name: 'slack_update_message',
  title: 'Edit message',
  description:
    "Replace the text of a message this app posted (others' messages are refused). Same formatting and mention rules as slack_post_message; the new text may link only to domains the operator allows.",
  input: z.object({
    channel_id: channelField,
    timestamp: timestampField,
    text: textField,
    format: z
      .enum(['markdown', 'mrkdwn'])
      .optional()
      .describe(
        'How text is read: "markdown" (default; converted to Slack formatting) or "mrkdwn" (Slack formatting as written)',
      ),
  }),
  output: editedSchema,
  privateArguments: ['text'],
  annotations: CHANGE,
  auditTarget: ['channel_id', 'timestamp'],
  async run(args, ctx) {
    const update = composeEdit(ctx, args.text, args.format);
    const own = await ownMessage(ctx, args, 'edit');
    const request = { channel: own.ref.id, ts: own.ts, ...update };
    await slack(ctx, 'chat.update', (web) => web.chat.update(request));
    ctx.logger.info('edited a message', { channel: own.ref.id, ts: own.ts });
    return structured(edited(own, true), `Edited message ${own.ts} in ${own.ref.label}.`);
  },
});

export const slackDeleteMessage = defineTool({
  name: 'slack_delete_message',
  title: 'Delete message',
  description:
    "Delete a message this app posted (others' messages are refused). Deleting a thread's parent leaves its replies in place.",
  input: z.object({
    channel_id: channelField,
    timestamp: timestampField,
  }),
  output: editedSchema,
  annotations: CHANGE,
  auditTarget: ['channel_id', 'timestamp'],
  async run(args, ctx) {
    const own = await ownMessage(ctx, args, 'delete');
    await slack(ctx, 'chat.delete', (web) => web.chat.delete({ channel: own.ref.id, ts: own.ts }));
    ctx.logger.info('deleted a message', { channel: own.ref.id, ts: own.ts });
    return structured(edited(own, false), `Deleted message ${own.ts} from ${own.ref.label}.`);
  },
});
