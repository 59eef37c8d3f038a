/**
 * @module
 * What the Drive tools share: argument fields (an id means the same everywhere), the file
 * summary's output shape, annotations, and the budget arithmetic for listings.
 */
import { annotationPresets } from '@plugboard/kit/tools';
import { jsonSize } from '@plugboard/protocol';
import { z } from 'zod';
import type { GdriveContext } from '../context.js';
import type { FileSummary } from '../files.js';
import { DRIVE_ID, SHORT_ID } from '../ids.js';

/** The hints of the Drive tools: reading, creating, replacing or sharing, moving or renaming. */
export const { READ, CREATE, REPLACE, SET, DELETE } = annotationPresets({ openWorld: true });

export const fileIdField = z
  .string()
  .regex(DRIVE_ID, 'a Drive file id is 10-200 letters, digits, "-" or "_" (as in the file\'s link)')
  .describe('Drive file id, as returned by search or list_folder (the part after /d/ in a link)');

export const folderIdField = z
  .union([z.literal('root'), z.string().regex(DRIVE_ID, 'a Drive folder id, or "root"')])
  .describe('Folder id, a Shared Drive id (its top folder), or "root" for My Drive');

export const expectedVersionField = z
  .string()
  .regex(/^\d{1,20}$/, 'a version number as get_file_metadata shows it')
  .optional()
  .describe("The file's version from get_file_metadata; the update is refused if it changed");

export const driveIdField = z
  .string()
  .regex(DRIVE_ID, 'a Shared Drive id, as returned by list_shared_drives')
  .describe('Shared Drive id, as returned by list_shared_drives');

export const permissionIdField = z
  .string()
  .regex(SHORT_ID, 'a permission id as list_permissions shows it')
  .describe('Permission id, as returned by list_permissions');

export const pageTokenField = z
  .string()
  .max(4096)
  .optional()
  .describe('nextPageToken from the previous result, to get the next page');

/** Output fields of a listing: where to continue, and whether the output budget cut it. */
export const pagedShape = {
  nextPageToken: z.string().optional(),
  truncated: z.boolean(),
};

export function pageSizeField(fallback: number, max: number) {
  return z
    .number()
    .int()
    .min(1)
    .max(max)
    .optional()
    .describe(`How many items to return (default ${fallback}, at most ${max})`);
}

export const fileSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  mimeType: z.string(),
  type: z.string().describe('Google Doc, Google Sheet, folder, … or the MIME type'),
  uri: z.string().describe('gdrive:/// resource URI'),
  size: z.number().optional().describe('Bytes (Google Docs, Sheets and Slides have none)'),
  modifiedTime: z.string().optional(),
  owners: z.array(z.string()).optional(),
  webViewLink: z.string().optional(),
  parents: z.array(z.string()).optional(),
  driveId: z.string().optional().describe('The Shared Drive it is in'),
  trashed: z.boolean().optional(),
  shortcutTarget: z.object({ id: z.string(), mimeType: z.string().optional() }).optional(),
});

/** Names can be up to 32 KB; listings show at most this much of one. */
const MAX_NAME = 500;

/** A summary fit for a listing: very long names shortened. */
export function listed(file: FileSummary): FileSummary {
  return file.name.length > MAX_NAME ? { ...file, name: `${file.name.slice(0, MAX_NAME)}…` } : file;
}

/** Budget for the items of a listing: the result carries them twice (structured and text). */
export function itemBudget(ctx: GdriveContext): number {
  return Math.floor(ctx.config.outputBudget / 2) - 512;
}

export const sizeOfItem = (item: unknown): number => jsonSize(item) + 64;

/** The last line of a listing's text: how to get more. */
export function more(tool: string, nextPageToken: string | undefined, truncated: boolean): string {
  if (nextPageToken === undefined) return '';
  return `\n${truncated ? 'The output budget was reached. ' : ''}More: call ${tool} again with pageToken "${nextPageToken}".`;
}

/** Fields with undefined values dropped, for exactOptionalPropertyTypes-friendly output. */
export function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as T;
}
