/**
 * @module
 * Reading a Drive file as something a model can use, decided from its metadata before anything
 * is downloaded: Google Docs export as Markdown, Sheets as CSV per sheet (through an xlsx export,
 * since Drive's CSV export has only the first sheet), Slides as text, Drawings as PNG; text files
 * are read a window at a time with ranged downloads; PDFs and Office files have their text
 * extracted; images and other binaries come back whole only under a byte cap. Every text result
 * is one page of at most `maxBytes`, with the offset of the next.
 */
import type { drive_v3 } from '@googleapis/drive';
import { ToolError } from '@plugboard/protocol';
import { call, download, type Download, type GdriveContext } from '../context.js';
import {
  DETAIL_FIELDS,
  FOLDER,
  formatSize,
  SHORTCUT,
  summarize,
  typeName,
  type FileSummary,
} from '../files.js';
import { sanitizeLine } from '../sanitize.js';
import {
  cut,
  dimensions,
  DocumentError,
  extractDocument,
  pageOf,
  parseA1,
  RangeSyntaxError,
  textWindow,
  toCsv,
  type DocumentKind,
  type DocumentLimits,
  type Extracted,
  type Sheet,
  type TextPage,
} from '@plugboard/kit/documents';

/** Converted content kept between pages: text, or a parsed spreadsheet. */
export type Converted =
  | { readonly kind: 'text'; readonly text: string; readonly note?: string }
  | { readonly kind: 'sheets'; readonly sheets: readonly Sheet[] };

/** Most text kept from one conversion (PDF text, an Office document); past it a note says so. */
export const MAX_CONVERTED_CHARS = 8 * 1024 * 1024;
/** The documents library's bounds, with this server's cap on converted text. */
const DOCUMENT_LIMITS: Partial<DocumentLimits> = { maxChars: MAX_CONVERTED_CHARS };
/** Shortcuts followed before giving up (Drive forbids shortcuts to shortcuts; files can lie). */
const MAX_SHORTCUT_HOPS = 3;

const GOOGLE_EXPORTS: Readonly<
  Record<string, { readonly mimeType: string; readonly image?: true }>
> = {
  'application/vnd.google-apps.document': { mimeType: 'text/markdown' },
  'application/vnd.google-apps.presentation': { mimeType: 'text/plain' },
  'application/vnd.google-apps.drawing': { mimeType: 'image/png', image: true },
  'application/vnd.google-apps.script': { mimeType: 'application/vnd.google-apps.script+json' },
};

export const SPREADSHEET = 'application/vnd.google-apps.spreadsheet';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const OFFICE: Readonly<Record<string, 'docx' | 'pptx' | 'xlsx' | 'odt'>> = {
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'pptx',
  [XLSX]: 'xlsx',
  'application/vnd.oasis.opendocument.text': 'odt',
};
const PDF = 'application/pdf';

const TEXT_TYPES = new Set([
  'application/json',
  'application/x-ndjson',
  'application/xml',
  'application/javascript',
  'application/x-javascript',
  'application/typescript',
  'application/x-yaml',
  'application/yaml',
  'application/toml',
  'application/x-sh',
  'application/x-httpd-php',
  'application/sql',
  'application/graphql',
  'application/x-tex',
  'application/rtf',
  'application/x-subrip',
]);

export function isTextType(mimeType: string): boolean {
  return (
    mimeType.startsWith('text/') ||
    TEXT_TYPES.has(mimeType) ||
    mimeType.endsWith('+json') ||
    mimeType.endsWith('+xml')
  );
}

export interface ReadRequest {
  /** UTF-8 byte offset into the (converted) text. */
  readonly offset: number;
  readonly maxBytes: number;
  readonly sheet?: string | undefined;
  readonly range?: string | undefined;
}

export interface SheetInfo {
  name: string;
  rows: number;
  columns: number;
  hidden?: boolean;
}

