import { describe, expect, it } from 'vitest';
import { extractInThread } from './extract.js';
import { DEFAULT_LIMITS, GRID_ROWS } from './limits.js';
import {
  pdfFile,
  rewrite,
  rowBomb,
  sharedStringBomb,
  wordBomb,
  wordFile,
  workbook,
} from './test-support/files.js';

describe('extracting a document within its bounds', () => {
  it('reads a PDF page by page, and stops at the page bound saying so', async () => {
    const file = await pdfFile([['First page'], ['Second page'], ['Third page']]);
    const whole = await extractInThread(file, 'pdf', DEFAULT_LIMITS);
    expect(whole).toEqual({
      kind: 'text',
      text: '[page 1]\nFirst page\n\n[page 2]\nSecond page\n\n[page 3]\nThird page\n',
      truncated: false,
      pages: 3,
      pagesRead: 3,
      pageStarts: [0, 20, 42],
    });
    const pages: number[] = [];
    const cut = await extractInThread(file, 'pdf', { ...DEFAULT_LIMITS, maxPages: 2 }, (page) =>
      pages.push(page),
    );
    expect(cut).toMatchObject({ truncated: true, pages: 3, pagesRead: 2 });
    expect(cut.kind === 'text' && cut.text).not.toContain('Third');
    expect(pages).toEqual([1, 2]);
  });

  it('cuts long text at the character bound and says so', async () => {
    const file = await wordFile(['a'.repeat(5000)]);
    const result = await extractInThread(file, 'docx', { ...DEFAULT_LIMITS, maxChars: 1000 });
    expect(result).toEqual({ kind: 'text', text: 'a'.repeat(1000), truncated: true });
  });

  it('refuses a small workbook that declares row 100,000,000, before building a row', async () => {
    const file = await rowBomb(100_000_000);
    expect(file.length).toBeLessThan(8 * 1024);
    await expect(extractInThread(file, 'xlsx', DEFAULT_LIMITS)).rejects.toThrow(
      `a sheet declares row 100000000, past the ${GRID_ROWS} rows a spreadsheet has`,
    );
  });

  it('refuses a cell in a column past the grid', async () => {
    const base = await workbook([{ name: 'Sheet1', rows: [['x']] }]);
    const file = rewrite(base, {
      'xl/worksheets/sheet1.xml': `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="ZZZ1"><v>1</v></c></row></sheetData></worksheet>`,
    });
    await expect(extractInThread(file, 'xlsx', DEFAULT_LIMITS)).rejects.toThrow(
      'a sheet declares column 18278, past the 16384 columns a spreadsheet has',
    );
  });

  it('refuses a workbook inside the grid whose blank rows would pass the cell bound', async () => {
    const file = await rowBomb(500_000);
    await expect(
      extractInThread(file, 'xlsx', { ...DEFAULT_LIMITS, maxCells: 100_000 }),
    ).rejects.toThrow(/needs more than the 100000 cells this server builds/);
  });

  it('refuses one shared string repeated in thousands of cells', async () => {
    const file = await sharedStringBomb(100_000, 6000);
    expect(file.length).toBeLessThan(16 * 1024);
    await expect(extractInThread(file, 'xlsx', DEFAULT_LIMITS)).rejects.toThrow(
      /cells hold more than the 8388608 characters of text this server reads/,
    );
  });

  it('reads a real workbook within the same bounds', async () => {
    const file = await workbook([{ name: 'Data', rows: [['a', 1]] }]);
    await expect(extractInThread(file, 'xlsx', DEFAULT_LIMITS)).resolves.toEqual({
      kind: 'sheets',
      sheets: [{ name: 'Data', hidden: false, rows: [['a', '1']] }],
    });
  });

  it('refuses a Word document whose body is a ZIP bomb', async () => {
    const file = await wordBomb(48 * 1024 * 1024);
    expect(file.length).toBeLessThan(128 * 1024);
    await expect(extractInThread(file, 'docx', DEFAULT_LIMITS)).rejects.toThrow(
      /document.xml expands more than 200 times .* ZIP bomb/,
    );
  });

  it('refuses what is not the document its name says', async () => {
    await expect(extractInThread(Buffer.from('plain text'), 'pdf', DEFAULT_LIMITS)).rejects.toThrow(
      'the file is not a readable PDF',
    );
    await expect(
      extractInThread(Buffer.from('plain text'), 'docx', DEFAULT_LIMITS),
    ).rejects.toThrow(/not a ZIP archive/);
  });
});
