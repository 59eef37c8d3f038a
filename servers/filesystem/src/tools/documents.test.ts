/**
 * read_document and search_file_contents with `documents: true`, on real files made by the
 * libraries people make them with (pdf-lib, docx, exceljs, pptxgenjs), and on issue 25's hostile
 * files: real workbooks and documents with one part rewritten by a real ZIP writer (fflate).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { Document, HeadingLevel, Packer, Paragraph } from 'docx';
import ExcelJS from 'exceljs';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import pptxgen from 'pptxgenjs';
import { pingThroughout } from '@plugboard/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createFixture,
  dataOf,
  startHarness,
  textOf,
  type Fixture,
  type Harness,
} from '../../test/harness.js';

// pptxgenjs's types describe its CommonJS build (the class on `default`); Node loads its ES build.
const Presentation = ((pptxgen as unknown as { default?: unknown }).default ??
  pptxgen) as typeof pptxgen.default;

async function pdfFile(pages: readonly (readonly string[])[]): Promise<Uint8Array> {
  const document = await PDFDocument.create();
  const font = await document.embedFont(StandardFonts.Helvetica);
  for (const lines of pages) {
    const page = document.addPage([612, 792]);
    lines.forEach((line, index) => page.drawText(line, { x: 72, y: 720 - index * 16, font }));
  }
  return document.save();
}

async function wordFile(heading: string, paragraphs: readonly string[]): Promise<Buffer> {
  const children = [
    new Paragraph({ text: heading, heading: HeadingLevel.HEADING_1 }),
    ...paragraphs.map((text) => new Paragraph({ text })),
  ];
  return Packer.toBuffer(new Document({ sections: [{ children }] }));
}

async function workbook(
  sheets: Readonly<Record<string, readonly (readonly (string | number)[])[]>>,
): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  for (const [name, rows] of Object.entries(sheets)) {
    const sheet = book.addWorksheet(name);
    for (const row of rows) sheet.addRow([...row]);
  }
  return Buffer.from(await book.xlsx.writeBuffer());
}

async function slides(list: readonly (readonly string[])[]): Promise<Buffer> {
  const deck = new Presentation();
  for (const lines of list) {
    const slide = deck.addSlide();
    lines.forEach((line, index) => slide.addText(line, { x: 1, y: 1 + index, w: 8, h: 0.8 }));
  }
  return Buffer.from((await deck.write({ outputType: 'nodebuffer' })) as Uint8Array);
}

/** `archive` with some parts replaced, written again by a real ZIP writer. */
function rewrite(archive: Uint8Array, parts: Readonly<Record<string, string>>): Buffer {
  const entries = unzipSync(archive);
  for (const [name, text] of Object.entries(parts)) entries[name] = strToU8(text);
  return Buffer.from(zipSync(entries, { level: 9 }));
}

const SHEET_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
const worksheet = (body: string): string =>
  `<?xml version="1.0" encoding="UTF-8"?><worksheet ${SHEET_NS}>${body}</worksheet>`;

interface DocumentData {
  kind: string;
  content: string;
  startLine: number;
  lines: number;
  totalLines: number;
  truncated: boolean;
  nextOffset?: number;
  pages?: number;
  pagesRead?: number;
  firstPage?: number;
  lastPage?: number;
  sheets?: { name: string; rows: number; columns: number }[];
}

let fixture: Fixture;
let harness: Harness;
const at = (...names: string[]): string => path.join(fixture.allowed, ...names);

beforeEach(async () => {
  fixture = await createFixture();
  harness = await startHarness({ directories: [fixture.allowed], outputBytes: 4096 });
});

afterEach(async () => {
  await harness.close();
  await fixture.cleanup();
});