export type ReadResult =
  | {
      readonly kind: 'text';
      readonly file: FileSummary;
      /** What the text is: text/markdown, text/csv, text/plain, or the file's own type. */
      readonly contentType: string;
      readonly page: TextPage;
      readonly sheets?: SheetInfo[];
      readonly notes: readonly string[];
    }
  | {
      readonly kind: 'image' | 'blob';
      readonly file: FileSummary;
      readonly contentType: string;
      readonly data: Buffer;
    };

function subjectOf(file: drive_v3.Schema$File): string {
  return `"${sanitizeLine(file.name ?? '', 80)}" (${file.id ?? '?'})`;
}

/** The file's metadata, following shortcuts to their target. */
export async function resolveFile(
  ctx: GdriveContext,
  fileId: string,
): Promise<drive_v3.Schema$File> {
  let id = fileId;
  const seen = new Set<string>();
  for (let hop = 0; ; hop++) {
    seen.add(id);
    const current = id;
    const file = await call(ctx, { subject: `file ${current}` }, (drive, options) =>
      drive.files.get({ fileId: current, fields: DETAIL_FIELDS, supportsAllDrives: true }, options),
    );
    if (file.mimeType !== SHORTCUT) return file;
    const target = file.shortcutDetails?.targetId ?? undefined;
    if (target === undefined || seen.has(target) || hop + 1 >= MAX_SHORTCUT_HOPS)
      throw new ToolError(
        `${subjectOf(file)} is a shortcut whose target cannot be followed (missing, or a loop of shortcuts).`,
      );
    id = target;
  }
}

function cacheKey(file: drive_v3.Schema$File, variant: string): string {
  return `${file.id ?? ''}:${file.version ?? file.modifiedTime ?? ''}:${variant}`;
}

async function cached(
  ctx: GdriveContext,
  key: string,
  convert: () => Promise<Converted>,
): Promise<Converted> {
  const hit = ctx.cache.get(key);
  if (hit !== undefined) return hit;
  const value = await convert();
  const size =
    value.kind === 'text'
      ? value.text.length * 2
      : value.sheets.reduce(
          (sum, sheet) =>
            sum + sheet.rows.reduce((rows, row) => rows + row.join('').length * 2 + 16, 0),
          0,
        );
  ctx.cache.set(key, value, size);
  return value;
}

function tooLarge(file: drive_v3.Schema$File, size: number, cap: number, what: string): ToolError {
  const link =
    file.webViewLink == null ? '' : ` Open it in the browser instead: ${file.webViewLink}`;
  return new ToolError(
    `${subjectOf(file)} is ${formatSize(size)}, over the ${formatSize(cap)} this server ${what}.${link}`,
  );
}

async function exportBytes(
  ctx: GdriveContext,
  file: drive_v3.Schema$File,
  mimeType: string,
  maxBytes: number,
): Promise<Download> {
  const fileId = file.id!;
  return download(
    ctx,
    { subject: subjectOf(file) },
    (drive, options) =>
      drive.files.export({ fileId, mimeType }, { ...options, responseType: 'stream' }),
    maxBytes,
  );
}

async function mediaBytes(
  ctx: GdriveContext,
  file: drive_v3.Schema$File,
  maxBytes: number,
  range?: { start: number; end: number },
): Promise<Download> {
  const fileId = file.id!;
  return download(
    ctx,
    { subject: subjectOf(file) },
    (drive, options) =>
      drive.files.get(
        { fileId, alt: 'media', supportsAllDrives: true },
        {
          ...options,
          responseType: 'stream',
          ...(range === undefined
            ? {}
            : { headers: { Range: `bytes=${range.start}-${range.end}` } }),
        },
      ),
    maxBytes,
  );
}

/** The whole file for conversion, refused up front when its size is over the cap. */
async function wholeFile(ctx: GdriveContext, file: drive_v3.Schema$File): Promise<Buffer> {
  const cap = ctx.config.maxFileBytes;
  const size = Number(file.size ?? 0);
  if (size > cap) throw tooLarge(file, size, cap, 'downloads to extract text');
  const got = await mediaBytes(ctx, file, cap);
  if (!got.complete) throw tooLarge(file, cap + 1, cap, 'downloads to extract text');
  return got.bytes;
}

