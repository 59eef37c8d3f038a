/**
 * @module
 * Finding your way around Drive without search words: a folder's contents, one file's full
 * metadata, and the Shared Drives the account belongs to.
 */
import { structured, ToolError } from '@plugboard/protocol';
import { z } from 'zod';
import { call, defineTool } from '../context.js';
import {
  DETAIL_FIELDS,
  FOLDER,
  summarize,
  summaryLine,
  SUMMARY_FIELDS,
  type FileSummary,
} from '../files.js';
import { decodePageToken, pageFields, pageTokenParam, pageWithin } from '../paging.js';
import { drivesQuery, searchQuery } from '../query.js';
import { sanitizeLine } from '../sanitize.js';
import {
  defined,
  fileIdField,
  fileSummarySchema,
  folderIdField,
  itemBudget,
  listed,
  more,
  pagedShape,
  pageSizeField,
  pageTokenField,
  READ,
  sizeOfItem,
} from './common.js';
import { corpusOf } from './search.js';

const ORDER = {
  name: 'folder,name_natural',
  modified: 'modifiedTime desc',
  created: 'createdTime desc',
} as const;

export const listFolder = defineTool({
  name: 'list_folder',
  title: 'List a folder',
  description:
    'List the files and folders directly inside a folder, a Shared Drive, or My Drive ("root"), folders first. Returns ids, names, types, owners, modified times and links, a page at a time.',
  input: z.object({
    folderId: folderIdField
      .optional()
      .describe('Folder id, Shared Drive id, or "root" for My Drive (default "root")'),
    orderBy: z
      .enum(['name', 'modified', 'created'])
      .optional()
      .describe('name (folders first, default), modified or created (newest first)'),
    includeTrashed: z.boolean().optional().describe('Include items in the trash (default false)'),
    pageSize: pageSizeField(50, 100),
    pageToken: pageTokenField,
  }),
  output: z.object({
    folder: z.object({ id: z.string(), name: z.string(), driveId: z.string().optional() }),
    files: z.array(fileSummarySchema),
    ...pagedShape,
  }),
  annotations: READ,
  auditTarget: ['folderId'],
  async run(args, ctx) {
    const position = decodePageToken(args.pageToken);
    const requested = args.folderId ?? 'root';
    const folder = await call(ctx, { subject: `folder ${requested}` }, (drive, options) =>
      drive.files.get(
        { fileId: requested, fields: 'id,name,mimeType,driveId', supportsAllDrives: true },
        options,
      ),
    );
    const folderId = folder.id ?? requested;
    // A Shared Drive's id is also the id of its top folder, which files.get reports as a folder.
    if (folder.mimeType !== FOLDER)
      throw new ToolError(
        `${requested} is a ${folder.mimeType ?? 'file'}, not a folder; read it with read_file.`,
      );
    const driveId = folder.driveId ?? undefined;
    const q = searchQuery({ folderId, includeTrashed: args.includeTrashed });
    const result = await call(ctx, { subject: `folder ${folderId}` }, (drive, options) =>
      drive.files.list(
        {
          q,
          pageSize: args.pageSize ?? 50,
          orderBy: ORDER[args.orderBy ?? 'name'],
          fields: `nextPageToken,files(${SUMMARY_FIELDS})`,
          ...pageTokenParam(position),
          ...(driveId === undefined
            ? { corpora: 'user', supportsAllDrives: true }
            : corpusOf(driveId)),
        },
        options,
      ),
    );
    const files = (result.files ?? [])
      .map(summarize)
      .filter(
        (file: FileSummary) =>
          (file.parents ?? []).includes(folderId) &&
          (args.includeTrashed === true || file.trashed !== true),
      )
      .map(listed);
    const page = pageWithin(
      files,
      position,
      result.nextPageToken ?? undefined,
      itemBudget(ctx),
      sizeOfItem,
    );
    const name = folder.name ?? folderId;
    const data = {
      folder: defined({ id: folderId, name, driveId }),
      files: page.items,
      ...pageFields(page),
    };
    const header = `Folder "${sanitizeLine(name, 120)}" (id ${folderId})${page.items.length === 0 ? ' is empty.' : ':'}`;
    return structured(
      data,
      `${header}\n${page.items.map(summaryLine).join('\n')}${more('list_folder', page.nextPageToken, page.truncated)}`.trimEnd(),
    );
  },
});

const userSchema = z.object({ name: z.string().optional(), email: z.string().optional() });

