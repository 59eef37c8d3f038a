/**
 * @module
 * `slack_add_reaction` and `slack_remove_reaction`: emoji reactions on a message. Both are writes,
 * so both pass the channel policy's write check (SLACK_CHANNEL_IDS and --post-channels).
 */
import { structured, ToolError } from '@plugboard/protocol';
import { z } from 'zod';
import { defineTool, type SlackContext } from '../context.js';
import { normalizeTs } from '../ids.js';
import { resolveConversation, slack } from '../workspace.js';
import { channelField, DELETE, SET } from './common.js';

const reactionInput = z.object({
  channel_id: channelField,
  timestamp: z.string().min(1).max(40).describe("The message's ts, such as '1234567890.123456'"),
  reaction: z
    .string()
    .min(1)
    .max(100)
    .describe('The emoji name without colons, such as "thumbsup" or "white_check_mark"'),
});

const reactionOutput = z.object({
  channel: z.string(),
  timestamp: z.string(),
  reaction: z.string(),
});

/** An emoji name as Slack takes it: colons and surrounding space removed, checked. */
function emojiName(raw: string): string {
  const name = raw.trim().replace(/^:/, '').replace(/:$/, '').toLowerCase();
  if (!/^[a-z0-9_+'-]{1,80}(::skin-tone-[2-6])?$/.test(name))
    throw new ToolError(
      `reaction: "${raw.slice(0, 40)}" is not an emoji name; use a name such as "thumbsup", without colons.`,
    );
  return name;
}

/**
 * Adds or removes one reaction: the conversation must pass the write check, the ts and emoji
 * name are checked before Slack is asked.
 */
async function react(
  ctx: SlackContext,
  args: z.infer<typeof reactionInput>,
  method: 'add' | 'remove',
): Promise<{ result: z.infer<typeof reactionOutput>; label: string }> {
  const ref = await resolveConversation(ctx, args.channel_id, 'write');
  const timestamp = normalizeTs(args.timestamp, 'timestamp');
  const name = emojiName(args.reaction);
  await slack(ctx, `reactions.${method}`, (web) =>
    web.reactions[method]({ channel: ref.id, timestamp, name }),
  );
  return { result: { channel: ref.id, timestamp, reaction: name }, label: ref.label };
}

export const slackAddReaction = defineTool({
  name: 'slack_add_reaction',
  title: 'Add reaction',
  description: 'Add an emoji reaction to a message, given its channel and ts.',
  input: reactionInput,
  output: reactionOutput,
  auditTarget: ['channel_id', 'timestamp'],
  annotations: SET,
  async run(args, ctx) {
    const { result, label } = await react(ctx, args, 'add');
    return structured(result, `Added :${result.reaction}: to ${result.timestamp} in ${label}.`);
  },
});

export const slackRemoveReaction = defineTool({
  name: 'slack_remove_reaction',
  title: 'Remove reaction',
  description: "Remove one of the app's own emoji reactions from a message.",
  input: reactionInput,
  output: reactionOutput,
  auditTarget: ['channel_id', 'timestamp'],
  annotations: DELETE,
  async run(args, ctx) {
    const { result, label } = await react(ctx, args, 'remove');
    return structured(result, `Removed :${result.reaction}: from ${result.timestamp} in ${label}.`);
  },
});
