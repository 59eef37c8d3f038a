/**
 * @module
 * Files shared in Slack: `slack_list_files` (filtered by conversation, person, type and time) and
 * `slack_read_file` (the text of a text file, a window of it at a time within the output budget).
 * Files are reachable only through conversations the channel policy allows.
 */
import { structured, ToolError } from '@plugboard/protocol';
import { z } from 'zod';
import { defineTool, download, type SlackContext } from '../context.js';
import { FILE_ID, isoTime, parseInstant } from '../ids.js';
import {
  clampLimit,
  continuation,
  cursorField,
  decodeCursor,
  pageFields,
  pagedShape,
  pageWithin,
} from '../paging.js';
import type { SlackFile } from '../render.js';
import { sanitizeBody, sanitizeLine, untrusted } from '../sanitize.js';
import { maxBytesField, utf8Window, windowBytes } from '../text-window.js';
import {
  checkedWorkspace,
  directoryOf,
  resolveConversation,
  resolveUser,
  slack,
  teamArgument,
} from '../workspace.js';
import { channelField, limitField, READ } from './common.js';

const TEXT_FILETYPES = new Set([
  'text',
  'markdown',
  'post',
  'csv',
  'tsv',
  'json',
  'javascript',
  'typescript',
  'python',
  'yaml',
  'xml',
  'html',
  'css',
  'shell',
  'sql',
  'go',
  'java',
  'c',
  'cpp',
  'csharp',
  'ruby',
  'rust',
  'kotlin',
  'swift',
  'php',
  'diff',
  'log',
  'toml',
  'ini',
  'dockerfile',
  'perl',
  'r',
  'scala',
  'lua',
  'haskell',
  'clojure',
  'elixir',
  'erlang',
  'groovy',
  'powershell',
  'vb',
  'matlab',
  'latex',
  'ocaml',
  'fsharp',
  'dart',
  'vue',
  'jsx',
  'tsx',
  'graphql',
  'protobuf',
  'terraform',
]);

const TEXT_MIME =
  /^(text\/[\w.+-]+|application\/(json|xml|javascript|x-javascript|x-yaml|yaml|x-sh|sql|csv|x-ndjson|toml|graphql|[\w.+-]+\+(json|xml)))$/i;

export function isTextFile(file: Pick<SlackFile, 'filetype' | 'mimetype'>): boolean {
  const mime = (file.mimetype ?? '').split(';')[0]!.trim();
  return TEXT_MIME.test(mime) || TEXT_FILETYPES.has((file.filetype ?? '').toLowerCase());
}

const fileSchema = z.object({
  id: z.string(),
  name: z.string(),
  title: z.string().optional(),
  filetype: z.string().optional(),
  mimetype: z.string().optional(),
  size: z.number().optional().describe('Bytes'),
  user: z.string().optional(),
  user_name: z.string().optional(),
  created: z.string().optional(),
  channels: z.array(z.string()).describe('Conversations it is shared in'),
  is_text: z.boolean().describe('Whether slack_read_file can read it'),
  permalink: z.string().optional(),
});

type FileRecord = z.infer<typeof fileSchema>;

export function sharedIn(file: SlackFile): string[] {
  return [...new Set([...(file.channels ?? []), ...(file.groups ?? []), ...(file.ims ?? [])])];
}

function toFileRecord(file: SlackFile, names: ReadonlyMap<string, string>): FileRecord {
  const record: FileRecord = {
    id: file.id ?? '',
    name: sanitizeLine(file.name ?? file.title ?? '', 160),
    channels: sharedIn(file),
    is_text: isTextFile(file) && file.is_external !== true,
  };
  const title = sanitizeLine(file.title ?? '', 160);
  if (title !== '' && title !== record.name) record.title = title;
  if (file.filetype !== undefined) record.filetype = sanitizeLine(file.filetype, 30);
  if (file.mimetype !== undefined) record.mimetype = sanitizeLine(file.mimetype, 80);
  if (file.size !== undefined) record.size = file.size;
  if (file.user !== undefined) record.user = file.user;
  const name = file.user === undefined ? undefined : names.get(file.user);
  if (name !== undefined) record.user_name = name;
  if (file.created !== undefined) record.created = isoTime(file.created);
  if (typeof file.permalink === 'string' && /^https?:\/\/\S+$/.test(file.permalink))
    record.permalink = file.permalink;
  return record;
}

