/**
 * @module
 * One document to text, in the calling thread: PDF page by page, Word, PowerPoint and
 * OpenDocument as Markdown-ish text, Excel as sheets of cells. Every bound of
 * {@link DocumentLimits} but memory and time is enforced here; those two hold the worker that
 * runs this (see `isolate.ts`), which is how servers call it.
 */
import type { DocumentKind } from './kinds.js';
import type { DocumentLimits } from './limits.js';
import { docxText, odtText, pptxText, xlsxSheets } from './office.js';
import { pdfText } from './pdf.js';
import type { Sheet } from './sheets.js';
import { openArchive } from './zip.js';

export type Extracted =
  | {
      readonly kind: 'text';
      readonly text: string;
      /** True when the text was cut at `maxChars` or `maxPages`. */
      readonly truncated: boolean;
      /** For PDFs: the pages the document has, and how many were read. */
      readonly pages?: number;
      readonly pagesRead?: number;
      /** For PDFs: where each page read starts in `text`, in characters. */
      readonly pageStarts?: readonly number[];
    }
  | { readonly kind: 'sheets'; readonly sheets: readonly Sheet[] };

/** `text` cut to at most `max` characters, never between the halves of a surrogate pair. */
function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  const code = text.charCodeAt(max - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

function textOf(text: string, limits: DocumentLimits): Extracted {
  return {
    kind: 'text',
    text: cutText(text, limits.maxChars),
    truncated: text.length > limits.maxChars,
  };
}

export async function extractInThread(
  bytes: Uint8Array,
  kind: DocumentKind,
  limits: DocumentLimits,
  onPage?: (page: number, pages: number) => void,
): Promise<Extracted> {
  if (kind === 'pdf') {
    const result = await pdfText(bytes, limits, onPage);
    const text = cutText(result.text, limits.maxChars);
    const pageStarts = result.pageStarts.filter((start) => start < text.length);
    return {
      kind: 'text',
      text,
      truncated: result.text.length > limits.maxChars || result.pagesRead < result.pages,
      pages: result.pages,
      pagesRead: pageStarts.length,
      pageStarts,
    };
  }
  const archive = openArchive(
    Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    limits,
  );
  switch (kind) {
    case 'xlsx':
      return { kind: 'sheets', sheets: xlsxSheets(archive, limits) };
    case 'docx':
      return textOf(docxText(archive), limits);
    case 'pptx':
      return textOf(pptxText(archive), limits);
    case 'odt':
      return textOf(odtText(archive), limits);
  }
}
