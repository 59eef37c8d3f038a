/**
 * @module
 * `slack_upload_file`: a file from the operator's upload directory, or a text snippet, shared
 * into a conversation or thread through Slack's current flow: files.getUploadURLExternal, the
 * bytes to the pre-signed URL it returns, then files.completeUploadExternal to share it. Off
 * unless the operator sets `--upload-dir` (see `gates.ts`); the conversation must pass the write
 * check, and no message text goes with the file, so mention and unfurl rules have nothing to act on.
 */
import { structured, ToolError } from '@plugboard/protocol';
import { z } from 'zod';
import { defineTool, upload } from '../context.js';
import { normalizeTs } from '../ids.js';
import { readUploadFile, type UploadSource } from '../upload-dir.js';
import { resolveConversation, slack } from '../workspace.js';
import { channelField, POST, threadTsField } from './common.js';

/** Most bytes one upload carries; Slack takes more, but a tool call should stay small. */
export const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;
const MAX_SNIPPET_CHARS = 1_000_000;

/** A file name Slack shows: no directories, no control characters. */
function fileName(raw: string): string {
  const name = raw.trim();
  if (name === '' || name.length > 255 || /[/\\\p{Cc}]/u.test(name) || name === '..')
    throw new ToolError(
      `filename: "${raw.slice(0, 40)}" is not a plain file name such as notes.md.`,
    );
  return name;
}

export const slackUploadFile = defineTool({
  name: 'slack_upload_file',
  title: 'Upload file',
  description:
    'Share a file from the upload directory (path) or a text snippet (content and filename) in a channel or thread. Returns the new file ID.',
  input: z.object({
    channel_id: channelField,
    path: z
      .string()
      .min(1)
      .max(1000)
      .optional()
      .describe('A file inside the upload directory, relative to it'),
    content: z
      .string()
      .min(1)
      .max(MAX_SNIPPET_CHARS)
      .optional()
      .describe('Text to share as a file instead of path'),
    filename: z
      .string()
      .max(255)
      .optional()
      .describe('Name shown in Slack (default: the file name)'),
    title: z.string().max(250).optional().describe('Title shown above the file (default the name)'),
    thread_ts: threadTsField.optional(),
  }),
  output: z.object({
    file_id: z.string(),
    name: z.string(),
    size: z.number(),
    channel: z.string(),
    thread_ts: z.string().optional(),
  }),
  privateArguments: ['content'],
  requires: ['uploadDir'],
  annotations: POST,
  auditTarget: ['channel_id', 'thread_ts', 'filename', 'path'],
  async run(args, ctx) {
    if ((args.path === undefined) === (args.content === undefined))
      throw new ToolError('Give either path (a file in the upload directory) or content (text).');
    const ref = await resolveConversation(ctx, args.channel_id, 'write');
    const threadTs =
      args.thread_ts === undefined ? undefined : normalizeTs(args.thread_ts, 'thread_ts');
    const dir = ctx.config.uploadDir;
    if (dir === undefined) throw new ToolError('Uploads are off: the operator sets --upload-dir.');
    let source: UploadSource;
    if (args.path !== undefined) source = await readUploadFile(dir, args.path, MAX_UPLOAD_BYTES);
    else {
      if (args.filename === undefined)
        throw new ToolError('filename: a snippet needs a file name, such as notes.md.');
      source = { name: args.filename, bytes: new TextEncoder().encode(args.content) };
    }
    const name = fileName(args.filename ?? source.name);
    const target = await slack(ctx, 'files.getUploadURLExternal', (web) =>
      web.files.getUploadURLExternal({ filename: name, length: source.bytes.byteLength }),
    );
    if (target.upload_url === undefined || target.file_id === undefined)
      throw new ToolError('Slack did not return an upload address; try again.');
    await upload(ctx, target.upload_url, source.bytes);
    const file = { id: target.file_id, title: args.title ?? name };
    await slack(ctx, 'files.completeUploadExternal', (web) =>
      web.files.completeUploadExternal(
        threadTs === undefined
          ? { files: [file], channel_id: ref.id }
          : { files: [file], channel_id: ref.id, thread_ts: threadTs },
      ),
    );
    ctx.logger.info('uploaded a file', { channel: ref.id, bytes: source.bytes.byteLength });
    const shared = {
      file_id: target.file_id,
      name,
      size: source.bytes.byteLength,
      channel: ref.id,
      ...(threadTs === undefined ? {} : { thread_ts: threadTs }),
    };
    return structured(
      shared,
      `Shared ${name} (${shared.size} bytes, ${shared.file_id}) in ${ref.label}.`,
    );
  },
});
