/**
 * @module
 * `gdrive:///<fileId>` resources, as the official server offered them: `resources/list` pages
 * through the files, most recently modified first, and a read returns a file's content (Docs as Markdown,
 * Sheets as CSV, one entry per sheet, Slides as text, Drawings as PNG, other files as text or
 * base64). Unlike the official server, reads are capped (a cut text ends with a line saying how
 * to read on with read_file), and the URI is checked exactly: scheme, empty host, and an id of
 * Drive's alphabet only.
 */
import {
  ErrorCode,
  ProtocolError,
  resourceFactory,
  resourceNotFound,
  ToolError,
  type ResourceContents,
  type ResourceListPage,
} from '@plugboard/protocol';
import { call, type GdriveContext, type GdriveDeps } from './context.js';
import { NotFoundError } from './errors.js';
import { FOLDER, SUMMARY_FIELDS, fileUri } from './files.js';
import { isDriveId } from './ids.js';

const { defineResourceTemplate } = resourceFactory<GdriveDeps>();

/** Most text one resource read returns. */
export const RESOURCE_TEXT_BYTES = 1024 * 1024;
/** Files per `resources/list` page. */
export const LISTED_FILES = 50;

/** Resource reads have no isError result: a Drive failure is the JSON-RPC error's message. */
async function guarded<T>(uri: string | undefined, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof NotFoundError && uri !== undefined) throw resourceNotFound(uri);
    if (error instanceof ToolError) throw new ProtocolError(ErrorCode.InternalError, error.message);
    throw error;
  }
}

/** One page of files, newest first; `cursor` is Drive's own page token. */
async function recentFiles(
  ctx: GdriveContext,
  cursor: string | undefined,
): Promise<ResourceListPage> {
  const result = await call(ctx, { subject: 'the recent files' }, (drive, options) =>
    drive.files.list(
      {
        q: `trashed = false and mimeType != '${FOLDER}'`,
        orderBy: 'modifiedTime desc',
        pageSize: LISTED_FILES,
        ...(cursor === undefined ? {} : { pageToken: cursor }),
        fields: `nextPageToken, files(${SUMMARY_FIELDS})`,
        corpora: 'allDrives',
        includeItemsFromAllDrives: true,
        supportsAllDrives: true,
      },
      options,
    ),
  );
  const resources = (result.files ?? [])
    .filter((file) => file.id != null && isDriveId(file.id))
    .map((file) => ({
      uri: fileUri(file.id!),
      name: (file.name ?? file.id!).slice(0, 500),
      ...(file.mimeType == null ? {} : { mimeType: file.mimeType }),
      ...(file.size != null && /^\d+$/.test(file.size) ? { size: Number(file.size) } : {}),
    }));
  const next = result.nextPageToken;
  return next == null || next === '' ? { resources } : { resources, nextCursor: next };
}

async function readContents(
  ctx: GdriveContext,
  uri: string,
  fileId: string,
): Promise<ResourceContents[]> {
  const { readResolved, resolveFile, sheetInfo, spreadsheet, SPREADSHEET } =
    await import('./content/read.js');
  const { pageOf, toCsv } = await import('@plugboard/kit/documents');
  const file = await resolveFile(ctx, fileId);
  if (file.mimeType === SPREADSHEET) {
    // One entry per sheet, the first being what the official server returned (the first sheet).
    const sheets = await spreadsheet(ctx, file);
    let left = RESOURCE_TEXT_BYTES;
    return sheets.map((sheet) => {
      const page = pageOf(toCsv(sheet.rows), 0, Math.max(1024, left));
      left -= Buffer.byteLength(page.text);
      return {
        uri,
        mimeType: 'text/csv',
        text:
          page.nextOffset === undefined
            ? page.text
            : `${page.text}\n[truncated: read the rest with the read_file tool, sheet "${sheet.name}"]`,
        _meta: { sheet: sheetInfo(sheet) as unknown as Record<string, string | number | boolean> },
      };
    });
  }
  const result = await readResolved(ctx, file, { offset: 0, maxBytes: RESOURCE_TEXT_BYTES });
  if (result.kind !== 'text')
    return [{ uri, mimeType: result.contentType, blob: result.data.toString('base64') }];
  const { page } = result;
  if (page.nextOffset === undefined)
    return [{ uri, mimeType: result.contentType, text: page.text }];
  return [
    {
      uri,
      mimeType: result.contentType,
      text: `${page.text}\n[truncated at ${page.nextOffset} of ${page.totalBytes} bytes: read the rest with the read_file tool, offset ${page.nextOffset}]`,
      _meta: { truncated: true, nextOffset: page.nextOffset },
    },
  ];
}

export const fileResource = defineResourceTemplate({
  uriTemplate: 'gdrive:///{fileId}',
  name: 'file',
  title: 'Google Drive file',
  description:
    'A Drive file by id: Google Docs as Markdown, Sheets as CSV (one entry per sheet), Slides as text, Drawings as PNG, other files as text or base64, at most 1 MB of text.',
  list: (ctx, cursor) => guarded(undefined, () => recentFiles(ctx, cursor)),
  read: (uri, variables, ctx) => {
    const fileId = variables.get('fileId') ?? '';
    if (!isDriveId(fileId) || uri !== fileUri(fileId))
      throw ProtocolError.invalidParams(
        'Not a Drive file URI: it must be gdrive:/// followed by a file id (10-200 letters, digits, "-" or "_")',
      );
    return guarded(uri, () => readContents(ctx, uri, fileId));
  },
});

export const resources = [fileResource];
