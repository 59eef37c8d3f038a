/**
 * @module
 * Changing Drive, only when the operator started the server with --allow-write: create folders
 * and text files (or Google Docs and Sheets converted from Markdown or CSV), replace the text of
 * a text file or Google Doc, move, rename, and move to the trash. Nothing is deleted for good:
 * trashed files can be restored from Drive's trash for 30 days.
 */
import type { drive_v3 } from '@googleapis/drive';
import { structured, ToolError } from '@plugboard/protocol';
import { z } from 'zod';
import { isTextType } from '../content/read.js';
import { call, defineTool, type GdriveContext } from '../context.js';
import { DETAIL_FIELDS, FOLDER, summarize, summaryLine, SUMMARY_FIELDS } from '../files.js';
import { sanitizeLine } from '../sanitize.js';
import {
  CREATE,
  expectedVersionField,
  fileIdField,
  fileSummarySchema,
  folderIdField,
  REPLACE,
  SET,
} from './common.js';

/** The most text one call writes. */
export const MAX_CONTENT_CHARS = 5 * 1024 * 1024;

export const GOOGLE_DOC = 'application/vnd.google-apps.document';
export const GOOGLE_SHEET = 'application/vnd.google-apps.spreadsheet';

/** Control, invisible and bidi characters, which would disguise a name. */
const DISGUISING =
  // eslint-disable-next-line no-control-regex -- these are the characters refused
  /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/u;

/** Names the model writes. */
export const nameField = z
  .string()
  .min(1)
  .max(1000)
  .refine(
    (name) => !DISGUISING.test(name),
    'names may not contain control, invisible or bidirectional-override characters',
  );

const contentField = z.string().max(MAX_CONTENT_CHARS).describe('The full text content');

export function requireWrite(ctx: GdriveContext): void {
  if (!ctx.config.allowWrite)
    throw new ToolError(
      'Writing to Drive is off on this server. The operator can enable it with --allow-write (GDRIVE_ALLOW_WRITE=1).',
    );
}

const EXTENSIONS: Readonly<Record<string, string>> = {
  md: 'text/markdown',
  markdown: 'text/markdown',
  csv: 'text/csv',
  tsv: 'text/tab-separated-values',
  json: 'application/json',
  html: 'text/html',
  htm: 'text/html',
  xml: 'application/xml',
  yaml: 'application/x-yaml',
  yml: 'application/x-yaml',
  js: 'text/javascript',
  ts: 'text/x-typescript',
  py: 'text/x-python',
  sh: 'application/x-sh',
  sql: 'application/sql',
};

/** The extension of `name`, lower case, when it has one. */
export function extensionOf(name: string): string | undefined {
  return /\.([A-Za-z0-9]{1,10})$/.exec(name)?.[1]?.toLowerCase();
}

/** The MIME type of a text file named `name`, when its extension says. */
export function textTypeOf(name: string): string | undefined {
  const extension = extensionOf(name);
  return extension === undefined ? undefined : EXTENSIONS[extension];
}

function typeFromName(name: string): string {
  return textTypeOf(name) ?? 'text/plain';
}

export async function checkFolder(ctx: GdriveContext, folderId: string): Promise<string> {
  const folder = await call(ctx, { subject: `folder ${folderId}` }, (drive, options) =>
    drive.files.get({ fileId: folderId, fields: 'id,mimeType', supportsAllDrives: true }, options),
  );
  if (folder.mimeType !== FOLDER) throw new ToolError(`${folderId} is not a folder.`);
  return folder.id ?? folderId;
}

/** What a write reads of its file first: what it is, its version, whether it may be changed. */
export const GUARD_FIELDS = 'id,name,mimeType,version,capabilities(canEdit)';

/** A file about to be written, with its name as messages show it. */
export interface FileToWrite {
  readonly file: drive_v3.Schema$File;
  /** The name, quoted and shortened, safe in a message. */
  readonly label: string;
}

/**
 * Reads `fileId` before writing to it and refuses when the write would overwrite changes the
 * caller has not seen (its version is not `expectedVersion`) or the account may not edit it.
 */
