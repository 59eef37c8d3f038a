/**
 * @module
 * The text of a document file (PDF, Word, Excel, PowerPoint, OpenDocument) as lines, read with
 * `@plugboard/kit/documents` in a worker under its bounds, for `read_document` and for
 * `search_file_contents` with `documents: true`. A workbook becomes one CSV section per sheet; a
 * PDF keeps where each page starts, so a page range can be cut out of it.
 */
import { closeSync, constants, fstatSync, openSync } from 'node:fs';
import {
  dimensions,
  DocumentError,
  extractDocument,
  toCsv,
  type DocumentKind,
  type Sheet,
} from '@plugboard/kit/documents';
import { ToolError } from '@plugboard/protocol';
import { shown } from '../fs/errors.js';
import { formatSize } from '../fs/format.js';
import { O_NOFOLLOW, O_NONBLOCK, readWhole, type OpenedFile } from '../fs/safe-open.js';

/** Largest document file read: its text is extracted whole, so it is bounded first. */
export const MAX_DOCUMENT_BYTES = 32 * 1024 * 1024;

export interface SheetSummary {
  readonly name: string;
  readonly rows: number;
  readonly columns: number;
  readonly hidden?: boolean;
}

export interface DocumentText {
  readonly kind: DocumentKind;
  readonly text: string;
  /** True when a document bound (characters or pages) cut the text. */
  readonly truncated: boolean;
  /** PDFs: pages in the file, pages read, and where each page read starts in `text`. */
  readonly pages?: number;
  readonly pagesRead?: number;
  readonly pageStarts?: readonly number[];
  /** Workbooks: the sheets, in the order their sections appear, and where each starts in `text`. */
  readonly sheets?: readonly SheetSummary[];
  readonly sheetStarts?: readonly number[];
}

/** A sheet name on one line: names are the file's text, not ours. */
function oneLine(name: string): string {
  return shown(name.replace(/[\r\n\u2028\u2029]+/g, ' '), 200);
}

function sheetsText(
  sheets: readonly Sheet[],
): Pick<DocumentText, 'text' | 'sheets' | 'sheetStarts'> {
  const summaries: SheetSummary[] = [];
  const sheetStarts: number[] = [];
  let text = '';
  for (const sheet of sheets) {
    const size = dimensions(sheet.rows);
    summaries.push({ name: sheet.name, ...size, ...(sheet.hidden ? { hidden: true } : {}) });
    if (text !== '') text += '\n';
    sheetStarts.push(text.length);
    text += `## Sheet: ${oneLine(sheet.name)}${sheet.hidden ? ' (hidden)' : ''} (${size.rows} rows × ${size.columns} columns)\n\n${toCsv(sheet.rows)}`;
  }
  return { text, sheets: summaries, sheetStarts };
}

/** Extracts the text of an opened document file of `kind`; refusals become tool errors. */
export async function documentText(
  file: OpenedFile,
  kind: DocumentKind,
  requested: string,
  signal: AbortSignal,
): Promise<DocumentText> {
  if (file.stats.size > MAX_DOCUMENT_BYTES)
    throw new ToolError(
      `${shown(requested)} is ${formatSize(file.stats.size)}; documents are read up to ${formatSize(MAX_DOCUMENT_BYTES)}`,
    );
  let result;
  try {
    result = await extractDocument(readWhole(file), kind, { signal });
  } catch (error) {
    if (error instanceof DocumentError)
      throw new ToolError(`Cannot read the text of ${shown(requested)}: ${error.message}`);
    throw error;
  }
  if (result.kind === 'sheets') return { kind, truncated: false, ...sheetsText(result.sheets) };
  const { text, truncated, pages, pagesRead, pageStarts } = result;
  return {
    kind,
    text,
    truncated,
    ...(pages === undefined ? {} : { pages }),
    ...(pagesRead === undefined ? {} : { pagesRead }),
    ...(pageStarts === undefined ? {} : { pageStarts }),
  };
}

/**
 * The text of a document the search walk found, or undefined when it cannot be read (too large,
 * damaged, over a bound): the search counts it as skipped. Opened without following a link,
 * like every file the walk reads.
 */
export async function searchableText(
  path: string,
  kind: DocumentKind,
  maxBytes: number,
  signal: AbortSignal,
): Promise<string | undefined> {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
  } catch {
    return undefined;
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile() || stats.size > Math.min(maxBytes, MAX_DOCUMENT_BYTES)) return undefined;
    const file: OpenedFile = { fd, stats, close: () => undefined };
    return (await documentText(file, kind, path, signal)).text;
  } catch (error) {
    if (error instanceof ToolError) return undefined;
    throw error;
  } finally {
    closeSync(fd);
  }
}