export const getFileMetadata = defineTool({
  name: 'get_file_metadata',
  title: 'Get file metadata',
  description:
    "One file's details: name, type, size, owners, who modified it last and when, its folders and Shared Drive, links, sharing state and what the account may do with it. Does not read the content (use read_file).",
  input: z.object({ fileId: fileIdField }),
  output: fileSummarySchema.extend({
    createdTime: z.string().optional(),
    description: z.string().optional(),
    starred: z.boolean().optional(),
    shared: z.boolean().optional(),
    version: z.string().optional().describe('Increases with every change'),
    md5Checksum: z.string().optional(),
    lastModifyingUser: userSchema.optional(),
    webContentLink: z.string().optional().describe('Download link (files with content only)'),
    capabilities: z
      .record(z.string(), z.boolean())
      .optional()
      .describe('What the signed-in account may do'),
  }),
  annotations: READ,
  auditTarget: ['fileId'],
  async run({ fileId }, ctx) {
    const file = await call(ctx, { subject: `file ${fileId}` }, (drive, options) =>
      drive.files.get({ fileId, fields: DETAIL_FIELDS, supportsAllDrives: true }, options),
    );
    const capabilities = Object.fromEntries(
      Object.entries(file.capabilities ?? {}).filter(
        (entry): entry is [string, boolean] => typeof entry[1] === 'boolean',
      ),
    );
    const modifier = file.lastModifyingUser;
    const data = defined({
      ...summarize(file),
      createdTime: file.createdTime ?? undefined,
      description: file.description ?? undefined,
      starred: file.starred ?? undefined,
      shared: file.shared ?? undefined,
      version: file.version ?? undefined,
      md5Checksum: file.md5Checksum ?? undefined,
      lastModifyingUser:
        modifier == null
          ? undefined
          : defined({
              name: modifier.displayName ?? undefined,
              email: modifier.emailAddress ?? undefined,
            }),
      webContentLink: file.webContentLink ?? undefined,
      capabilities: Object.keys(capabilities).length === 0 ? undefined : capabilities,
    });
    const allowed = Object.entries(capabilities)
      .filter(([, yes]) => yes)
      .map(([name]) => name.replace(/^can/, '').toLowerCase());
    const lines = [
      summaryLine(data),
      data.createdTime === undefined ? '' : `Created ${data.createdTime}`,
      data.lastModifyingUser === undefined
        ? ''
        : `Last modified by ${sanitizeLine(data.lastModifyingUser.name ?? data.lastModifyingUser.email ?? '?', 120)}`,
      data.parents === undefined ? '' : `In folder ${data.parents.join(', ')}`,
      data.driveId === undefined ? '' : `In Shared Drive ${data.driveId}`,
      data.shared === true ? 'Shared with others' : '',
      data.description === undefined ? '' : `Description: ${sanitizeLine(data.description, 500)}`,
      allowed.length === 0 ? '' : `You may: ${allowed.join(', ')}`,
    ].filter((line) => line !== '');
    return structured(data, lines.join('\n'));
  },
});

export const listSharedDrives = defineTool({
  name: 'list_shared_drives',
  title: 'List Shared Drives',
  description:
    'List the Shared Drives the account is a member of, optionally those whose name contains some words. Use a drive id with search (driveId) or list_folder (folderId).',
  input: z.object({
    query: z.string().max(500).optional().describe('Only drives whose name contains these words'),
    pageSize: pageSizeField(50, 100),
    pageToken: pageTokenField,
  }),
  output: z.object({
    drives: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        createdTime: z.string().optional(),
        hidden: z.boolean().optional(),
      }),
    ),
    ...pagedShape,
  }),
  annotations: READ,
  async run(args, ctx) {
    const position = decodePageToken(args.pageToken);
    const query = args.query?.trim() ?? '';
    const result = await call(ctx, { subject: 'the Shared Drives' }, (drive, options) =>
      drive.drives.list(
        {
          pageSize: args.pageSize ?? 50,
          fields: 'nextPageToken,drives(id,name,createdTime,hidden)',
          ...(query === '' ? {} : { q: drivesQuery(query) }),
          ...pageTokenParam(position),
        },
        options,
      ),
    );
    const drives = (result.drives ?? []).map((entry) =>
      defined({
        id: entry.id ?? '',
        name: (entry.name ?? '').slice(0, 500),
        createdTime: entry.createdTime ?? undefined,
        hidden: entry.hidden === true ? true : undefined,
      }),
    );
    const page = pageWithin(
      drives,
      position,
      result.nextPageToken ?? undefined,
      itemBudget(ctx),
      sizeOfItem,
    );
    const lines = page.items.map(
      (entry) =>
        `${sanitizeLine(entry.name)} (Shared Drive) id ${entry.id}${entry.hidden === true ? ' · hidden' : ''}`,
    );
    return structured(
      {
        drives: page.items,
        ...pageFields(page),
      },
      `${lines.length === 0 ? 'No Shared Drives.' : `${lines.length} Shared Drive${lines.length === 1 ? '' : 's'}:`}\n${lines.join('\n')}${more('list_shared_drives', page.nextPageToken, page.truncated)}`.trimEnd(),
    );
  },
});
