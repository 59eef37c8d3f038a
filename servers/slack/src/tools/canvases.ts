/**
 * @module
 * Canvases, Slack's documents: `slack_read_canvas` (its Markdown, a window at a time),
 * `slack_create_canvas` (a standalone canvas, or a channel's own) and `slack_edit_canvas` (text
 * added at the start or end, or before, after or instead of a section found by its text or
 * heading level, or a section deleted). A canvas is a file: files.info says where it is shared and
 * gives its private download, HTML that is read through the same upstream call as other files and
 * turned into Markdown. The channel policy applies to every conversation a canvas shows in, and
 * canvas Markdown follows the posting rules ({@link composeCanvasMarkdown}). The tools are the
 * `canvases` toolset, listed only when the operator turns it on.
 */
import { structured, ToolError } from '@plugboard/protocol';
import type { CanvasesEditArguments, CanvasesSectionsLookupArguments } from '@slack/web-api';
import { z } from 'zod';
import { htmlToMarkdown } from '../canvas-html.js';
import { defineTool, download, type SlackContext } from '../context.js';
import { FILE_ID, isoTime } from '../ids.js';
import { canvasMarkdownField, composeCanvasMarkdown } from '../outgoing.js';
import type { SlackFile } from '../render.js';
import { sanitizeBody, sanitizeLine, untrusted } from '../sanitize.js';
import { maxBytesField, utf8Window, windowBytes } from '../text-window.js';
import { checkedWorkspace, directoryOf, resolveConversation, slack } from '../workspace.js';
import { channelField, POST, READ, UPDATE } from './common.js';
import { sharedIn } from './files.js';

const TOOLSET = 'canvases';

/** Most bytes of a canvas's HTML this server downloads. */
const MAX_CANVAS_BYTES = 4 * 1024 * 1024;

/** A canvas as files.info describes it (the fields used here). */
interface CanvasFile extends SlackFile {
  pretty_type?: string;
  /** The channel whose own canvas this is. */
  linked_channel_id?: string;
  canvas_creator_id?: string;
  /** Access for everyone in the workspace or organisation: `none`, `read`, `write`. */
  org_or_workspace_access?: string;
  updated?: number;
}

interface Canvas {
  readonly id: string;
  readonly file: CanvasFile;
  /** Every conversation it shows in: shared there, or the channel it belongs to. */
  readonly places: readonly string[];
  /** Created by this token. */
  readonly own: boolean;
}

const canvasIdField = z
  .string()
  .min(1)
  .max(30)
  .describe("The canvas ID, such as F0123ABCD (a canvas is a file: it is among a channel's files)");

function canvasId(raw: string): string {
  const id = raw.trim();
  if (!FILE_ID.test(id))
    throw new ToolError(`canvas_id: "${raw.slice(0, 40)}" is not a canvas ID such as F0123ABCD.`);
  return id;
}

function isCanvas(file: CanvasFile): boolean {
  return (
    file.mimetype === 'application/vnd.slack-docs' ||
    file.filetype === 'quip' ||
    file.filetype === 'canvas' ||
    file.pretty_type?.toLowerCase() === 'canvas'
  );
}

/** The canvas `id`, from files.info; anything but a canvas is refused. */
async function canvasInfo(ctx: SlackContext, id: string): Promise<Canvas> {
  const me = await checkedWorkspace(ctx);
  const result = await slack(ctx, 'files.info', (web) => web.files.info({ file: id }));
  const file = (result.file ?? {}) as CanvasFile;
  if (!isCanvas(file))
    throw new ToolError(
      `${id} is not a canvas (it is ${sanitizeLine(file.pretty_type ?? file.filetype ?? 'another kind of file', 40)}); read text files with slack_read_file.`,
    );
  const linked = file.linked_channel_id === undefined ? [] : [file.linked_channel_id];
  return {
    id,
    file,
    places: [...new Set([...sharedIn(file), ...linked])],
    own: file.user === me.userId || file.canvas_creator_id === me.userId,
  };
}

/**
 * Under SLACK_CHANNEL_IDS a canvas is read only when it shows in a readable conversation, or is
 * this token's own canvas shared nowhere.
 */
function checkReadable(ctx: SlackContext, canvas: Canvas): void {
  if (!ctx.policy.limited || canvas.places.some((id) => ctx.policy.canRead(id))) return;
  if (canvas.places.length === 0 && canvas.own) return;
  throw new ToolError(
    `Canvas ${canvas.id} is not in any conversation of SLACK_CHANNEL_IDS, so this server may not read it.`,
  );
}

/**
 * When writing is limited (SLACK_CHANNEL_IDS, --post-channels), a canvas is changed only when
 * every conversation it shows in may be written (an edit appears in all of them), or it is this
 * token's own canvas shared nowhere; one open to the whole workspace is refused.
 */