export async function fileToWrite(
  ctx: GdriveContext,
  fileId: string,
  expectedVersion: string | undefined,
  fields = GUARD_FIELDS,
): Promise<FileToWrite> {
  const file = await call(ctx, { subject: `file ${fileId}` }, (drive, options) =>
    drive.files.get({ fileId, fields, supportsAllDrives: true }, options),
  );
  const label = `"${sanitizeLine(file.name ?? '', 80)}"`;
  if (expectedVersion !== undefined && file.version !== expectedVersion)
    throw new ToolError(
      `${label} changed since version ${expectedVersion} (it is now at version ${file.version ?? '?'}); read it again before writing to it.`,
    );
  if (file.capabilities?.canEdit === false)
    throw new ToolError(`The signed-in account may not edit ${label}.`);
  return { file, label };
}

export function done(what: string, file: ReturnType<typeof summarize>) {
  return structured({ file }, `${what}: ${summaryLine(file)}`);
}

/** Creates a folder or file in `parent`; returns the new file's summary fields. */
async function createIn(
  ctx: GdriveContext,
  parent: string,
  file: { name: string; mimeType: string },
  media?: { mimeType: string; body: string },
): Promise<drive_v3.Schema$File> {
  return call(ctx, { subject: `folder ${parent}`, write: true }, (drive, options) =>
    drive.files.create(
      {
        requestBody: { ...file, parents: [parent] },
        ...(media === undefined ? {} : { media }),
        fields: SUMMARY_FIELDS,
        supportsAllDrives: true,
      },
      options,
    ),
  );
}

/** Changes one file (content, place, name or trash state); returns its summary fields. */
async function changeFile(
  ctx: GdriveContext,
  fileId: string,
  update: Omit<drive_v3.Params$Resource$Files$Update, 'fileId' | 'fields' | 'supportsAllDrives'>,
): Promise<drive_v3.Schema$File> {
  return call(ctx, { subject: `file ${fileId}`, write: true }, (drive, options) =>
    drive.files.update(
      { fileId, ...update, fields: SUMMARY_FIELDS, supportsAllDrives: true },
      options,
    ),
  );
}

export const fileOutput = z.object({ file: fileSummarySchema });

export const createFolder = defineTool({
  name: 'create_folder',
  title: 'Create a folder',
  description:
    'Create a folder in My Drive, a Shared Drive, or another folder. Drive allows several items with the same name, so check with list_folder first.',
  input: z.object({
    name: nameField.describe('Folder name'),
    parentId: folderIdField
      .optional()
      .describe('Where to create it: folder id, Shared Drive id, or "root" (default)'),
  }),
  output: fileOutput,
  requires: ['allowWrite'],
  annotations: CREATE,
  auditTarget: ['parentId', 'name'],
  async run(args, ctx) {
    requireWrite(ctx);
    const parent = await checkFolder(ctx, args.parentId ?? 'root');
    const file = await createIn(ctx, parent, { name: args.name, mimeType: FOLDER });
    return done('Created folder', summarize(file));
  },
});

export const createFile = defineTool({
  name: 'create_file',
  title: 'Create a file',
  description:
    'Create a text file from the given content, or a Google Doc (from Markdown) or Google Sheet (from CSV) with convertTo. Returns the new file id.',
  input: z.object({
    name: nameField.describe('File name, with its extension for text files (notes.md, data.csv)'),
    content: contentField,
    parentId: folderIdField
      .optional()
      .describe('Folder to create it in: folder id, Shared Drive id, or "root" (default)'),
    mimeType: z
      .string()
      .max(100)
      .optional()
      .describe(
        'Text type of the content, like text/markdown (default: from the extension, else text/plain)',
      ),
    convertTo: z
      .enum(['document', 'spreadsheet'])
      .optional()
      .describe(
        'Make a Google Doc (content is Markdown) or a Google Sheet (content is CSV) instead of a file',
      ),
  }),
  output: fileOutput,
  requires: ['allowWrite'],
  annotations: CREATE,
  auditTarget: ['parentId', 'name'],
  async run(args, ctx) {
    requireWrite(ctx);
    const contentType =
      args.convertTo === 'document'
        ? (args.mimeType ?? 'text/markdown')
        : args.convertTo === 'spreadsheet'
          ? 'text/csv'
          : (args.mimeType ?? typeFromName(args.name));
    if (!isTextType(contentType))
      throw new ToolError(
        `mimeType: ${contentType.slice(0, 100)} is not a text type; this tool writes text.`,
      );
    const parent = await checkFolder(ctx, args.parentId ?? 'root');
    const target =
      args.convertTo === 'document'
        ? GOOGLE_DOC
        : args.convertTo === 'spreadsheet'
          ? GOOGLE_SHEET
          : contentType;
    const file = await createIn(
      ctx,
      parent,
      { name: args.name, mimeType: target },
      { mimeType: contentType, body: args.content },
    );
    return done('Created', summarize(file));
  },
});

