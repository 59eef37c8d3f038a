/**
 * @module
 * Text from PDFs with unpdf, which packages Mozilla's pdf.js for servers (no native code, no
 * worker, no canvas needed for text): about 2 MB installed, loaded only when a PDF is read. The
 * PDF is untrusted, so pdf.js runs with `isEvalSupported: false` (no generated code from font
 * programs) and without font loading; pages are read one at a time, stopping when cancelled,
 * after `maxPages` pages or when the text passes `maxChars`.
 */
import { DocumentError } from './errors.js';

export interface PdfText {
  readonly text: string;
  readonly pages: number;
  /** Pages read before `maxPages` or `maxChars` was reached (all of them when neither was). */
  readonly pagesRead: number;
  /** Where each page read starts in `text`, in characters. */
  readonly pageStarts: readonly number[];
}

interface TextItem {
  readonly str?: string;
  readonly hasEOL?: boolean;
}

/** Extracts the text; `onPage` hears of each page read (for progress notifications). */
export async function pdfText(
  bytes: Uint8Array,
  limits: { readonly maxChars: number; readonly maxPages: number },
  onPage: (page: number, pages: number) => void = () => undefined,
): Promise<PdfText> {
  const { getDocumentProxy } = await import('unpdf');
  let document: Awaited<ReturnType<typeof getDocumentProxy>>;
  try {
    document = await getDocumentProxy(new Uint8Array(bytes), {
      isEvalSupported: false,
      disableFontFace: true,
      useSystemFonts: false,
      verbosity: 0,
    });
  } catch (error) {
    const name = error instanceof Error ? error.name : '';
    if (name === 'PasswordException') throw new DocumentError('the PDF is password-protected');
    throw new DocumentError('the file is not a readable PDF');
  }
  try {
    const parts: string[] = [];
    const pageStarts: number[] = [];
    let length = 0;
    let pagesRead = 0;
    const last = Math.min(document.numPages, limits.maxPages);
    for (let number = 1; number <= last; number++) {
      const page = await document.getPage(number);
      const content = await page.getTextContent();
      let text = '';
      for (const item of content.items as TextItem[]) {
        text += item.str ?? '';
        if (item.hasEOL === true) text += '\n';
      }
      page.cleanup();
      const block = `${number === 1 ? '' : '\n'}[page ${number}]\n${text.trim()}\n`;
      parts.push(block);
      pageStarts.push(length);
      length += block.length;
      pagesRead = number;
      onPage(number, document.numPages);
      if (length > limits.maxChars) break;
    }
    return { text: parts.join(''), pages: document.numPages, pagesRead, pageStarts };
  } finally {
    await document.destroy();
  }
}
