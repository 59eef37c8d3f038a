/**
 * Issue 25's small files that killed the server, served by the Drive fake and read through the
 * real server: each is refused with the bound it reached, `ping` answers within a second while it
 * is read, and the server goes on reading ordinary files afterwards. The hostile workbooks are
 * real `exceljs` workbooks with one part rewritten by a real ZIP writer, as an attacker would.
 */
import ExcelJS from 'exceljs';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { pingThroughout } from '@plugboard/testing';
import { describe, expect, it } from 'vitest';
import { harness, textOf } from '../../test/harness.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const SHEET_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';

async function realWorkbook(): Promise<Uint8Array> {
  const book = new ExcelJS.Workbook();
  book.addWorksheet('Sheet1').addRow(['x']);
  return new Uint8Array(await book.xlsx.writeBuffer());
}

/** A real workbook with its first sheet (and maybe its strings) replaced. */
async function hostileWorkbook(sheet: string, strings?: string): Promise<Buffer> {
  const parts = unzipSync(await realWorkbook());
  parts['xl/worksheets/sheet1.xml'] = strToU8(
    `<?xml version="1.0" encoding="UTF-8"?><worksheet ${SHEET_NS}>${sheet}</worksheet>`,
  );
  if (strings !== undefined)
    parts['xl/sharedStrings.xml'] = strToU8(
      `<?xml version="1.0" encoding="UTF-8"?><sst ${SHEET_NS}>${strings}</sst>`,
    );
  return Buffer.from(zipSync(parts, { level: 9 }));
}

describe('GD-25: small files that would hang or crash the server', () => {
  it('refuses a workbook that declares row 100,000,000, and keeps answering', async () => {
    await using bench = await harness();
    const bomb = await hostileWorkbook(
      '<dimension ref="A1:A100000000"/><sheetData><row r="100000000"><c r="A100000000" t="inlineStr"><is><t>x</t></is></c></row></sheetData>',
    );
    expect(bomb.length).toBeLessThan(8 * 1024);
    const file = bench.fake.add({ name: 'tiny.xlsx', mimeType: XLSX, content: bomb });
    const { result } = await pingThroughout(
      bench.client,
      bench.call('read_file', { fileId: file.id }),
    );
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(
      /Cannot read the text of "tiny\.xlsx".*a sheet declares row 100000000, past the 1048576 rows a spreadsheet has/,
    );
  });

  it('refuses one large shared string referenced 6,000 times, and keeps answering', async () => {
    await using bench = await harness();
    const row = `<row>${'<c t="s"><v>0</v></c>'.repeat(100)}</row>`;
    const bomb = await hostileWorkbook(
      `<sheetData>${row.repeat(60)}</sheetData>`,
      `<si><t>${'A'.repeat(100_000)}</t></si>`,
    );
    expect(bomb.length).toBeLessThan(16 * 1024);
    const file = bench.fake.add({ name: 'strings.xlsx', mimeType: XLSX, content: bomb });
    const { result } = await pingThroughout(
      bench.client,
      bench.call('read_file', { fileId: file.id }),
    );
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/cells hold more than the \d+ characters of text/);
    // The server is whole: an ordinary workbook reads as before.
    const plain = bench.fake.add({
      name: 'plain.xlsx',
      mimeType: XLSX,
      content: Buffer.from(await realWorkbook()),
    });
    const read = await bench.call('read_file', { fileId: plain.id });
    expect(read.isError).toBeFalsy();
    expect(textOf(read)).toContain('x');
  });
});