function checkWritable(ctx: SlackContext, canvas: Canvas): void {
  if (!ctx.policy.writeLimited) return;
  const outside = canvas.places.filter((id) => !ctx.policy.canWrite(id));
  if (outside.length > 0)
    throw new ToolError(
      `Canvas ${canvas.id} shows in ${outside.slice(0, 5).join(', ')}, where this server may not write (SLACK_CHANNEL_IDS, --post-channels); a change would appear there too.`,
    );
  if (canvas.places.length === 0 && !canvas.own)
    throw new ToolError(
      `Canvas ${canvas.id} is in none of the conversations this server may write, and this app did not create it.`,
    );
  const wide = canvas.file.org_or_workspace_access;
  if (wide !== undefined && wide !== 'none')
    throw new ToolError(
      `Canvas ${canvas.id} is open to the whole workspace, beyond the conversations this server may write.`,
    );
}

const canvasSchema = z.object({
  id: z.string(),
  title: z.string(),
  channels: z.array(z.string()).describe('Conversations it shows in'),
  channel: z.string().optional().describe('The channel whose canvas it is'),
  user: z.string().optional().describe('Who created it'),
  user_name: z.string().optional(),
  created: z.string().optional(),
  updated: z.string().optional(),
  permalink: z.string().optional(),
});

type CanvasRecord = z.infer<typeof canvasSchema>;