describe('read_document', () => {
  it('reads a PDF page by page, and a range of its pages', async () => {
    await fs.writeFile(
      at('report.pdf'),
      await pdfFile([['Summary', 'All good'], ['Details'], ['Appendix']]),
    );
    const whole = dataOf<DocumentData>(await harness.call('read_document', { path: 'report.pdf' }));
    expect(whole).toMatchObject({ kind: 'pdf', pages: 3, pagesRead: 3, truncated: false });
    expect(whole.content).toBe(
      '[page 1]\nSummary\nAll good\n\n[page 2]\nDetails\n\n[page 3]\nAppendix\n',
    );
    const middle = await harness.call('read_document', {
      path: 'report.pdf',
      firstPage: 2,
      lastPage: 2,
    });
    expect(dataOf<DocumentData>(middle)).toMatchObject({ firstPage: 2, lastPage: 2 });
    expect(textOf(middle)).toBe('\n[page 2]\nDetails\n');
    const beyond = await harness.call('read_document', { path: 'report.pdf', firstPage: 4 });
    expect(beyond.isError).toBe(true);
    expect(textOf(beyond)).toBe('The PDF has 3 pages; ask for pages between 1 and 3');
  });

  it('reads Word headings and paragraphs, and PowerPoint slides in order', async () => {
    await fs.writeFile(at('plan.docx'), await wordFile('Plan', ['First step.', 'Second step.']));
    await fs.writeFile(at('deck.pptx'), await slides([['Welcome'], ['Agenda', 'Questions']]));
    expect(textOf(await harness.call('read_document', { path: 'plan.docx' }))).toBe(
      '# Plan\n\nFirst step.\n\nSecond step.\n',
    );
    expect(textOf(await harness.call('read_document', { path: 'deck.pptx' }))).toBe(
      '## Slide 1\n\nWelcome\n\n## Slide 2\n\nAgenda\nQuestions\n',
    );
  });

  it('reads every sheet of a workbook as CSV, or the one asked for', async () => {
    await fs.writeFile(
      at('budget.xlsx'),
      await workbook({
        Costs: [
          ['Item', 'Cost'],
          ['Laptop', 1299.5],
        ],
        'Q1, notes': [['a "quoted" cell']],
      }),
    );
    const all = dataOf<DocumentData>(await harness.call('read_document', { path: 'budget.xlsx' }));
    expect(all.content).toBe(
      '## Sheet: Costs (2 rows × 2 columns)\n\nItem,Cost\nLaptop,1299.5\n\n## Sheet: Q1, notes (1 rows × 1 columns)\n\n"a ""quoted"" cell"\n',
    );
    expect(all.sheets).toEqual([
      { name: 'Costs', rows: 2, columns: 2 },
      { name: 'Q1, notes', rows: 1, columns: 1 },
    ]);
    const one = await harness.call('read_document', { path: 'budget.xlsx', sheet: 'q1, NOTES' });
    expect(textOf(one)).toBe('## Sheet: Q1, notes (1 rows × 1 columns)\n\n"a ""quoted"" cell"\n');
    const missing = await harness.call('read_document', { path: 'budget.xlsx', sheet: 'Nope' });
    expect(missing.isError).toBe(true);
    expect(textOf(missing)).toContain('no sheet named Nope. Its sheets: Costs, Q1, notes');
  });

  it('pages by lines within the byte budget, and the pages join to the whole text', async () => {
    const paragraphs = Array.from({ length: 200 }, (_, index) => `Paragraph number ${index + 1}.`);
    await fs.writeFile(at('long.docx'), await wordFile('Long', paragraphs));
    const first = dataOf<DocumentData>(
      await harness.call('read_document', { path: 'long.docx', offset: 2, limit: 3 }),
    );
    expect(first).toMatchObject({
      content: 'Paragraph number 1.\n\nParagraph number 2.\n',
      startLine: 3,
      lines: 3,
      truncated: false,
      nextOffset: 5,
    });
    let text = '';
    let offset: number | undefined = 0;
    let calls = 0;
    while (offset !== undefined) {
      const result = await harness.call('read_document', { path: 'long.docx', offset });
      const data = dataOf<DocumentData>(result);
      expect(Buffer.byteLength(data.content)).toBeLessThanOrEqual(4096);
      if (data.nextOffset !== undefined) {
        expect(data.truncated).toBe(true);
        expect(textOf(result)).toContain(`Call read_document with offset ${data.nextOffset}`);
      }
      text += data.content;
      offset = data.nextOffset;
      calls++;
    }
    expect(calls).toBeGreaterThan(1);
    expect(text).toBe(`# Long\n\n${paragraphs.join('\n\n')}\n`);
  });

  it('refuses other files, options of another kind, and documents outside the boundary', async () => {
    await fs.writeFile(at('notes.txt'), 'plain');
    await fs.writeFile(at('plan.docx'), await wordFile('Plan', []));
    await fs.writeFile(path.join(fixture.outside, 'secret.pdf'), await pdfFile([['secret']]));
    await fs.symlink(path.join(fixture.outside, 'secret.pdf'), at('link.pdf'));
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ path: 'notes.txt' }, /is not a PDF, .docx, .xlsx, .pptx or .odt file/],
      [{ path: 'plan.docx', firstPage: 1 }, /firstPage and lastPage apply to PDF files/],
      [{ path: 'plan.docx', sheet: 'A' }, /sheet applies to Excel files/],
      [{ path: 'link.pdf' }, /outside|not allowed|denied/i],
      [{ path: path.join(fixture.outside, 'secret.pdf') }, /outside|not allowed|denied/i],
    ];
    for (const [args, message] of cases) {
      const result = await harness.call('read_document', args);
      expect(result.isError, JSON.stringify(args)).toBe(true);
      expect(textOf(result)).toMatch(message);
      expect(textOf(result)).not.toContain('secret\n');
    }
  });

  it('refuses a damaged file with a clear error', async () => {
    await fs.writeFile(at('fake.pdf'), 'not a pdf at all');
    await fs.writeFile(at('fake.docx'), 'not a zip either');
    const pdf = await harness.call('read_document', { path: 'fake.pdf' });
    expect(textOf(pdf)).toBe('Cannot read the text of fake.pdf: the file is not a readable PDF');
    const docx = await harness.call('read_document', { path: 'fake.docx' });
    expect(textOf(docx)).toMatch(/^Cannot read the text of fake\.docx: not a ZIP archive/);
  });
});

