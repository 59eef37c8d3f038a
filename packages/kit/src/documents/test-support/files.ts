/**
 * @module
 * Real documents for the tests, made by the libraries people make them with: Word by `docx`,
 * Excel by `exceljs`, PowerPoint by `pptxgenjs`, PDF by `pdf-lib`, and ZIP archives by `fflate`.
 * The hostile ones start from a real workbook and change one part, as an attacker would.
 */
import { Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow } from 'docx';
import ExcelJS from 'exceljs';
import { strToU8, unzipSync, zipSync, type Zippable } from 'fflate';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import pptxgen from 'pptxgenjs';

// The package's types describe its CommonJS build (the class on `default`); its ES build, which
// Node loads here, exports the class itself as default.
const Presentation = ((pptxgen as unknown as { default?: unknown }).default ??
  pptxgen) as typeof pptxgen.default;

export type WordBlock =
  | string
  | { readonly heading: 1 | 2 | 3; readonly text: string }
  | { readonly bullet: string }
  | { readonly table: readonly (readonly string[])[] };

const HEADINGS = {
  1: HeadingLevel.HEADING_1,
  2: HeadingLevel.HEADING_2,
  3: HeadingLevel.HEADING_3,
} as const;

export async function wordFile(blocks: readonly WordBlock[]): Promise<Buffer> {
  const children = blocks.map((block) => {
    if (typeof block === 'string') return new Paragraph({ text: block });
    if ('heading' in block)
      return new Paragraph({ text: block.text, heading: HEADINGS[block.heading] });
    if ('bullet' in block) return new Paragraph({ text: block.bullet, bullet: { level: 0 } });
    return new Table({
      rows: block.table.map(
        (row) =>
          new TableRow({
            children: row.map(
              (cell) => new TableCell({ children: [new Paragraph({ text: cell })] }),
            ),
          }),
      ),
    });
  });
  return Packer.toBuffer(new Document({ sections: [{ children }] }));
}

export interface WorkbookSheet {
  readonly name: string;
  readonly rows: readonly (readonly (string | number | boolean | Date)[])[];
  readonly hidden?: boolean;
}

export async function workbook(sheets: readonly WorkbookSheet[]): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  for (const sheet of sheets) {
    const worksheet = book.addWorksheet(
      sheet.name,
      sheet.hidden === true ? { state: 'hidden' } : {},
    );
    for (const row of sheet.rows) {
      const added = worksheet.addRow([...row]);
      added.eachCell((cell) => {
        if (cell.value instanceof Date) cell.numFmt = 'yyyy-mm-dd';
      });
    }
  }
  return Buffer.from(await book.xlsx.writeBuffer());
}

export async function slides(list: readonly (readonly string[])[]): Promise<Buffer> {
  const deck = new Presentation();
  for (const lines of list) {
    const slide = deck.addSlide();
    lines.forEach((line, index) => slide.addText(line, { x: 1, y: 1 + index, w: 8, h: 0.8 }));
  }
  const written = await deck.write({ outputType: 'nodebuffer' });
  return Buffer.from(written as Uint8Array);
}

export async function pdfFile(pages: readonly (readonly string[])[]): Promise<Buffer> {
  const document = await PDFDocument.create();
  const font = await document.embedFont(StandardFonts.Helvetica);
  for (const lines of pages) {
    const page = document.addPage([612, 792]);
    lines.forEach((line, index) => page.drawText(line, { x: 72, y: 720 - index * 16, font }));
  }
  return Buffer.from(await document.save());
}

/** A ZIP archive of `entries`, deflated at the strongest level. */
export function zipFile(entries: Readonly<Record<string, string | Uint8Array>>): Buffer {
  const input: Zippable = {};
  for (const [name, content] of Object.entries(entries))
    input[name] = typeof content === 'string' ? strToU8(content) : content;
  return Buffer.from(zipSync(input, { level: 9 }));
}

/** `archive` with some entries replaced, rewritten by the ZIP writer. */
export function rewrite(archive: Uint8Array, changes: Readonly<Record<string, string>>): Buffer {
  const entries: Record<string, string | Uint8Array> = { ...unzipSync(archive) };
  return zipFile({ ...entries, ...changes });
}

const SHEET_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';

/** A real workbook whose first sheet has one cell, on the row `row` it declares. */
export async function rowBomb(row: number): Promise<Buffer> {
  const base = await workbook([{ name: 'Sheet1', rows: [['x']] }]);
  return rewrite(base, {
    'xl/worksheets/sheet1.xml': `<?xml version="1.0" encoding="UTF-8"?><worksheet ${SHEET_NS}><dimension ref="A1:A${row}"/><sheetData><row r="${row}"><c r="A${row}" t="inlineStr"><is><t>x</t></is></c></row></sheetData></worksheet>`,
  });
}

/** A real workbook with one shared string of `length` characters referenced by `cells` cells. */
export async function sharedStringBomb(length: number, cells: number): Promise<Buffer> {
  const base = await workbook([{ name: 'Sheet1', rows: [['x']] }]);
  // Rows of 100 references each, without cell addresses: columns follow one another.
  const row = `<row>${'<c t="s"><v>0</v></c>'.repeat(100)}</row>`;
  const rows = row.repeat(Math.ceil(cells / 100));
  return rewrite(base, {
    'xl/sharedStrings.xml': `<?xml version="1.0" encoding="UTF-8"?><sst ${SHEET_NS} count="${cells}" uniqueCount="1"><si><t>${'A'.repeat(length)}</t></si></sst>`,
    'xl/worksheets/sheet1.xml': `<?xml version="1.0" encoding="UTF-8"?><worksheet ${SHEET_NS}><sheetData>${rows}</sheetData></worksheet>`,
  });
}

/** A real Word document whose body is `bytes` of one repeated character: a ZIP bomb. */
export async function wordBomb(bytes: number): Promise<Buffer> {
  const base = await wordFile(['x']);
  return rewrite(base, { 'word/document.xml': ' '.repeat(bytes) });
}
