/**
 * @module
 * `search`, the official tool, fixed: results carry ids (so the model can read what it found),
 * names, types, owners, modified times and links, page by page, across My Drive, files shared
 * with the user and every Shared Drive (or one Shared Drive, or one folder). The query text only
 * ever becomes a quoted Drive literal; folder and drive scope are checked again on the results.
 */
import { structured } from '@plugboard/protocol';
import { z } from 'zod';
import { call, defineTool, type GdriveContext } from '../context.js';
import { FOLDER, summarize, summaryLine, SUMMARY_FIELDS, type FileSummary } from '../files.js';
import { decodePageToken, pageFields, pageTokenParam, pageWithin } from '../paging.js';
import { searchQuery, type MimeFilter } from '../query.js';
import {
  driveIdField,
  fileSummarySchema,
  folderIdField,
  itemBudget,
  listed,
  more,
  pageSizeField,
  pageTokenField,
  READ,
  sizeOfItem,
} from './common.js';

export const FILE_TYPES = {
  document: [{ mimeType: 'application/vnd.google-apps.document' }],
  spreadsheet: [{ mimeType: 'application/vnd.google-apps.spreadsheet' }],
  presentation: [{ mimeType: 'application/vnd.google-apps.presentation' }],
  drawing: [{ mimeType: 'application/vnd.google-apps.drawing' }],
  form: [{ mimeType: 'application/vnd.google-apps.form' }],
  folder: [{ mimeType: FOLDER }],
  pdf: [{ mimeType: 'application/pdf' }],
  image: [{ mimeType: 'image/', prefix: true }],
  video: [{ mimeType: 'video/', prefix: true }],
  audio: [{ mimeType: 'audio/', prefix: true }],
  text: [{ mimeType: 'text/', prefix: true }],
} as const satisfies Record<string, readonly MimeFilter[]>;

type FileType = keyof typeof FILE_TYPES;

const FILE_TYPE_NAMES = Object.keys(FILE_TYPES) as [FileType, ...FileType[]];

/** The real id of My Drive's root, for checking results against "root". */
export async function rootFolderId(ctx: GdriveContext): Promise<string> {
  const root = await call(ctx, { subject: 'My Drive' }, (drive, options) =>
    drive.files.get({ fileId: 'root', fields: 'id' }, options),
  );
  return root.id ?? 'root';
}

/** Where a listing looks: one Shared Drive, or everything the user can reach. */
export function corpusOf(driveId: string | undefined) {
  return driveId === undefined
    ? { corpora: 'allDrives', includeItemsFromAllDrives: true, supportsAllDrives: true }
    : { corpora: 'drive', driveId, includeItemsFromAllDrives: true, supportsAllDrives: true };
}

export const search = defineTool({
  name: 'search',
  title: 'Search Google Drive',
  description:
    'Search files by words in their name or content across My Drive, files shared with you and Shared Drives (or one Shared Drive or folder). Returns ids for read_file, names, types, owners, modified times and links, a page at a time.',
  input: z.object({
    query: z
      .string()
      .max(1000)
      .describe(
        'Words to find in file names and content (plain text, not Drive query syntax); "" lists recent files',
      ),
    nameOnly: z.boolean().optional().describe('Match file names only, not content (default false)'),
    type: z
      .enum(FILE_TYPE_NAMES)
      .optional()
      .describe(
        'Only this kind of file: document, spreadsheet, presentation, drawing, form, folder, pdf, image, video, audio or text',
      ),
    folderId: folderIdField.optional().describe('Only files directly in this folder (or "root")'),
    driveId: driveIdField
      .optional()
      .describe('Only this Shared Drive (default: every drive you can reach)'),
    includeTrashed: z.boolean().optional().describe('Include files in the trash (default false)'),
    pageSize: pageSizeField(20, 100),
    pageToken: pageTokenField,
  }),
  output: z.object({
    files: z.array(fileSummarySchema),
    nextPageToken: z.string().optional(),
    incompleteSearch: z
      .boolean()
      .optional()
      .describe('Drive did not search every drive; narrow with driveId or more specific words'),
    truncated: z.boolean(),
  }),
  annotations: READ,
  auditTarget: ['folderId', 'driveId'],
  async run(args, ctx) {
    const position = decodePageToken(args.pageToken);
    const q = searchQuery({
      text: args.query,
      nameOnly: args.nameOnly,
      folderId: args.folderId,
      mimeTypes: args.type === undefined ? undefined : FILE_TYPES[args.type],
      includeTrashed: args.includeTrashed,
    });
    const result = await call(ctx, { subject: 'the search' }, (drive, options) =>
      drive.files.list(
        {
          q,
          pageSize: args.pageSize ?? 20,
          fields: `nextPageToken,incompleteSearch,files(${SUMMARY_FIELDS})`,
          ...pageTokenParam(position),
          ...(args.query.trim() === '' ? { orderBy: 'modifiedTime desc' } : {}),
          ...corpusOf(args.driveId),
        },
        options,
      ),
    );
    const folder = args.folderId === 'root' ? await rootFolderId(ctx) : args.folderId;
    // Scope is enforced on what comes back too, not only in the query.
    const inScope = (file: FileSummary): boolean =>
      (folder === undefined || (file.parents ?? []).includes(folder)) &&
      (args.driveId === undefined || file.driveId === args.driveId) &&
      (args.includeTrashed === true || file.trashed !== true);
    const all = (result.files ?? []).map(summarize);
    const files = all.filter(inScope).map(listed);
    if (files.length < all.length)
      ctx.logger.warn('search results outside the requested scope were dropped', {
        dropped: all.length - files.length,
      });
    const page = pageWithin(
      files,
      position,
      result.nextPageToken ?? undefined,
      itemBudget(ctx),
      sizeOfItem,
    );
    const data = {
      files: page.items,
      ...pageFields(page),
      ...(result.incompleteSearch === true ? { incompleteSearch: true } : {}),
    };
    const lines = page.items.map(summaryLine);
    const header =
      page.items.length === 0
        ? 'No files found.'
        : `Found ${page.items.length} file${page.items.length === 1 ? '' : 's'}${page.nextPageToken === undefined ? '' : ' (more available)'}:`;
    const incomplete =
      result.incompleteSearch === true
        ? '\nDrive did not search every drive (incompleteSearch); narrow the search with driveId or more specific words.'
        : '';
    return structured(
      data,
      `${header}\n${lines.join('\n')}${incomplete}${more('search', page.nextPageToken, page.truncated)}`.trimEnd(),
    );
  },
});