function conversionError(file: drive_v3.Schema$File, error: unknown): never {
  if (error instanceof DocumentError)
    throw new ToolError(`Cannot read the text of ${subjectOf(file)}: ${error.message}.`);
  throw error;
}

/** The text or sheets of a downloaded document, read by the documents library in a worker. */
async function extracted(
  ctx: GdriveContext,
  file: drive_v3.Schema$File,
  bytes: Buffer,
  kind: DocumentKind,
): Promise<Extracted> {
  try {
    return await extractDocument(bytes, kind, {
      limits: DOCUMENT_LIMITS,
      signal: ctx.signal,
      onPage: (page, pages) => void ctx.progress(page, pages, `PDF page ${page} of ${pages}`),
    });
  } catch (error) {
    conversionError(file, error);
  }
}

/** The note a cut text carries: which pages, or how many characters, were read. */
function truncationNote(result: Extracted & { kind: 'text' }): string | undefined {
  if (!result.truncated) return undefined;
  if (
    result.pages !== undefined &&
    result.pagesRead !== undefined &&
    result.pagesRead < result.pages
  )
    return `Text was extracted from the first ${result.pagesRead} of ${result.pages} pages only.`;
  return `Only the first ${MAX_CONVERTED_CHARS} characters of the text were extracted.`;
}

async function documentText(
  ctx: GdriveContext,
  file: drive_v3.Schema$File,
  kind: Exclude<DocumentKind, 'xlsx'>,
): Promise<Converted> {
  const result = await extracted(ctx, file, await wholeFile(ctx, file), kind);
  if (result.kind !== 'text') return { kind: 'text', text: '' };
  const note = truncationNote(result);
  return note === undefined
    ? { kind: 'text', text: result.text }
    : { kind: 'text', text: result.text, note };
}

/** Every sheet of a spreadsheet (Google Sheet or xlsx), parsed once per version. */
export async function spreadsheet(
  ctx: GdriveContext,
  file: drive_v3.Schema$File,
): Promise<readonly Sheet[]> {
  const converted = await cached(ctx, cacheKey(file, 'sheets'), async () => {
    let bytes: Buffer;
    if (file.mimeType === SPREADSHEET) {
      const cap = ctx.config.maxFileBytes;
      const got = await exportBytes(ctx, file, XLSX, cap);
      if (!got.complete) throw tooLarge(file, cap + 1, cap, 'downloads to read spreadsheets');
      bytes = got.bytes;
    } else bytes = await wholeFile(ctx, file);
    const result = await extracted(ctx, file, bytes, 'xlsx');
    return { kind: 'sheets', sheets: result.kind === 'sheets' ? result.sheets : [] };
  });
  return converted.kind === 'sheets' ? converted.sheets : [];
}

export function sheetInfo(sheet: Sheet): SheetInfo {
  return { ...dimensions(sheet.rows), name: sheet.name, ...(sheet.hidden ? { hidden: true } : {}) };
}

function fence(csv: string): string {
  let marks = '```';
  while (csv.includes(marks)) marks += '`';
  return `${marks}csv\n${csv}${marks}`;
}

