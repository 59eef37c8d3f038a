/**
 * @module
 * `read_document`: the text of a PDF, Word, Excel, PowerPoint or OpenDocument file inside the
 * allowed directories, by page range (PDF) or sheet (Excel) and then by lines, within the output
 * budget. The file is read by `@plugboard/kit/documents` in a worker under its bounds, so a
 * hostile file is refused with a message naming the bound instead of hanging the server.
 */
import { DEFAULT_LIMITS, documentKindOf } from '@plugboard/kit/documents';
import { structured, ToolError } from '@plugboard/protocol';
import { z } from 'zod';
import { defineTool } from '../context.js';
import { mapErrors, shown } from '../fs/errors.js';
import { formatSize } from '../fs/format.js';
import { openForRead } from '../fs/safe-open.js';
import { documentText, type DocumentText } from './documents-text.js';
import { textLines } from './documents-lines.js';
import { ANNOTATIONS, pathField } from './fields.js';
import { lineRangeFields } from './read.js';

const output = z.object({
  path: z.string().describe('Real path of the file read'),
  kind: z.enum(['pdf', 'docx', 'pptx', 'xlsx', 'odt']).describe('What the file was read as'),
  content: z.string().describe('The text of the lines returned'),
  startLine: z.number().describe('1-based number of the first line returned, in the selection'),
  lines: z.number().describe('Lines returned'),
  totalLines: z.number().describe('Lines in the selection (the pages or sheet asked for)'),
  truncated: z.boolean().describe('True when the byte budget cut the result short'),
  nextOffset: z
    .number()
    .optional()
    .describe('Pass as offset (with the same pages or sheet) to read on from here'),
  pages: z.number().optional().describe('PDF: pages in the file'),
  pagesRead: z
    .number()
    .optional()
    .describe('PDF: pages whose text was extracted (fewer than pages past the document bounds)'),
  firstPage: z.number().optional().describe('PDF: first page in the selection'),
  lastPage: z.number().optional().describe('PDF: last page in the selection'),
  sheets: z
    .array(
      z.object({
        name: z.string().describe('Sheet name'),
        rows: z.number().describe('Rows, up to the last one with a value'),
        columns: z.number().describe('Columns, up to the widest row'),
        hidden: z.boolean().optional().describe('True when the sheet is hidden in the workbook'),
      }),
    )
    .optional()
    .describe('Excel: every sheet of the workbook, with its size'),
  documentTruncated: z
    .boolean()
    .optional()
    .describe('True when the document bounds (characters or pages) left part of the file unread'),
});

type Output = z.infer<typeof output>;

interface Selection {
  readonly text: string;
  readonly firstPage?: number;
  readonly lastPage?: number;
}

/** The pages asked for, cut out of a PDF's text. */
function selectPages(
  document: DocumentText,
  firstPage: number | undefined,
  lastPage: number | undefined,
): Selection {
  if (firstPage === undefined && lastPage === undefined) return { text: document.text };
  const starts = document.pageStarts ?? [];
  const read = starts.length;
  const first = firstPage ?? 1;
  const last = Math.min(lastPage ?? read, read);
  if (first > last || first > read)
    throw new ToolError(
      read < (document.pages ?? read)
        ? `The PDF has ${document.pages} pages; the text of the first ${read} was read (the document bounds); ask for pages 1-${read}`
        : `The PDF has ${read} pages; ask for pages between 1 and ${read}`,
    );
  return {
    text: document.text.slice(starts[first - 1], last < read ? starts[last] : undefined),
    firstPage: first,
    lastPage: last,
  };
}

/** The section of one sheet in a workbook's text: the exact name first, then any case. */
function selectSheet(document: DocumentText, sheet: string | undefined): Selection {
  const { sheets = [], sheetStarts = [] } = document;
  if (sheet === undefined) return { text: document.text };
  let index = sheets.findIndex((candidate) => candidate.name === sheet);
  if (index === -1)
    index = sheets.findIndex((candidate) => candidate.name.toLowerCase() === sheet.toLowerCase());
  if (index === -1)
    throw new ToolError(
      `The workbook has no sheet named ${shown(sheet, 200)}. Its sheets: ${sheets.map((candidate) => shown(candidate.name, 100)).join(', ')}`,
    );
  return { text: document.text.slice(sheetStarts[index], sheetStarts[index + 1]) };
}

