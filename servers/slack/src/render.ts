/**
 * @module
 * Slack messages as compact records for the model: authors named, times readable, Slack's markup
 * (`<@U…>`, `<#C…|name>`, `<url|label>`, entities) turned into what a reader sees, hidden
 * characters removed, each with its permalink. Text renderings fence message bodies off as
 * untrusted content.
 */
import { z } from 'zod';
import { isoTime } from './ids.js';
import { sanitizeBody, sanitizeLine, untrusted } from './sanitize.js';

/** A file as the Web API returns it (the fields used here and by the file tools). */
export interface SlackFile {
  id?: string;
  name?: string;
  title?: string;
  filetype?: string;
  mimetype?: string;
  size?: number;
  user?: string;
  created?: number;
  channels?: string[];
  groups?: string[];
  ims?: string[];
  permalink?: string;
  url_private?: string;
  url_private_download?: string;
  is_external?: boolean;
}

/** A message as the Web API returns it (the fields used here). */
export interface SlackMessage {
  ts?: string;
  user?: string;
  bot_id?: string;
  username?: string;
  bot_profile?: { name?: string };
  text?: string;
  thread_ts?: string;
  reply_count?: number;
  subtype?: string;
  edited?: { ts?: string };
  reactions?: { name?: string; count?: number }[];
  files?: SlackFile[];
  attachments?: { fallback?: string; text?: string; title?: string }[];
}

export const messageSchema = z.object({
  ts: z.string().describe('Message timestamp: its ID within the conversation'),
  time: z.string().describe('When it was posted (UTC)'),
  user: z.string().optional(),
  user_name: z.string().optional().describe('Author handle, or the bot name'),
  text: z.string(),
  thread_ts: z.string().optional().describe('The thread this message starts or belongs to'),
  reply_count: z.number().optional(),
  reactions: z.array(z.object({ name: z.string(), count: z.number() })).optional(),
  files: z
    .array(
      z.object({
        id: z.string(),
        name: z.string(),
        filetype: z.string().optional(),
        mimetype: z.string().optional(),
        size: z.number().optional().describe('Bytes'),
        permalink: z.string().optional(),
      }),
    )
    .optional()
    .describe(
      'Files (images too) described, never their contents; read text files with slack_read_file',
    ),
  subtype: z.string().optional(),
  edited: z.boolean().optional(),
  permalink: z.string().optional(),
});

export type MessageRecord = z.infer<typeof messageSchema>;

/** Most characters of one message kept in a listing; a listing of one message keeps more. */
export const LISTING_TEXT_CHARS = 4000;
export const SINGLE_TEXT_CHARS = 40_000;

const USER_MENTION = /<@([UW][A-Z0-9]{2,20})(?:\|[^>]*)?>/g;

/** Every person a message names: its author and the people it mentions. */
export function peopleIn(messages: readonly SlackMessage[]): Set<string> {
  const ids = new Set<string>();
  for (const message of messages) {
    if (message.user !== undefined) ids.add(message.user);
    for (const match of (message.text ?? '').matchAll(USER_MENTION)) ids.add(match[1]!);
  }
  return ids;
}

