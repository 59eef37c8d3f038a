/**
 * @module
 * Files between Drive and the operator's local directory (`--local-dir`), any type, up to
 * `--max-transfer-bytes`. `download_file` streams a file's bytes into a temporary file beside
 * the target and links it into place when complete; `upload_file` (also --allow-write) sends
 * one, resumably past one chunk. Both report progress in bytes when the client asked for it,
 * and a cancelled transfer leaves nothing behind: no partial file, no upload session.
 */
import { basename, relative } from 'node:path';
import { structured, ToolError } from '@plugboard/protocol';
import { z } from 'zod';
import { call, defineTool, idleDeadline, streamDownload, type GdriveContext } from '../context.js';
import { FOLDER, formatSize, summarize, SUMMARY_FIELDS } from '../files.js';
import { createPartial, openForReading, resolveExisting, resolveNew } from '../local-dir.js';
import { sanitizeLine } from '../sanitize.js';
import { uploadFile } from '../upload.js';
import { CREATE, fileIdField, folderIdField } from './common.js';
import {
  checkFolder,
  done,
  extensionOf,
  fileOutput,
  nameField,
  requireWrite,
  textTypeOf,
} from './write.js';

const pathField = z
  .string()
  .min(1)
  .max(1024)
  .describe('Path relative to the local directory (the operator set it with --local-dir)');

function localDir(ctx: GdriveContext): string {
  const dir = ctx.config.localDir;
  if (dir === undefined)
    throw new ToolError(
      'Transfers are off: the operator sets --local-dir (GDRIVE_LOCAL_DIR) to allow them.',
    );
  return dir;
}

function overCap(ctx: GdriveContext, what: string, size: number): ToolError {
  return new ToolError(
    `${what} is ${formatSize(size)}, over this server's ${formatSize(ctx.config.maxTransferBytes)} transfer limit (--max-transfer-bytes).`,
  );
}

/** Progress in bytes, with a readable message. */
function reporter(ctx: GdriveContext, total: number, verb: string): (bytes: number) => void {
  return (bytes) =>
    void ctx.progress(bytes, total, `${formatSize(bytes)} of ${formatSize(total)} ${verb}`);
}

/** Binary types by extension; text ones come from create_file's table. */
const BINARY_TYPES: Readonly<Record<string, string>> = {
  pdf: 'application/pdf',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  svg: 'image/svg+xml',
  zip: 'application/zip',
  mp4: 'video/mp4',
  mp3: 'audio/mpeg',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
};

function mimeTypeOf(name: string): string {
  const extension = extensionOf(name);
  return (
    (extension === undefined ? undefined : BINARY_TYPES[extension]) ??
    textTypeOf(name) ??
    (extension === 'txt' ? 'text/plain' : 'application/octet-stream')
  );
}

export const uploadLocalFile = defineTool({
  name: 'upload_file',
  title: 'Upload a local file',
  description:
    'Upload a file of any type from the local directory to Drive, as a new file. Large files are sent resumably. Returns the new file id.',
  input: z.object({
    path: pathField,
    name: nameField.optional().describe('Name in Drive (default: the local file name)'),
    folderId: folderIdField.optional().describe('Where it goes (default: My Drive)'),
    mimeType: z
      .string()
      .regex(/^[\w.+-]+\/[\w.+-]+$/, 'a MIME type such as application/pdf')
      .optional()
      .describe('MIME type (default: from the file extension)'),
  }),
  output: fileOutput,
  requires: ['localDir', 'allowWrite'],
  annotations: CREATE,
  auditTarget: ['path', 'folderId'],
  async run(args, ctx) {
    requireWrite(ctx);
    const file = await resolveExisting(localDir(ctx), args.path);
    const { handle, size } = await openForReading(file);
    try {
      if (size > ctx.config.maxTransferBytes) throw overCap(ctx, `"${args.path}"`, size);
      const parent =
        args.folderId === undefined ? undefined : await checkFolder(ctx, args.folderId);
      const name = args.name ?? basename(file.path);
      const uploaded = await uploadFile(ctx, {
        handle,
        size,
        metadata: {
          name,
          mimeType: args.mimeType ?? mimeTypeOf(name),
          ...(parent === undefined ? {} : { parents: [parent] }),
        },
        fields: SUMMARY_FIELDS,
        chunkBytes: ctx.config.chunkBytes,
        onProgress: reporter(ctx, size, 'uploaded'),
      });
      return done('Uploaded', summarize(uploaded));
    } finally {
      await handle.close();
    }
  },
});

export const downloadFile = defineTool({
  name: 'download_file',
  title: 'Download a file',
  description:
    'Save a Drive file (not a Google Doc, Sheet or Slides: read those with read_file) into the local directory, as a new file. Returns where it was saved.',
  input: z.object({
    fileId: fileIdField,
    path: pathField
      .optional()
      .describe('Where to save it, relative to the local directory (default: its Drive name)'),
  }),
  output: z.object({
    path: z.string().describe('Relative to the local directory'),
    bytes: z.number(),
    mimeType: z.string(),
  }),
  // Writes only locally, but writes: --read-only hides it.
  requires: ['localDir'],
  annotations: CREATE,
  auditTarget: ['fileId', 'path'],
  async run(args, ctx) {
    const dir = localDir(ctx);
    const about = { subject: `file ${args.fileId}` };
    const meta = await call(ctx, about, (drive, options) =>
      drive.files.get(
        { fileId: args.fileId, fields: 'id,name,mimeType,size', supportsAllDrives: true },
        options,
      ),
    );
    const mimeType = meta.mimeType ?? 'application/octet-stream';
    const label = `"${sanitizeLine(meta.name ?? args.fileId, 80)}"`;
    if (mimeType === FOLDER) throw new ToolError(`${label} is a folder; download files only.`);
    if (mimeType.startsWith('application/vnd.google-apps.'))
      throw new ToolError(
        `${label} is a Google file with no bytes of its own; read it with read_file, which exports it.`,
      );
    const size = meta.size == null ? 0 : Number(meta.size);
    if (size > ctx.config.maxTransferBytes) throw overCap(ctx, label, size);
    const target = await resolveNew(dir, args.path ?? meta.name ?? args.fileId);
    const partial = await createPartial(target);
    const progress = reporter(ctx, size, 'downloaded');
    const idle = idleDeadline(ctx.config.timeoutMs);
    try {
      const bytes = await streamDownload(
        ctx,
        about,
        (drive, options) =>
          drive.files.get(
            { fileId: args.fileId, alt: 'media', supportsAllDrives: true },
            { ...options, responseType: 'stream' },
          ),
        async (response) => {
          let written = 0;
          for await (const chunk of response.body) {
            written += chunk.byteLength;
            // Drive's size can lie; the cap holds on what actually arrives.
            if (written > ctx.config.maxTransferBytes) throw overCap(ctx, label, written);
            await partial.handle.write(chunk);
            idle.touch();
            progress(written);
          }
          return written;
        },
        idle.signal,
      );
      await partial.commit();
      const path = relative(target.root, target.path);
      return structured(
        { path, bytes, mimeType },
        `Saved ${label} (${formatSize(bytes)}, ${sanitizeLine(mimeType, 100)}) as ${sanitizeLine(path)} in the local directory.`,
      );
    } catch (error) {
      await partial.discard();
      throw error;
    } finally {
      idle.dispose();
    }
  },
});
