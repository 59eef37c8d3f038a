/**
 * @module
 * puppeteer_save_pdf: prints the current page to PDF (headless only), returned as an embedded
 * resource and kept as `pdf://<name>`. Capped at 4 MiB; print fewer pages past that.
 */
import { embedded, structured, textContent, ToolError } from '@plugboard/protocol';
import { z } from 'zod';
import { defineTool } from '../context.js';
import { withTab, PAGE } from './common.js';

export const MAX_PDF_BYTES = 4 * 1024 * 1024;

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
      const bytes = await tab.page.pdf({
        format: args.format ?? 'Letter',
        landscape: args.landscape ?? false,
        printBackground: args.printBackground ?? false,
        ...(args.pageRanges === undefined ? {} : { pageRanges: args.pageRanges }),
        timeout: ctx.config.timeoutMs,
      });
      if (bytes.byteLength > MAX_PDF_BYTES)
        throw new ToolError(
          `The PDF is ${Math.ceil(bytes.byteLength / 1024 / 1024)} MiB, over the ${MAX_PDF_BYTES / 1024 / 1024} MiB limit; print fewer pages with pageRanges.`,
        );
      const name = args.name ?? 'page';
      const uri = `pdf://${encodeURIComponent(name)}`;
      const data = Buffer.from(bytes).toString('base64');
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