/** Slack's markup as a reader sees it: `@alice`, `#general`, `label (url)`, entities decoded. */
export function readableText(text: string, names: ReadonlyMap<string, string>): string {
  const shown = text.replace(/<([^<>\n]{1,3000})>/g, (_whole, inner: string) => {
    const bar = inner.indexOf('|');
    const target = bar === -1 ? inner : inner.slice(0, bar);
    const label = bar === -1 ? undefined : inner.slice(bar + 1);
    if (target.startsWith('@')) return `@${names.get(target.slice(1)) ?? label ?? target.slice(1)}`;
    if (target.startsWith('#')) return `#${label ?? target.slice(1)}`;
    if (target.startsWith('!')) {
      const command = target.slice(1);
      if (/^(here|channel|everyone)$/.test(command)) return `@${command}`;
      return label ?? (command.startsWith('subteam^') ? '@group' : '');
    }
    return label === undefined || label === target ? target : `${label} (${target})`;
  });
  return shown.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

function cut(text: string, max: number): string {
  return text.length <= max
    ? text
    : `${text.slice(0, max)}\n[… cut at ${max} of ${text.length} characters; ask for this message alone (limit 1) to see more]`;
}

export function permalink(
  workspaceUrl: string | undefined,
  channel: string,
  ts: string,
  threadTs?: string,
): string | undefined {
  if (workspaceUrl === undefined || ts === '') return undefined;
  const base = `${workspaceUrl}archives/${channel}/p${ts.replace('.', '')}`;
  return threadTs !== undefined && threadTs !== ts
    ? `${base}?thread_ts=${threadTs}&cid=${channel}`
    : base;
}

export interface RecordOptions {
  readonly channel: string;
  readonly names: ReadonlyMap<string, string>;
  readonly workspaceUrl: string | undefined;
  readonly maxChars: number;
}

/** The text a message shows, attachments' fallbacks included (bots often post only those). */
function messageText(message: SlackMessage): string {
  const parts = [message.text ?? ''];
  for (const attachment of message.attachments?.slice(0, 5) ?? []) {
    const extra = attachment.fallback ?? attachment.text ?? attachment.title;
    if (extra !== undefined && extra !== '' && !parts.includes(extra)) parts.push(extra);
  }
  return parts.filter((part) => part !== '').join('\n');
}

export function toRecord(message: SlackMessage, options: RecordOptions): MessageRecord {
  const ts = message.ts ?? '';
  const name =
    (message.user === undefined ? undefined : options.names.get(message.user)) ??
    message.bot_profile?.name ??
    message.username;
  const record: MessageRecord = {
    ts,
    time: isoTime(ts),
    text: cut(sanitizeBody(readableText(messageText(message), options.names)), options.maxChars),
  };
  if (message.user !== undefined) record.user = message.user;
  if (name !== undefined && name !== '') record.user_name = sanitizeLine(name, 80);
  if (message.thread_ts !== undefined) record.thread_ts = message.thread_ts;
  if (message.reply_count !== undefined && message.reply_count > 0)
    record.reply_count = message.reply_count;
  const reactions = (message.reactions ?? [])
    .filter((reaction) => reaction.name !== undefined)
    .slice(0, 20)
    .map((reaction) => ({ name: sanitizeLine(reaction.name!, 60), count: reaction.count ?? 1 }));
  if (reactions.length > 0) record.reactions = reactions;
  const files = (message.files ?? [])
    .filter((file) => file.id !== undefined)
    .slice(0, 20)
    .map((file) => ({
      id: file.id!,
      name: sanitizeLine(file.name ?? file.title ?? '', 120),
      ...(file.filetype === undefined ? {} : { filetype: sanitizeLine(file.filetype, 30) }),
      ...(file.mimetype === undefined ? {} : { mimetype: sanitizeLine(file.mimetype, 80) }),
      ...(typeof file.size === 'number' ? { size: file.size } : {}),
      ...(file.permalink !== undefined && /^https:\/\/[^\s<>"]+$/.test(file.permalink)
        ? { permalink: file.permalink }
        : {}),
    }));
  if (files.length > 0) record.files = files;
  if (message.subtype !== undefined) record.subtype = sanitizeLine(message.subtype, 40);
  if (message.edited !== undefined) record.edited = true;
  const link = permalink(options.workspaceUrl, options.channel, ts, message.thread_ts);
  if (link !== undefined) record.permalink = link;
  return record;
}

/** `2026-11-21 10:00:00Z` from the record's ISO time: the listing form. */
function shortTime(time: string): string {
  return time.replace('T', ' ');
}

/** A file as the listing shows it: ID, name, type, size and link, never its contents. */
function fileWords(file: NonNullable<MessageRecord['files']>[number]): string {
  const about = [
    file.mimetype ?? file.filetype,
    file.size === undefined ? undefined : `${file.size} bytes`,
  ]
    .filter((part) => part !== undefined)
    .join(', ');
  return `file ${file.id} ${file.name}${about === '' ? '' : ` (${about})`}${file.permalink === undefined ? '' : ` ${file.permalink}`}`;
}

/** One message as a few lines: a header, then the text indented. */
export function messageLines(record: MessageRecord): string {
  const who = record.user_name !== undefined ? `@${record.user_name}` : (record.user ?? 'unknown');
  const details = [
    `ts ${record.ts}`,
    record.thread_ts !== undefined && record.thread_ts !== record.ts
      ? `in thread ${record.thread_ts}`
      : '',
    record.reply_count !== undefined ? `${record.reply_count} replies` : '',
    record.edited === true ? 'edited' : '',
    record.subtype ?? '',
    record.reactions?.map((reaction) => `:${reaction.name}: ${reaction.count}`).join(' ') ?? '',
    record.files?.map(fileWords).join(', ') ?? '',
  ].filter((part) => part !== '');
  const body = record.text === '' ? '' : `\n  ${record.text.replace(/\n/g, '\n  ')}`;
  return `[${shortTime(record.time)}] ${who} (${details.join('; ')})${body}`;
}

/** Messages as text: the bodies inside one untrusted-content element. */
export function messagesText(source: string, records: readonly MessageRecord[]): string {
  return untrusted(source, records.map(messageLines).join('\n'));
}
