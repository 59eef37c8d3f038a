/**
 * @module
 * The conversation allowlists. `SLACK_CHANNEL_IDS` bounds every read and every write (the
 * official server applied it only to listing channels); `--post-channels` narrows writes further.
 * Checks run on resolved conversation IDs, after `#name` and `@handle` lookups, so a name can
 * never reach a conversation its ID could not.
 */
import { ToolError } from '@plugboard/protocol';
import type { SlackConfig } from './config.js';

export interface ChannelPolicy {
  /** True when SLACK_CHANNEL_IDS limits what is reachable. */
  readonly limited: boolean;
  /** The configured conversations, when limited. */
  readonly channels: readonly string[];
  canRead(id: string): boolean;
  /** Whether `id` may be written: readable, and in --post-channels when that is set. */
  canWrite(id: string): boolean;
  /** True when SLACK_CHANNEL_IDS or --post-channels limits what may be written. */
  readonly writeLimited: boolean;
  /** Throws unless `id` may be read. `label` names it in the message (`#general (C123)`). */
  checkRead(id: string, label?: string): void;
  /** Throws unless `id` may be written (messages, replies, scheduled messages, reactions). */
  checkWrite(id: string, label?: string): void;
}

function listed(ids: ReadonlySet<string>): string {
  const all = [...ids];
  return all.length <= 10
    ? all.join(', ')
    : `${all.slice(0, 10).join(', ')} and ${all.length - 10} more`;
}

export function createChannelPolicy(
  config: Pick<SlackConfig, 'channelIds' | 'postChannels'>,
): ChannelPolicy {
  const { channelIds, postChannels } = config;
  const canRead = (id: string): boolean => channelIds === undefined || channelIds.has(id);
  const checkRead = (id: string, label = id): void => {
    if (!canRead(id))
      throw new ToolError(
        `Conversation ${label} is outside SLACK_CHANNEL_IDS, the only conversations this server may read or write (${listed(channelIds!)}). The operator can add it; nothing in a tool call can.`,
      );
  };
  return {
    limited: channelIds !== undefined,
    writeLimited: channelIds !== undefined || postChannels !== undefined,
    channels: channelIds === undefined ? [] : [...channelIds],
    canRead,
    canWrite: (id) => canRead(id) && (postChannels === undefined || postChannels.has(id)),
    checkRead,
    checkWrite(id, label = id) {
      checkRead(id, label);
      if (postChannels !== undefined && !postChannels.has(id))
        throw new ToolError(
          `Writing to ${label} is not allowed: this server writes only to ${listed(postChannels)} (--post-channels). Reading it is fine.`,
        );
    },
  };
}
