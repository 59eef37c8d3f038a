/**
 * @module
 * `read_file`: a file's content by id, as the model can use it (see content/read.ts for what
 * each type becomes), one page at a time under the output budget. Document text is untrusted:
 * invisible characters are removed and the text is fenced off in the text rendering.
 */
import { embedded, image, structured, textContent } from '@plugboard/protocol';
import { z } from 'zod';
import { readDriveFile, type ReadResult } from '../content/read.js';
import { defineTool } from '../context.js';
import { formatSize } from '../files.js';
import { sanitizeBody, sanitizeLine, untrusted } from '../sanitize.js';
import { fileIdField, fileSummarySchema, READ } from './common.js';

const sheetSchema = z.object({
  name: z.string(),
  rows: z.number(),
  columns: z.number(),
  hidden: z.boolean().optional(),
});

export const readOutput = z.object({
  file: fileSummarySchema,
  kind: z.enum(['text', 'image', 'blob']).describe('text here; image or blob as a content block'),
  contentType: z.string().describe('text/markdown, text/csv, text/plain, or the file type'),
  text: z.string().optional(),
  offset: z.number().optional().describe('UTF-8 byte offset this text starts at'),
  nextOffset: z.number().optional().describe('Pass as offset to read on'),
  totalBytes: z.number().optional().describe('Size of the whole text in UTF-8 bytes'),
  truncated: z.boolean(),
  sheets: z.array(sheetSchema).optional().describe("A spreadsheet's sheets, for sheet and range"),
  notes: z.array(z.string()).optional(),
  bytes: z.number().optional().describe('Size of an image or blob'),
});

type ReadOutput = z.infer<typeof readOutput>;

function describeWhat(result: ReadResult): string {
  const { file } = result;
  return `"${sanitizeLine(file.name, 120)}" (${sanitizeLine(file.type, 100)}, id ${file.id})`;
}

export const readFile = defineTool({
  name: 'read_file',
  title: 'Read a Drive file',
  description:
    'Read a file by id: Google Docs as Markdown, Sheets as CSV (every sheet, or one by sheet/range), Slides as text, Drawings as PNG, text files as text, PDF and Office files as extracted text, small images and binaries whole. Long text comes a page at a time; pass nextOffset as offset to continue.',
  input: z.object({
    fileId: fileIdField,
    offset: z
      .number()
      .int()
      .min(0)
      .optional()
      .describe('UTF-8 byte offset to start at: nextOffset from the previous result (default 0)'),
    maxBytes: z
      .number()
      .int()
      .min(1024)
      .optional()
      .describe(
        'Most bytes of text to return (default and maximum: the server budget, 64 KB unless configured)',
      ),
    sheet: z
      .string()
      .max(200)
      .optional()
      .describe('Spreadsheets: the sheet to read, by name (default: all sheets)'),
    range: z
      .string()
      .max(200)
      .optional()
      .describe('Spreadsheets: cells in A1 notation, like A1:D50, B:B or Sheet2!A1:C10'),
  }),
  output: readOutput,
  taskSupport: 'optional',
  annotations: READ,
  auditTarget: ['fileId'],
  async run(args, ctx) {
    const maxBytes = Math.min(args.maxBytes ?? ctx.config.outputBudget, ctx.config.outputBudget);
    const result = await readDriveFile(ctx, args.fileId, {
      offset: args.offset ?? 0,
      maxBytes,
      sheet: args.sheet,
      range: args.range,
    });
    if (result.kind !== 'text') {
      const data: ReadOutput = {
        file: result.file,
        kind: result.kind,
        contentType: result.contentType,
        truncated: false,
        bytes: result.data.length,
      };
      const header = textContent(
        `${describeWhat(result)}: ${sanitizeLine(result.contentType, 100)}, ${formatSize(result.data.length)}.`,
      );
      const block =
        result.kind === 'image'
          ? image(result.data.toString('base64'), result.contentType)
          : embedded({
              uri: result.file.uri,
              mimeType: result.contentType,
              blob: result.data.toString('base64'),
            });
      return { content: [header, block], structuredContent: data };
    }
    const { page } = result;
    const text = sanitizeBody(page.text);
    const truncated = page.nextOffset !== undefined;
    const data: ReadOutput = {
      file: result.file,
      kind: 'text',
      contentType: result.contentType,
      text,
      offset: page.offset,
      totalBytes: page.totalBytes,
      truncated,
      ...(page.nextOffset === undefined ? {} : { nextOffset: page.nextOffset }),
      ...(result.sheets === undefined ? {} : { sheets: result.sheets }),
      ...(result.notes.length === 0 ? {} : { notes: [...result.notes] }),
    };
    const shown =
      page.offset === 0 && !truncated
        ? formatSize(page.totalBytes)
        : `bytes ${page.offset}-${page.offset + Buffer.byteLength(page.text)} of ${page.totalBytes}`;
    const sheets =
      result.sheets === undefined || result.sheets.length < 2
        ? ''
        : `\nSheets: ${result.sheets.map((sheet) => `"${sanitizeLine(sheet.name, 80)}" (${sheet.rows}×${sheet.columns})`).join(', ')}`;
    const after = [
      ...result.notes,
      ...(truncated
        ? [`More text follows: call read_file again with offset ${page.nextOffset} to continue.`]
        : []),
    ];
    return structured(
      data,
      `${describeWhat(result)} as ${sanitizeLine(result.contentType, 100)}, ${shown}:${sheets}\n${untrusted(result.file.uri, text)}${after.length === 0 ? '' : `\n${after.join('\n')}`}`,
    );
  },
});