/** Whether the policy lets a file be seen: shared in at least one readable conversation. */
function visible(ctx: SlackContext, file: SlackFile): boolean {
  return !ctx.policy.limited || sharedIn(file).some((id) => ctx.policy.canRead(id));
}

function fileLine(file: FileRecord): string {
  const details = [
    file.filetype,
    file.size === undefined ? undefined : `${file.size} bytes`,
    file.user_name === undefined ? file.user : `@${file.user_name}`,
    file.created,
    file.is_text ? 'text' : undefined,
  ].filter((part) => part !== undefined && part !== '');
  return `${file.id} ${file.name} (${details.join(', ')})${file.channels.length === 0 ? '' : ` in ${file.channels.join(', ')}`}`;
}

export const slackListFiles = defineTool({
  name: 'slack_list_files',
  title: 'List files',
  description:
    'List files shared in Slack, newest first, optionally only in one conversation, by one person, of one type or in a time window. Text files (is_text) can then be read with slack_read_file.',
  input: z.object({
    channel_id: channelField.optional(),
    user: z
      .string()
      .max(100)
      .optional()
      .describe('Only files shared by this person: a user ID or @handle'),
    types: z
      .array(z.enum(['spaces', 'snippets', 'images', 'gdocs', 'zips', 'pdfs']))
      .optional()
      .describe('Only files of these kinds (default all)'),
    oldest: z
      .string()
      .max(40)
      .optional()
      .describe('Only files shared after this time (ISO, Unix seconds, or "7d")'),
    latest: z.string().max(40).optional().describe('Only files shared before this time'),
    limit: limitField(50, 100, 'files'),
    cursor: cursorField,
  }),
  output: z.object({ files: z.array(fileSchema), hidden: z.number().optional(), ...pagedShape }),
  annotations: READ,
  auditTarget: ['channel_id'],
  async run(args, ctx) {
    const channel =
      args.channel_id === undefined
        ? undefined
        : await resolveConversation(ctx, args.channel_id, 'read');
    const user = args.user === undefined ? undefined : await resolveUser(ctx, args.user);
    const now = ctx.now();
    const count = clampLimit(args.limit, 50, 100);
    const at = decodeCursor(args.cursor);
    const result = await slack(ctx, 'files.list', (web) =>
      web.files.list({
        count,
        page: at.page,
        ...(channel === undefined ? {} : { channel: channel.id }),
        ...(user === undefined ? {} : { user: user.id }),
        ...(args.types === undefined ? {} : { types: args.types.join(',') }),
        ...(args.oldest === undefined
          ? {}
          : { ts_from: String(Math.floor(parseInstant(args.oldest, 'oldest', now))) }),
        ...(args.latest === undefined
          ? {}
          : { ts_to: String(Math.ceil(parseInstant(args.latest, 'latest', now))) }),
        ...teamArgument(ctx),
      }),
    );
    const found = (result.files ?? []) as SlackFile[];
    const shown = found.filter((file) => file.id !== undefined && visible(ctx, file));
    const names = await directoryOf(ctx).userNames(
      shown.flatMap((file) => (file.user === undefined ? [] : [file.user])),
    );
    const pages = result.paging?.pages ?? 1;
    const paged = pageWithin(
      shown.map((file) => toFileRecord(file, names)),
      at,
      at.page < pages ? { cursor: '', page: at.page + 1, skip: 0 } : undefined,
      ctx.config.outputBudget,
    );
    const hidden = found.length - shown.length;
    const text =
      paged.items.length === 0
        ? `No files${hidden > 0 ? ` (${hidden} outside SLACK_CHANNEL_IDS left out)` : ''}.`
        : `${paged.items.length} files:\n${untrusted('slack file names', paged.items.map(fileLine).join('\n'))}`;
    return structured(
      { files: paged.items, ...(hidden > 0 ? { hidden } : {}), ...pageFields(paged) },
      text + continuation(paged, 'files'),
    );
  },
});