describe('read_document on hostile files (issue 25)', () => {
  it('refuses a small workbook that declares row 100,000,000, answering ping throughout', async () => {
    const base = await workbook({ Sheet1: [['x']] });
    const bomb = rewrite(base, {
      'xl/worksheets/sheet1.xml': worksheet(
        '<dimension ref="A1:A100000000"/><sheetData><row r="100000000"><c r="A100000000" t="inlineStr"><is><t>x</t></is></c></row></sheetData>',
      ),
    });
    expect(bomb.length).toBeLessThan(8 * 1024);
    await fs.writeFile(at('tiny.xlsx'), bomb);
    const { result } = await pingThroughout(
      harness.client,
      harness.call('read_document', { path: 'tiny.xlsx' }),
    );
    expect(result.isError).toBe(true);
    expect(textOf(result)).toBe(
      'Cannot read the text of tiny.xlsx: a sheet declares row 100000000, past the 1048576 rows a spreadsheet has',
    );
  });

  it('refuses a shared string referenced 6,000 times, answering ping throughout', async () => {
    const base = await workbook({ Sheet1: [['x']] });
    const row = `<row>${'<c t="s"><v>0</v></c>'.repeat(100)}</row>`;
    const bomb = rewrite(base, {
      'xl/sharedStrings.xml': `<?xml version="1.0" encoding="UTF-8"?><sst ${SHEET_NS}><si><t>${'A'.repeat(100_000)}</t></si></sst>`,
      'xl/worksheets/sheet1.xml': worksheet(`<sheetData>${row.repeat(60)}</sheetData>`),
    });
    expect(bomb.length).toBeLessThan(16 * 1024);
    await fs.writeFile(at('strings.xlsx'), bomb);
    const { result } = await pingThroughout(
      harness.client,
      harness.call('read_document', { path: 'strings.xlsx' }),
    );
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/cells hold more than the 8388608 characters of text/);
  });

  it('refuses a Word document whose body is a ZIP bomb, answering ping throughout', async () => {
    const bomb = rewrite(await wordFile('x', []), { 'word/document.xml': ' '.repeat(48 << 20) });
    expect(bomb.length).toBeLessThan(128 * 1024);
    await fs.writeFile(at('bomb.docx'), bomb);
    const { result } = await pingThroughout(
      harness.client,
      harness.call('read_document', { path: 'bomb.docx' }),
    );
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(
      /word\/document\.xml expands more than 200 times its compressed size .* ZIP bomb/,
    );
    // The server is whole: the next document reads as usual.
    await fs.writeFile(at('ok.docx'), await wordFile('Fine', []));
    expect(textOf(await harness.call('read_document', { path: 'ok.docx' }))).toBe('# Fine\n');
  });
});