/** The text of the sheets asked for: one sheet as plain CSV, several as Markdown sections. */
export function sheetsText(
  file: drive_v3.Schema$File,
  sheets: readonly Sheet[],
  request: Pick<ReadRequest, 'sheet' | 'range'>,
): { text: string; contentType: string } {
  let range;
  try {
    range = request.range === undefined ? undefined : parseA1(request.range);
  } catch (error) {
    if (error instanceof RangeSyntaxError) throw new ToolError(`range: ${error.message}.`);
    throw error;
  }
  const wanted = request.sheet ?? range?.sheet;
  if (wanted !== undefined || range !== undefined) {
    const sheet =
      wanted === undefined
        ? sheets[0]
        : (sheets.find((candidate) => candidate.name === wanted) ??
          sheets.find((candidate) => candidate.name.toLowerCase() === wanted.toLowerCase()));
    if (sheet === undefined)
      throw new ToolError(
        `${subjectOf(file)} has no sheet named "${sanitizeLine(wanted ?? '', 100)}". Its sheets: ${sheets.map((candidate) => `"${sanitizeLine(candidate.name, 100)}"`).join(', ')}.`,
      );
    return {
      text: toCsv(range === undefined ? sheet.rows : cut(sheet.rows, range)),
      contentType: 'text/csv',
    };
  }
  if (sheets.length === 1) return { text: toCsv(sheets[0]!.rows), contentType: 'text/csv' };
  const sections = sheets.map((sheet) => {
    const { rows, columns } = dimensions(sheet.rows);
    return `## Sheet: ${sanitizeLine(sheet.name, 200)}${sheet.hidden ? ' (hidden)' : ''} (${rows} rows × ${columns} columns)\n\n${fence(toCsv(sheet.rows))}\n`;
  });
  return { text: sections.join('\n'), contentType: 'text/markdown' };
}

function textResult(
  file: drive_v3.Schema$File,
  contentType: string,
  converted: string,
  request: ReadRequest,
  extra: { sheets?: SheetInfo[]; notes?: string[] } = {},
): ReadResult {
  const page = pageOf(converted, request.offset, request.maxBytes);
  return {
    kind: 'text',
    file: summarize(file),
    contentType,
    page,
    ...(extra.sheets === undefined ? {} : { sheets: extra.sheets }),
    notes: extra.notes ?? [],
  };
}

/** A window of a text file by ranged download: only the bytes shown are transferred. */
async function textFileWindow(
  ctx: GdriveContext,
  file: drive_v3.Schema$File,
  request: ReadRequest,
): Promise<ReadResult> {
  const size = file.size == null ? undefined : Number(file.size);
  const { offset, maxBytes } = request;
  if (size !== undefined && offset >= size)
    return textResult(file, file.mimeType ?? 'text/plain', '', { ...request, offset: 0 });
  // A few bytes more than the window, so a character cut at its end can be recognised.
  const got = await mediaBytes(ctx, file, maxBytes + 4, {
    start: offset,
    end: offset + maxBytes + 3,
  });
  let chunk = got.bytes;
  let start = offset;
  if (got.status !== 206 && offset > 0) {
    // The server ignored the range and sent the file from its start.
    const whole = await mediaBytes(
      ctx,
      file,
      Math.min(offset + maxBytes + 4, ctx.config.maxFileBytes),
    );
    chunk = whole.bytes.subarray(Math.min(offset, whole.bytes.length));
    start = Math.min(offset, whole.bytes.length);
  }
  if (chunk.includes(0)) return binary(ctx, file);
  const total = size ?? got.totalBytes;
  const complete =
    total === undefined ? got.complete && got.status !== 206 : start + chunk.length >= total;
  const window = textWindow(chunk, maxBytes, complete);
  const end = start + window.end;
  const more = total === undefined ? !complete : end < total;
  return {
    kind: 'text',
    file: summarize(file),
    contentType: file.mimeType ?? 'text/plain',
    page: {
      text: chunk.toString('utf8', window.start, window.end),
      offset: start + window.start,
      nextOffset: more ? end : undefined,
      totalBytes: total ?? end,
    },
    notes: [],
  };
}

/** An image or other binary, whole, when it is small enough. */
async function binary(ctx: GdriveContext, file: drive_v3.Schema$File): Promise<ReadResult> {
  const cap = ctx.config.maxBlobBytes;
  const size = Number(file.size ?? 0);
  const mimeType = file.mimeType ?? 'application/octet-stream';
  if (size > cap) throw tooLarge(file, size, cap, 'returns whole (images and other binary files)');
  const got = await mediaBytes(ctx, file, cap);
  if (!got.complete)
    throw tooLarge(file, cap + 1, cap, 'returns whole (images and other binary files)');
  return {
    kind: mimeType.startsWith('image/') ? 'image' : 'blob',
    file: summarize(file),
    contentType: mimeType,
    data: got.bytes,
  };
}

