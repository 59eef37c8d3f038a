/**
 * @module
 * puppeteer_save_pdf: prints the current page to PDF (headless only), returned as an embedded
 * resource and kept as `pdf://<name>`. Capped at 4 MiB; print fewer pages past that.
 */
import { embedded, settleOrAbort, structured, textContent, ToolError } from '@plugboard/protocol';
import type { Page, PDFOptions } from 'puppeteer-core';
import { z } from 'zod';
import { defineTool } from '../context.js';
import { withTab, PAGE } from './common.js';

export const MAX_PDF_BYTES = 4 * 1024 * 1024;

const TOO_LARGE = `The PDF is over the ${MAX_PDF_BYTES / 1024 / 1024} MiB limit; print fewer pages with pageRanges.`;

/**
 * Prints `page` and reads the PDF as it streams from the browser, stopping at once when `signal`
 * aborts (the call was cancelled) or the PDF outgrows the cap: the stream is cancelled, nothing
 * is kept, and the tab is free for the next call. Chromium may finish rendering on its own.
 */
async function printPdf(page: Page, options: PDFOptions, signal: AbortSignal): Promise<Buffer> {
  const printing = page.createPDFStream(options);
  // A print that completes after the cancel still hands over a stream: release it.
  void printing.then(
    (late) => {
      if (signal.aborted) void late.cancel();
    },
    () => undefined,
  );
  const stream = await settleOrAbort(printing, signal);
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  try {
    for (;;) {
      const { done, value } = await settleOrAbort(reader.read(), signal);
      if (done) break;
      bytes += value.byteLength;
      if (bytes > MAX_PDF_BYTES) throw new ToolError(TOO_LARGE);
      chunks.push(value);
    }
  } catch (error) {
    void reader.cancel().catch(() => undefined);
    throw error;
  }
  return Buffer.concat(chunks, bytes);
}

const pdfOutput = z.object({
  name: z.string(),
  uri: z.string().describe('Resource URI to read it again (pdf://<name>)'),
  bytes: z.number().int(),
});

export const savePdf = defineTool({
  name: 'puppeteer_save_pdf',
  title: 'Save the page as PDF',
  description:
    'Print the current page to PDF, returned as an embedded resource, kept as pdf://<name>; at most 4 MiB (pageRanges prints fewer).',
  input: z.object({
    name: z.string().min(1).max(100).optional().describe('Name to keep it under (default "page")'),
    format: z
      .enum(['A4', 'Letter', 'Legal', 'A3', 'A5', 'Tabloid'])
      .optional()
      .describe('Paper size (default Letter)'),
    landscape: z.boolean().optional().describe('Landscape orientation (default false)'),
    printBackground: z
      .boolean()
      .optional()
      .describe('Print background colours and images (default false)'),
    pageRanges: z
      .string()
      .max(100)
      .regex(/^[\d\s,-]*$/, 'page ranges look like 1-5, 8')
      .optional()
      .describe('Pages to print, e.g. "1-5, 8" (default all)'),
  }),
  output: pdfOutput,
  auditTarget: ['name'],
  taskSupport: 'optional',
  annotations: PAGE.READ,
  async run(args, ctx) {
    return withTab(ctx, async (tab) => {
      const bytes = await printPdf(
        tab.page,
        {
          format: args.format ?? 'Letter',
          landscape: args.landscape ?? false,
          printBackground: args.printBackground ?? false,
          ...(args.pageRanges === undefined ? {} : { pageRanges: args.pageRanges }),
          timeout: ctx.config.timeoutMs,
        },
        ctx.signal,
      );
      const name = args.name ?? 'page';
      const uri = `pdf://${encodeURIComponent(name)}`;
      const data = bytes.toString('base64');
      ctx.captures.put({ uri, name, mimeType: 'application/pdf', data, bytes: bytes.byteLength });
      const summary = `Saved tab ${tab.id} as PDF '${name}' (${Math.ceil(bytes.byteLength / 1024)} KiB), kept as ${uri}.`;
      const result = structured({ name, uri, bytes: bytes.byteLength }, summary);
      result.content = [
        textContent(summary),
        embedded({ uri, mimeType: 'application/pdf', blob: data }),
      ];
      return result;
    });
  },
});

export const pdfTools = [savePdf];