describe('search_file_contents with documents: true', () => {
  interface Found {
    matches: { path: string; line: number; text: string }[];
    filesSearched: number;
    filesSkipped: number;
  }

  beforeEach(async () => {
    await fs.mkdir(at('docs'));
    await fs.writeFile(at('docs', 'a.txt'), 'budget in plain text\n');
    await fs.writeFile(at('docs', 'b.pdf'), await pdfFile([['Intro'], ['The budget is approved']]));
    await fs.writeFile(at('docs', 'c.docx'), await wordFile('Budget', ['No numbers yet.']));
    await fs.writeFile(at('docs', 'd.xlsx'), await workbook({ Sheet1: [['budget', 12]] }));
    const base = await workbook({ Sheet1: [['x']] });
    await fs.writeFile(
      at('docs', 'e.xlsx'),
      rewrite(base, {
        'xl/worksheets/sheet1.xml': worksheet('<sheetData><row r="100000000"/></sheetData>'),
      }),
    );
  });

  it('finds text inside documents only when asked, after the other files', async () => {
    const plain = dataOf<Found>(
      await harness.call('search_file_contents', {
        path: 'docs',
        query: 'budget',
        caseSensitive: false,
      }),
    );
    expect(plain.matches.map((match) => path.basename(match.path))).toEqual(['a.txt']);
    const result = await harness.call('search_file_contents', {
      path: 'docs',
      query: 'budget',
      caseSensitive: false,
      documents: true,
    });
    const found = dataOf<Found>(result);
    expect(
      found.matches.map((match) => [path.basename(match.path), match.line, match.text]),
    ).toEqual([
      ['a.txt', 1, 'budget in plain text'],
      ['b.pdf', 5, 'The budget is approved'],
      ['c.docx', 1, '# Budget'],
      ['d.xlsx', 3, 'budget,12'],
    ]);
    // The hostile workbook is skipped, not fatal.
    expect(found).toMatchObject({ filesSearched: 4, filesSkipped: 1 });
  });

  it('continues from nextOffset into the documents', async () => {
    const first = dataOf<Found & { nextOffset?: number }>(
      await harness.call('search_file_contents', {
        path: 'docs',
        query: 'budget',
        caseSensitive: false,
        documents: true,
        maxResults: 2,
      }),
    );
    expect(first.matches.map((match) => path.basename(match.path))).toEqual(['a.txt', 'b.pdf']);
    const rest = dataOf<Found>(
      await harness.call('search_file_contents', {
        path: 'docs',
        query: 'budget',
        caseSensitive: false,
        documents: true,
        offset: first.nextOffset,
      }),
    );
    expect(rest.matches.map((match) => path.basename(match.path))).toEqual(['c.docx', 'd.xlsx']);
  });
});