export const readDocument = defineTool({
  name: 'read_document',
  title: 'Read document',
  description:
    'Read the text of a PDF, Word (.docx), Excel (.xlsx, one CSV section per sheet), PowerPoint (.pptx) or OpenDocument (.odt) file, ' +
    'optionally only some PDF pages or one sheet, then by lines (offset/limit) within the byte budget. Files over the size bound, ' +
    'encrypted files and files that would expand past the document bounds are refused with the reason.',
  input: z.object({
    path: pathField('Document to read, absolute or relative to the first allowed directory'),
    firstPage: z.number().int().min(1).optional().describe('PDF: first page to read (1-based)'),
    lastPage: z.number().int().min(1).optional().describe('PDF: last page to read (inclusive)'),
    sheet: z
      .string()
      .min(1)
      .max(256)
      .optional()
      .describe('Excel: read only the sheet with this name'),
    offset: z
      .number()
      .int()
      .min(0)
      .optional()
      .describe('Lines of the selected text to skip (0 = first line)'),
    limit: lineRangeFields.limit,
    maxBytes: lineRangeFields.maxBytes,
  }),
  output,
  annotations: ANNOTATIONS.READ,
  auditTarget: ['path'],
  async run(args, ctx) {
    const { sandbox, limits } = ctx;
    const maxBytes = Math.min(args.maxBytes ?? limits.outputBytes, limits.outputBytes);
    const scope = await sandbox.scope(ctx);
    return mapErrors(args.path, async () => {
      const resolved = await scope.resolve(args.path);
      const kind = documentKindOf(resolved.path);
      if (kind === undefined)
        throw new ToolError(
          `${shown(args.path)} is not a PDF, .docx, .xlsx, .pptx or .odt file; use read_text_file for text`,
        );
      if (kind !== 'pdf' && (args.firstPage !== undefined || args.lastPage !== undefined))
        throw new ToolError('firstPage and lastPage apply to PDF files; use offset and limit');
      if (kind !== 'xlsx' && args.sheet !== undefined)
        throw new ToolError('sheet applies to Excel files');
      const file = openForRead(resolved, scope);
      let document: DocumentText;
      try {
        document = await documentText(file, kind, args.path, ctx.signal);
      } finally {
        file.close();
      }
      const selection =
        kind === 'xlsx'
          ? selectSheet(document, args.sheet)
          : selectPages(document, args.firstPage, args.lastPage);
      const range = textLines(selection.text, args.offset ?? 0, args.limit, maxBytes);
      const data: Output = {
        path: resolved.path,
        kind,
        content: range.content,
        startLine: range.startLine,
        lines: range.lines,
        totalLines: range.totalLines,
        truncated: range.truncated,
        ...(range.nextOffset === undefined ? {} : { nextOffset: range.nextOffset }),
        ...(document.pages === undefined ? {} : { pages: document.pages }),
        ...(document.pagesRead === undefined ? {} : { pagesRead: document.pagesRead }),
        ...(selection.firstPage === undefined ? {} : { firstPage: selection.firstPage }),
        ...(selection.lastPage === undefined ? {} : { lastPage: selection.lastPage }),
        ...(document.sheets === undefined ? {} : { sheets: [...document.sheets] }),
        ...(document.truncated ? { documentTruncated: true } : {}),
      };
      const notes: string[] = [];
      if (range.nextOffset !== undefined) {
        const why = range.longLine
          ? `line ${range.startLine} is longer than the ${formatSize(maxBytes)} budget and was cut`
          : range.truncated
            ? `the ${formatSize(maxBytes)} budget was reached`
            : 'the line limit was reached';
        notes.push(
          `[lines ${range.startLine}-${range.startLine + range.lines - 1} of ${range.totalLines} shown; ${why}. Call read_document with offset ${range.nextOffset} to continue]`,
        );
      }
      if (document.truncated)
        notes.push(
          document.pagesRead !== undefined && document.pagesRead < (document.pages ?? 0)
            ? `[the text of the first ${document.pagesRead} of ${document.pages} pages was extracted: the document bounds]`
            : `[the text was cut at the ${DEFAULT_LIMITS.maxChars} characters the document bounds allow]`,
        );
      const text =
        notes.length === 0
          ? range.content
          : `${range.content}${range.content.endsWith('\n') || range.content === '' ? '' : '\n'}${notes.join('\n')}`;
      return structured(data, text);
    });
  },
});