async function canvasRecord(ctx: SlackContext, canvas: Canvas): Promise<CanvasRecord> {
  const { file } = canvas;
  const record: CanvasRecord = {
    id: canvas.id,
    title: sanitizeLine(file.title ?? file.name ?? '', 160),
    channels: [...canvas.places],
  };
  if (file.linked_channel_id !== undefined) record.channel = file.linked_channel_id;
  if (file.user !== undefined) {
    record.user = file.user;
    const name = (await directoryOf(ctx).userNames([file.user])).get(file.user);
    if (name !== undefined) record.user_name = name;
  }
  if (file.created !== undefined) record.created = isoTime(file.created);
  if (file.updated !== undefined) record.updated = isoTime(file.updated);
  if (typeof file.permalink === 'string' && /^https:\/\/[^\s<>"]+$/.test(file.permalink))
    record.permalink = file.permalink;
  return record;
}

/** The canvas as Markdown: its HTML download converted, or the text as it came. */
async function canvasMarkdown(ctx: SlackContext, canvas: Canvas): Promise<string> {
  const url = canvas.file.url_private_download ?? canvas.file.url_private;
  if (url === undefined) throw new ToolError(`Slack gave no download address for ${canvas.id}.`);
  const fetched = await download(ctx, url, MAX_CANVAS_BYTES);
  if (!fetched.complete)
    throw new ToolError(
      `Canvas ${canvas.id} is larger than the ${MAX_CANVAS_BYTES / 1024 / 1024} MiB this server reads; open it in Slack.`,
    );
  const text = new TextDecoder().decode(fetched.bytes);
  const html = /html/i.test(fetched.contentType) || /^\s*</.test(text);
  return sanitizeBody(html ? htmlToMarkdown(text) : text);
}

/**
 * Where conversations.info names a channel's canvas: `properties.canvas`, or (since canvases
 * moved into channel tabs) a tab of type `canvas`.
 */
interface ChannelProperties {
  canvas?: { file_id?: string };
  tabs?: { type?: string; data?: { file_id?: string } }[];
}

/** The canvas a read names: by ID, or as the canvas of a channel (conversations.info). */
async function canvasToRead(
  ctx: SlackContext,
  args: { canvas_id?: string | undefined; channel_id?: string | undefined },
): Promise<string> {
  if ((args.canvas_id === undefined) === (args.channel_id === undefined))
    throw new ToolError('Give canvas_id, or channel_id for the canvas of a channel (one of them).');
  if (args.canvas_id !== undefined) return canvasId(args.canvas_id);
  const ref = await resolveConversation(ctx, args.channel_id!, 'read');
  const info = await slack(ctx, 'conversations.info', (web) =>
    web.conversations.info({ channel: ref.id }),
  );
  const properties = info.channel?.properties as ChannelProperties | undefined;
  const id =
    properties?.canvas?.file_id ??
    properties?.tabs?.find((tab) => tab.type === 'canvas')?.data?.file_id;
  if (id === undefined || !FILE_ID.test(id))
    throw new ToolError(
      `${ref.label} has no canvas of its own; create one with slack_create_canvas and channel_id.`,
    );
  return id;
}

export const slackReadCanvas = defineTool({
  name: 'slack_read_canvas',
  title: 'Read canvas',
  description:
    'Read a canvas (a Slack document) as Markdown, a window of bytes at a time within the output budget. Change it with slack_edit_canvas.',
  toolset: TOOLSET,
  input: z.object({
    canvas_id: canvasIdField.optional(),
    channel_id: channelField
      .optional()
      .describe("Instead of canvas_id: read this channel's own canvas (an ID or #channel-name)"),
    offset: z
      .number()
      .int()
      .min(0)
      .optional()
      .describe('Byte offset in the Markdown to start at (default 0); use next_offset to continue'),
    max_bytes: maxBytesField,
  }),
  output: z.object({
    canvas: canvasSchema,
    offset: z.number(),
    bytes: z.number().describe('Bytes of Markdown returned'),
    markdown: z.string(),
    truncated: z.boolean().describe('True when the canvas continues past this window'),
    next_offset: z.number().optional(),
  }),
  annotations: READ,
  async run(args, ctx) {
    const canvas = await canvasInfo(ctx, await canvasToRead(ctx, args));
    checkReadable(ctx, canvas);
    const record = await canvasRecord(ctx, canvas);
    const bytes = new TextEncoder().encode(await canvasMarkdown(ctx, canvas));
    const offset = args.offset ?? 0;
    if (offset > 0 && offset >= bytes.length)
      throw new ToolError(
        `offset ${offset} is past the end of the canvas (${bytes.length} bytes of Markdown).`,
      );
    const size = windowBytes(args.max_bytes, ctx.config.outputBudget);
    const { start, end } = utf8Window(bytes, offset, size, true);
    const markdown = new TextDecoder().decode(bytes.subarray(start, end));
    const more = end < bytes.length;
    const data = {
      canvas: record,
      offset: start,
      bytes: end - start,
      markdown,
      truncated: more,
      ...(more ? { next_offset: end } : {}),
    };
    const header = `${record.title || canvas.id} (${canvas.id}), bytes ${start}-${end} of ${bytes.length}:`;
    return structured(
      data,
      `${header}\n${untrusted(`slack canvas ${canvas.id}`, markdown)}${more ? `\n(more: call again with offset ${end})` : ''}`,
    );
  },
});

export const slackCreateCanvas = defineTool({
  name: 'slack_create_canvas',
  title: 'Create canvas',
  description:
    "Create a canvas from Markdown: a channel's own canvas with channel_id, else a standalone canvas private to this app's token until someone shares it in Slack. Same mention and link rules as posting; links only to domains the operator allows.",
  toolset: TOOLSET,
  input: z.object({
    markdown: canvasMarkdownField,
    title: z.string().min(1).max(250).optional().describe('The title (default: untitled)'),
    channel_id: channelField
      .optional()
      .describe(
        'Create the canvas of this channel (a channel has one): an ID, #channel-name or @handle; omit for a standalone canvas',
      ),
  }),
  output: z.object({
    canvas_id: z
      .string()
      .describe('Read it with slack_read_canvas, change it with slack_edit_canvas'),
    channel: z.string().optional(),
  }),
  privateArguments: ['markdown'],
  auditTarget: ['channel_id'],
  annotations: POST,
  async run(args, ctx) {
    const markdown = composeCanvasMarkdown(args.markdown, ctx.config);
    const title = args.title?.trim();
    const content = {
      document_content: { type: 'markdown' as const, markdown },
      ...(title === undefined || title === '' ? {} : { title }),
    };
    if (args.channel_id !== undefined) {
      const ref = await resolveConversation(ctx, args.channel_id, 'write');
      const result = await slack(ctx, 'conversations.canvases.create', (web) =>
        web.conversations.canvases.create({ channel_id: ref.id, ...content }),
      );
      const created = { canvas_id: result.canvas_id ?? '', channel: ref.id };
      ctx.logger.info('created a channel canvas', created);
      return structured(created, `Created the canvas of ${ref.label}: ${created.canvas_id}.`);
    }
    const result = await slack(ctx, 'canvases.create', (web) => web.canvases.create(content));
    const created = { canvas_id: result.canvas_id ?? '' };
    ctx.logger.info('created a canvas', created);
    return structured(
      created,
      `Created canvas ${created.canvas_id}; it is private to this app's token until someone shares it in Slack.`,
    );
  },
});

const OPERATIONS = [
  'insert_at_start',
  'insert_at_end',
  'insert_after',
  'insert_before',
  'replace',
  'delete',
] as const;

type Operation = (typeof OPERATIONS)[number];

const sectionField = z
  .object({
    contains_text: z
      .string()
      .min(1)
      .max(500)
      .optional()
      .describe('Text the section contains, as slack_read_canvas shows it'),
    section_types: z
      .array(z.enum(['h1', 'h2', 'h3', 'any_header']))
      .min(1)
      .max(3)
      .optional()
      .describe('Only headings of these levels'),
  })
  .strict()
  .optional()
  .describe(
    'The section to change, or to insert next to: exactly one section must match. Needed for insert_after, insert_before and delete; replace without it replaces the whole canvas',
  );

type SectionCriteria = NonNullable<z.infer<typeof sectionField>>;

/** What an operation needs: a section, and Markdown. */
const NEEDS: Readonly<
  Record<Operation, { section: 'required' | 'optional' | 'none'; markdown: boolean }>
> = {
  insert_at_start: { section: 'none', markdown: true },
  insert_at_end: { section: 'none', markdown: true },
  insert_after: { section: 'required', markdown: true },
  insert_before: { section: 'required', markdown: true },
  replace: { section: 'optional', markdown: true },
  delete: { section: 'required', markdown: false },
};

function checkArguments(
  operation: Operation,
  section: SectionCriteria | undefined,
  markdown: string | undefined,
): void {
  const needs = NEEDS[operation];
  if (needs.section === 'required' && section === undefined)
    throw new ToolError(`${operation} needs section: the text (or heading level) of the section.`);
  if (needs.section === 'none' && section !== undefined)
    throw new ToolError(`${operation} takes no section; use insert_after or insert_before.`);
  if (
    section !== undefined &&
    section.contains_text === undefined &&
    section.section_types === undefined
  )
    throw new ToolError('section needs contains_text, section_types, or both.');
  if (needs.markdown && markdown === undefined)
    throw new ToolError(`${operation} needs markdown: the content to write.`);
  if (!needs.markdown && markdown !== undefined)
    throw new ToolError(`${operation} takes no markdown.`);
}

/** The one section `criteria` names, by canvases.sections.lookup; none or several is an error. */
async function findSection(
  ctx: SlackContext,
  id: string,
  criteria: SectionCriteria,
): Promise<string> {
  const lookup = {
    canvas_id: id,
    criteria: {
      ...(criteria.section_types === undefined ? {} : { section_types: criteria.section_types }),
      ...(criteria.contains_text === undefined ? {} : { contains_text: criteria.contains_text }),
    } as CanvasesSectionsLookupArguments['criteria'],
  };
  const result = await slack(ctx, 'canvases.sections.lookup', (web) =>
    web.canvases.sections.lookup(lookup),
  );
  const ids = (result.sections ?? []).flatMap((section) =>
    typeof section.id === 'string' && section.id !== '' ? [section.id] : [],
  );
  if (ids.length === 0)
    throw new ToolError(
      `No section of canvas ${id} matches; read it with slack_read_canvas and give text from the section you mean.`,
    );
  if (ids.length > 1)
    throw new ToolError(
      `${ids.length} sections of canvas ${id} match; give more of the section's text, or its heading level (section_types), so that exactly one does.`,
    );
  return ids[0]!;
}

export const slackEditCanvas = defineTool({
  name: 'slack_edit_canvas',
  title: 'Edit canvas',
  description:
    'Change a canvas: add Markdown at its start or end, insert it before or after a section, replace a section (or the whole canvas), or delete a section; sections are found by their text or heading level. Same mention and link rules as posting.',
  toolset: TOOLSET,
  input: z.object({
    canvas_id: canvasIdField,
    operation: z.enum(OPERATIONS).describe('What to do'),
    markdown: canvasMarkdownField.optional(),
    section: sectionField,
  }),
  output: z.object({
    canvas_id: z.string(),
    operation: z.enum(OPERATIONS),
    section_id: z.string().optional().describe('The section that was the target'),
  }),
  privateArguments: ['markdown', 'section'],
  auditTarget: ['canvas_id'],
  annotations: UPDATE,
  async run(args, ctx) {
    const id = canvasId(args.canvas_id);
    checkArguments(args.operation, args.section, args.markdown);
    const markdown =
      args.markdown === undefined ? undefined : composeCanvasMarkdown(args.markdown, ctx.config);
    const canvas = await canvasInfo(ctx, id);
    checkWritable(ctx, canvas);
    const sectionId =
      args.section === undefined ? undefined : await findSection(ctx, id, args.section);
    const change = {
      operation: args.operation,
      ...(sectionId === undefined ? {} : { section_id: sectionId }),
      ...(markdown === undefined
        ? {}
        : { document_content: { type: 'markdown' as const, markdown } }),
    };
    await slack(ctx, 'canvases.edit', (web) =>
      web.canvases.edit({
        canvas_id: id,
        changes: [change] as CanvasesEditArguments['changes'],
      }),
    );
    ctx.logger.info('edited a canvas', { canvas: id, operation: args.operation });
    const done = {
      canvas_id: id,
      operation: args.operation,
      ...(sectionId === undefined ? {} : { section_id: sectionId }),
    };
    return structured(
      done,
      `Applied ${args.operation} to canvas ${id}${sectionId === undefined ? '' : ` (section ${sectionId})`}.`,
    );
  },
});