export const updateFile = defineTool({
  name: 'update_file',
  title: 'Replace the content of a file',
  description:
    "Replace the whole content of a text file or Google Doc (given as Markdown) with new text. Pass expectedVersion from get_file_metadata to refuse if someone changed the file since; the old content stays in the file's revisions.",
  input: z.object({
    fileId: fileIdField,
    content: contentField,
    expectedVersion: expectedVersionField,
  }),
  output: fileOutput,
  requires: ['allowWrite'],
  annotations: REPLACE,
  auditTarget: ['fileId'],
  async run(args, ctx) {
    requireWrite(ctx);
    const { file: current, label: name } = await fileToWrite(
      ctx,
      args.fileId,
      args.expectedVersion,
      DETAIL_FIELDS,
    );
    const mimeType = current.mimeType ?? 'application/octet-stream';
    const contentType = mimeType === GOOGLE_DOC ? 'text/markdown' : mimeType;
    if (mimeType !== GOOGLE_DOC && !isTextType(mimeType))
      throw new ToolError(
        `${name} is a ${mimeType}; only text files and Google Docs can be replaced with text.`,
      );
    const file = await changeFile(ctx, args.fileId, {
      media: { mimeType: contentType, body: args.content },
    });
    return done('Updated', summarize(file));
  },
});

export const moveFile = defineTool({
  name: 'move_file',
  title: 'Move a file',
  description:
    'Move a file or folder into another folder (or Shared Drive, or "root"), out of every folder it was in.',
  input: z.object({
    fileId: fileIdField,
    folderId: folderIdField.describe(
      'Destination: folder id, Shared Drive id, or "root" for My Drive',
    ),
  }),
  output: fileOutput,
  requires: ['allowWrite'],
  annotations: SET,
  auditTarget: ['fileId', 'folderId'],
  async run(args, ctx) {
    requireWrite(ctx);
    const destination = await checkFolder(ctx, args.folderId);
    const current = await call(ctx, { subject: `file ${args.fileId}` }, (drive, options) =>
      drive.files.get(
        { fileId: args.fileId, fields: 'id,parents', supportsAllDrives: true },
        options,
      ),
    );
    const parents = (current.parents ?? []).filter((parent) => parent !== destination);
    const file = await changeFile(ctx, args.fileId, {
      addParents: destination,
      ...(parents.length === 0 ? {} : { removeParents: parents.join(',') }),
    });
    return done('Moved', summarize(file));
  },
});

export const renameFile = defineTool({
  name: 'rename_file',
  title: 'Rename a file',
  description: 'Give a file or folder a new name; its id, content and place stay the same.',
  input: z.object({ fileId: fileIdField, name: nameField.describe('The new name') }),
  output: fileOutput,
  requires: ['allowWrite'],
  annotations: SET,
  auditTarget: ['fileId', 'name'],
  async run(args, ctx) {
    requireWrite(ctx);
    const file = await changeFile(ctx, args.fileId, {
      requestBody: { name: args.name },
    });
    return done('Renamed', summarize(file));
  },
});

export const trashFile = defineTool({
  name: 'trash_file',
  title: 'Move a file to the trash',
  description:
    "Move a file or folder (with everything in it) to Drive's trash. It can be restored from the trash for 30 days; nothing is deleted for good.",
  input: z.object({ fileId: fileIdField }),
  output: fileOutput,
  requires: ['allowWrite'],
  annotations: { ...REPLACE },
  auditTarget: ['fileId'],
  async run(args, ctx) {
    requireWrite(ctx);
    const file = await changeFile(ctx, args.fileId, {
      requestBody: { trashed: true },
    });
    return done('Moved to the trash (restore it from the trash within 30 days)', summarize(file));
  },
});
