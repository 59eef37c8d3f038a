/**
 * @module
 * Reading files: text by line range within a byte budget (read_text_file and its deprecated
 * alias read_file), several files at once, and images, audio or other binary content as MCP
 * content blocks.
 */
import { readSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { audio, embedded, image, structured, ToolError } from '@plugboard/protocol';
import { z } from 'zod';
import { defineTool } from '../context.js';
import { mapErrors, shown } from '../fs/errors.js';
import { formatSize, mimeTypeOf } from '../fs/format.js';
import { looksBinary, readLines, SNIFF_BYTES, type LineRange } from '../fs/read-text.js';
import { openForRead, readWhole } from '../fs/safe-open.js';
import type { Scope } from '../sandbox/sandbox.js';
import { ANNOTATIONS, pathField } from './fields.js';

/** Line-range fields, shared with read_document. */
export const lineRangeFields = {
  head: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe('Return only the first N lines (same as offset 0, limit N)'),
  tail: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe('Return only the last N lines (same as offset -N)'),
  offset: z
    .number()
    .int()
    .optional()
    .describe(
      'Lines to skip from the start (0 = first line); negative counts from the end (-20 = the last 20 lines)',
    ),
  limit: z.number().int().min(1).optional().describe('Most lines to return from offset'),
  maxBytes: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe(
      'Most bytes of content to return (capped by the server budget, 64 KiB unless configured)',
    ),
};

const textOutput = z.object({
  path: z.string().describe('Real path of the file read'),
  content: z.string().describe('The text of the lines returned'),
  startLine: z
    .number()
    .optional()
    .describe('1-based number of the first line returned (absent when reading from the end)'),
  lines: z.number().describe('Lines returned'),
  totalLines: z.number().optional().describe('Lines in the file, when the read reached its end'),
  size: z.number().describe('File size in bytes'),
  truncated: z.boolean().describe('True when the byte budget cut the result short'),
  nextOffset: z
    .number()
    .optional()
    .describe('Pass as offset to read on from where this result stopped'),
});

type TextOutput = z.infer<typeof textOutput>;

interface LineOptions {
  head?: number | undefined;
  tail?: number | undefined;
  offset?: number | undefined;
  limit?: number | undefined;
}

/** Turns head/tail/offset/limit into one offset and limit, refusing contradictions. */
function lineWindow(args: LineOptions): { offset: number; limit: number | undefined } {
  if (args.head !== undefined && args.tail !== undefined)
    throw new ToolError('Give head or tail, not both');
  if (args.tail !== undefined && args.offset !== undefined)
    throw new ToolError('Give tail or offset, not both');
  if (args.head !== undefined && args.limit !== undefined)
    throw new ToolError('Give head or limit, not both');
  if (args.tail !== undefined) return { offset: -args.tail, limit: args.limit };
  return { offset: args.offset ?? 0, limit: args.head ?? args.limit };
}

/** Reads a line range of an open file, refusing binary content. */
async function readTextRange(
  fd: number,
  size: number,
  requested: string,
  window: { offset: number; limit: number | undefined },
  maxBytes: number,
): Promise<LineRange> {
  const sample = Buffer.alloc(Math.min(SNIFF_BYTES, size));
  if (sample.length > 0) readSync(fd, sample, 0, sample.length, 0);
  if (looksBinary(sample)) {
    throw new ToolError(
      `${shown(requested)} looks binary (it contains NUL bytes); use read_media_file for binary content`,
    );
  }
  return readLines(fd, size, { ...window, maxBytes });
}

/** The line that tells a text-only reader what was left out and how to get it. */
export function continuation(range: LineRange, size: number, tool: string): string | undefined {
  if (range.nextOffset === undefined) return undefined;
  const shownLines =
    range.startLine === undefined
      ? `${range.lines} lines`
      : `lines ${range.startLine}-${range.startLine + range.lines - 1}`;
  const why = range.longLine
    ? `line ${range.startLine ?? '?'} is longer than the ${formatSize(range.bytes)} budget and was cut`
    : range.truncated
      ? `the ${formatSize(range.bytes)} budget was reached`
      : 'the line limit was reached';
  return `[${shownLines} of a ${formatSize(size)} file shown; ${why}. Call ${tool} with offset ${range.nextOffset} to continue]`;
}

function textTool(name: 'read_text_file' | 'read_file', title: string, description: string) {
  return defineTool({
    name,
    title,
    description,
    input: z.object({
      path: pathField('File to read, absolute or relative to the first allowed directory'),
      ...lineRangeFields,
    }),
    output: textOutput,
    annotations: ANNOTATIONS.READ,
    auditTarget: ['path'],
    async run(args, ctx) {
      const { sandbox, limits } = ctx;
      const window = lineWindow(args);
      const maxBytes = Math.min(args.maxBytes ?? limits.outputBytes, limits.outputBytes);
      const scope = await sandbox.scope(ctx);
      return mapErrors(args.path, async () => {
        const resolved = await scope.resolve(args.path);
        const file = openForRead(resolved, scope);
        const { stats } = file;
        let range: LineRange;
        try {
          range = await readTextRange(file.fd, stats.size, args.path, window, maxBytes);
        } finally {
          file.close();
        }
        const data: TextOutput = {
          path: resolved.path,
          content: range.content,
          lines: range.lines,
          size: stats.size,
          truncated: range.truncated,
        };
        if (range.startLine !== undefined) data.startLine = range.startLine;
        if (range.totalLines !== undefined) data.totalLines = range.totalLines;
        if (range.nextOffset !== undefined) data.nextOffset = range.nextOffset;
        const note = continuation(range, stats.size, name);
        return structured(
          data,
          note === undefined
            ? range.content
            : `${range.content}${range.content.endsWith('\n') || range.content === '' ? '' : '\n'}${note}`,
        );
      });
    },
  });
}

export const readTextFile = textTool(
  'read_text_file',
  'Read text file',
  'Read a UTF-8 text file, whole or by line range (head, tail, offset/limit; a negative offset reads from the end). ' +
    'Results are capped at a byte budget; a cut result has truncated: true and nextOffset to continue. Binary files are refused: use read_media_file.',
);

export const readFile = textTool(
  'read_file',
  'Read file (deprecated)',
  'Deprecated alias of read_text_file, kept for compatibility: same arguments, same result. Use read_text_file.',
);

export const readMediaFile = defineTool({
  name: 'read_media_file',
  title: 'Read media file',
  description:
    'Read an image, audio or other binary file and return it base64-encoded with its MIME type: images and audio as image/audio ' +
    'content, anything else as an embedded resource. Files above the server limit (4 MiB unless configured) are refused.',
  input: z.object({
    path: pathField('File to read, absolute or relative to the first allowed directory'),
  }),
  annotations: ANNOTATIONS.READ,
  auditTarget: ['path'],
  async run({ path: requested }, ctx) {
    const { sandbox, limits } = ctx;
    const scope = await sandbox.scope(ctx);
    return mapErrors(requested, async () => {
      const resolved = await scope.resolve(requested);
      const file = openForRead(resolved, scope);
      const { stats } = file;
      let data: Buffer;
      try {
        if (stats.size > limits.mediaBytes) {
          throw new ToolError(
            `${shown(requested)} is ${formatSize(stats.size)}; read_media_file returns files up to ${formatSize(limits.mediaBytes)} (the operator sets this with --max-media-bytes)`,
          );
        }
        data = readWhole(file);
      } finally {
        file.close();
      }
      const mimeType = mimeTypeOf(resolved.path);
      if (mimeType.startsWith('image/')) return [image(data.toString('base64'), mimeType)];
      if (mimeType.startsWith('audio/')) return [audio(data.toString('base64'), mimeType)];
      return [
        embedded({
          uri: pathToFileURL(resolved.path).href,
          mimeType,
          blob: data.toString('base64'),
        }),
      ];
    });
  },
});

const multipleOutput = z.object({
  files: z.array(
    z.object({
      path: z.string().describe('The path as given'),
      content: z.string().optional().describe('Text read (absent on error or when skipped)'),
      error: z.string().optional().describe('Why this file could not be read'),
      size: z.number().optional().describe('File size in bytes'),
      truncated: z
        .boolean()
        .optional()
        .describe('True when the budget cut this file short or left it out'),
      nextOffset: z
        .number()
        .optional()
        .describe('read_text_file offset to read on from where this file stopped'),
    }),
  ),
  truncated: z
    .boolean()
    .describe('True when the byte budget was reached before every file was read in full'),
});

type FileResult = z.infer<typeof multipleOutput>['files'][number];

async function readOne(scope: Scope, requested: string, maxBytes: number): Promise<FileResult> {
  if (maxBytes <= 0)
    return {
      path: requested,
      truncated: true,
      error: 'left out: the byte budget was used by earlier files; read it with read_text_file',
    };
  try {
    return await mapErrors(requested, async () => {
      const resolved = await scope.resolve(requested);
      const file = openForRead(resolved, scope);
      const { stats } = file;
      try {
        const range = await readTextRange(
          file.fd,
          stats.size,
          requested,
          { offset: 0, limit: undefined },
          maxBytes,
        );
        const result: FileResult = { path: requested, content: range.content, size: stats.size };
        if (range.truncated) result.truncated = true;
        if (range.nextOffset !== undefined) result.nextOffset = range.nextOffset;
        return result;
      } finally {
        file.close();
      }
    });
  } catch (error) {
    if (error instanceof ToolError) return { path: requested, error: error.message };
    throw error;
  }
}

export const readMultipleFiles = defineTool({
  name: 'read_multiple_files',
  title: 'Read multiple files',
  description:
    'Read several text files in one call; each result carries its path, and a file that cannot be read reports its error without ' +
    'stopping the others. All contents share one byte budget: files past it are cut or left out, marked truncated.',
  input: z.object({
    paths: z
      .array(z.string().min(1).max(4096))
      .min(1)
      .max(1000)
      .describe('Files to read, absolute or relative to the first allowed directory'),
  }),
  output: multipleOutput,
  annotations: ANNOTATIONS.READ,
  auditTarget: ['paths'],
  async run({ paths }, ctx) {
    const { sandbox, limits } = ctx;
    const scope = await sandbox.scope(ctx);
    const files: FileResult[] = [];
    let remaining = limits.outputBytes;
    for (const requested of paths) {
      const result = await readOne(scope, requested, remaining);
      remaining -= Buffer.byteLength(result.content ?? '') + Buffer.byteLength(requested) + 8;
      files.push(result);
    }
    const truncated = files.some((file) => file.truncated === true);
    const text = files
      .map((file) => {
        if (file.content === undefined) return `${file.path}: Error - ${file.error ?? 'not read'}`;
        const cut =
          file.nextOffset === undefined
            ? ''
            : `\n[cut by the byte budget; read on with read_text_file offset ${file.nextOffset}]`;
        return `${file.path}:\n${file.content}${cut}\n`;
      })
      .join('\n---\n');
    return structured({ files, truncated }, text);
  },
});