/** Reads `file` (already resolved) as {@link readDriveFile} describes. */
export async function readResolved(
  ctx: GdriveContext,
  file: drive_v3.Schema$File,
  request: ReadRequest,
): Promise<ReadResult> {
  const mimeType = file.mimeType ?? 'application/octet-stream';
  if (mimeType === FOLDER)
    throw new ToolError(`${subjectOf(file)} is a folder; list it with list_folder.`);
  if (
    (request.sheet !== undefined || request.range !== undefined) &&
    mimeType !== SPREADSHEET &&
    OFFICE[mimeType] !== 'xlsx'
  )
    throw new ToolError(
      `sheet and range apply to spreadsheets; ${subjectOf(file)} is a ${typeName(mimeType)}.`,
    );
  if (mimeType === SPREADSHEET || OFFICE[mimeType] === 'xlsx') {
    const sheets = await spreadsheet(ctx, file);
    const { text, contentType } = sheetsText(file, sheets, request);
    return textResult(file, contentType, text, request, { sheets: sheets.map(sheetInfo) });
  }
  const exported = GOOGLE_EXPORTS[mimeType];
  if (exported?.image === true) {
    const cap = ctx.config.maxBlobBytes;
    const got = await exportBytes(ctx, file, exported.mimeType, cap);
    if (!got.complete) throw tooLarge(file, cap + 1, cap, 'returns whole as an image');
    return {
      kind: 'image',
      file: summarize(file),
      contentType: exported.mimeType,
      data: got.bytes,
    };
  }
  if (exported !== undefined) {
    const converted = await cached(ctx, cacheKey(file, exported.mimeType), async () => {
      const got = await exportBytes(ctx, file, exported.mimeType, MAX_CONVERTED_CHARS);
      const text = got.bytes.toString('utf8');
      return got.complete
        ? { kind: 'text', text }
        : {
            kind: 'text',
            text,
            note: `Only the first ${formatSize(MAX_CONVERTED_CHARS)} of the export were read.`,
          };
    });
    return convertedResult(file, exported.mimeType, converted, request);
  }
  if (mimeType.startsWith('application/vnd.google-apps.'))
    throw new ToolError(
      `${subjectOf(file)} is a ${typeName(mimeType)}, which Drive cannot export as content.${file.webViewLink == null ? '' : ` Open it in the browser: ${file.webViewLink}`}`,
    );
  if (mimeType === PDF)
    return convertedResult(
      file,
      'text/plain',
      await cached(ctx, cacheKey(file, 'pdf'), () => documentText(ctx, file, 'pdf')),
      request,
    );
  const office = OFFICE[mimeType];
  if (office !== undefined)
    return convertedResult(
      file,
      office === 'pptx' ? 'text/plain' : 'text/markdown',
      await cached(ctx, cacheKey(file, office), () => documentText(ctx, file, office)),
      request,
    );
  if (isTextType(mimeType)) return textFileWindow(ctx, file, request);
  return binary(ctx, file);
}

function convertedResult(
  file: drive_v3.Schema$File,
  contentType: string,
  converted: Converted,
  request: ReadRequest,
): ReadResult {
  const text = converted.kind === 'text' ? converted.text : '';
  const note = converted.kind === 'text' ? converted.note : undefined;
  return textResult(file, contentType, text, request, note === undefined ? {} : { notes: [note] });
}

/** Reads a file by id: metadata first (size, type), then only what that says is safe to fetch. */
export async function readDriveFile(
  ctx: GdriveContext,
  fileId: string,
  request: ReadRequest,
): Promise<ReadResult> {
  return readResolved(ctx, await resolveFile(ctx, fileId), request);
}