/** Files are read within their first 10 MiB. */
const MAX_READ_OFFSET = 10 * 1024 * 1024;

export const slackReadFile = defineTool({
  name: 'slack_read_file',
  title: 'Read file',
  description:
    'Read the text of a text file shared in Slack (code, logs, CSV, Markdown, snippets), a window of bytes at a time within the output budget. Binary files (images, PDFs, archives) are refused.',
  input: z.object({
    file_id: z
      .string()
      .min(1)
      .max(30)
      .describe('The file ID, such as F0123ABCD, from slack_list_files or a message'),
    offset: z
      .number()
      .int()
      .min(0)
      .optional()
      .describe('Byte offset to start at (default 0); use next_offset to continue'),
    max_bytes: maxBytesField,
  }),
  output: z.object({
    file: fileSchema,
    offset: z.number(),
    bytes: z.number().describe('Bytes of content returned'),
    content: z.string(),
    truncated: z.boolean().describe('True when the file continues past this window'),
    next_offset: z.number().optional(),
  }),
  annotations: READ,
  auditTarget: ['file_id'],
  async run(args, ctx) {
    const id = args.file_id.trim();
    if (!FILE_ID.test(id))
      throw new ToolError(
        `file_id: "${args.file_id.slice(0, 40)}" is not a file ID such as F0123ABCD.`,
      );
    const result = await slack(ctx, 'files.info', (web) => web.files.info({ file: id }));
    const file = (result.file ?? {}) as SlackFile;
    if (!visible(ctx, file))
      throw new ToolError(
        `File ${id} is not shared in any conversation of SLACK_CHANNEL_IDS, so this server may not read it.`,
      );
    const names = await directoryOf(ctx).userNames(file.user === undefined ? [] : [file.user]);
    const record = toFileRecord(file, names);
    if (!record.is_text)
      throw new ToolError(
        `${record.name || id} is ${file.mimetype ?? file.filetype ?? 'not text'}; only text files can be read. Share its permalink instead.`,
      );
    const offset = args.offset ?? 0;
    if (offset > MAX_READ_OFFSET)
      throw new ToolError('offset: only the first 10 MiB of a file can be read.');
    const size = windowBytes(args.max_bytes, ctx.config.outputBudget);
    const url = file.url_private_download ?? file.url_private;
    if (url === undefined) throw new ToolError(`Slack gave no download address for ${id}.`);
    await checkedWorkspace(ctx);
    const fetched = await download(ctx, url, offset + size + 4);
    if (fetched.bytes.subarray(0, 8000).includes(0))
      throw new ToolError(
        `${record.name || id} contains binary data; only text files can be read.`,
      );
    if (offset > 0 && offset >= fetched.bytes.length && fetched.complete)
      throw new ToolError(
        `offset ${offset} is past the end of the file (${fetched.bytes.length} bytes).`,
      );
    const { start, end } = utf8Window(fetched.bytes, offset, size, fetched.complete);
    const content = sanitizeBody(new TextDecoder().decode(fetched.bytes.subarray(start, end)));
    const more = end < fetched.bytes.length || !fetched.complete;
    const data = {
      file: record,
      offset: start,
      bytes: end - start,
      content,
      truncated: more,
      ...(more ? { next_offset: end } : {}),
    };
    const header = `${record.name} (${id}), bytes ${start}-${end}${record.size === undefined ? '' : ` of ${record.size}`}:`;
    return structured(
      data,
      `${header}\n${untrusted(`slack file ${id}`, content)}${more ? `\n(more: call again with offset ${end})` : ''}`,
    );
  },
});
