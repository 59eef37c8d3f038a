import { describe, expect, it } from 'vitest';
import { DOC, READ_SCOPE, SHEET } from '../../test/fake-drive.js';
import { harness, textOf, type Harness } from '../../test/harness.js';

function budget(bench: Harness) {
  return bench.fake.add({
    name: 'Budget',
    mimeType: SHEET,
    version: 7,
    sheets: [
      {
        title: 'Sheet1',
        rows: [
          ['item', 'cost'],
          ['paper', 3],
        ],
      },
      { title: 'Q4 plan', rows: [] },
    ],
  });
}

const sheetsRequests = (bench: Harness) =>
  bench.fake.apiRequests().filter((request) => request.path.startsWith('/v4/'));

describe('update_sheet_values and append_sheet_rows', () => {
  it('are offered only with --allow-write, and refused by the tools themselves without it', async () => {
    await using bench = await harness();
    const names = (await bench.client.listTools()).tools.map((tool) => tool.name);
    expect(names).not.toContain('update_sheet_values');
    expect(names).not.toContain('append_sheet_rows');
    expect(bench.client.getInstructions()).not.toContain('Google Sheets take values');
    await using all = await harness({ allTools: true });
    const sheet = budget(all);
    const refused = await all.call('append_sheet_rows', {
      spreadsheetId: sheet.id,
      range: 'Sheet1',
      rows: [['x']],
    });
    expect(textOf(refused)).toContain('--allow-write');
    expect(all.fake.apiRequests()).toEqual([]);
  });

  it('writes values into an A1 range with exactly the request Sheets documents', async () => {
    await using bench = await harness({ config: { allowWrite: true } });
    expect(bench.client.getInstructions()).toContain(
      'Google Sheets take values and rows, Google Docs appended text; pass expectedVersion',
    );
    const sheet = budget(bench);
    const result = await bench.call('update_sheet_values', {
      spreadsheetId: sheet.id,
      range: "'Q4 plan'!B2:C3",
      values: [
        ['rent', 1200],
        ['=SUM(C2:C2)', null],
      ],
    });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toEqual({
      updated: {
        spreadsheetId: sheet.id,
        updatedRange: "'Q4 plan'!B2:C3",
        updatedRows: 2,
        updatedColumns: 2,
        updatedCells: 3,
      },
    });
    expect(textOf(result)).toBe(
      `Wrote 3 cells (2 rows × 2 columns) at 'Q4 plan'!B2:C3 in "Budget".`,
    );
    const [put, ...rest] = sheetsRequests(bench);
    expect(rest).toEqual([]);
    expect(put!.method).toBe('PUT');
    expect(decodeURIComponent(put!.path)).toBe(
      `/v4/spreadsheets/${sheet.id}/values/'Q4 plan'!B2:C3`,
    );
    expect(put!.query).toEqual({ valueInputOption: 'RAW' });
    expect(put!.body).toEqual({
      range: "'Q4 plan'!B2:C3",
      majorDimension: 'ROWS',
      values: [
        ['rent', 1200],
        ['=SUM(C2:C2)', null],
      ],
    });
    // RAW keeps the formula as text, and null left its cell alone.
    expect(sheet.sheets![1]!.rows).toEqual([
      undefined,
      [undefined, 'rent', 1200],
      [undefined, '=SUM(C2:C2)'],
    ]);
    // The Drive check came first, with the Drive file's version and edit right.
    const check = bench.fake.apiRequests()[0]!;
    expect(check.path).toBe(`/drive/v3/files/${sheet.id}`);
    expect(check.query).toMatchObject({ fields: 'id,name,mimeType,version,capabilities(canEdit)' });
  });

  it('passes USER_ENTERED when asked, so Sheets parses what it is given', async () => {
    await using bench = await harness({ config: { allowWrite: true } });
    const sheet = budget(bench);
    await bench.call('update_sheet_values', {
      spreadsheetId: sheet.id,
      range: 'Sheet1!B2',
      values: [['42']],
      valueInputOption: 'USER_ENTERED',
    });
    expect(sheetsRequests(bench)[0]!.query).toEqual({ valueInputOption: 'USER_ENTERED' });
    expect(sheet.sheets![0]!.rows[1]).toEqual(['paper', 42]);
  });

  it('appends rows after the table by inserting them, never overwriting', async () => {
    await using bench = await harness({ config: { allowWrite: true } });
    const sheet = budget(bench);
    sheet.sheets![0]!.rows.push([], ['notes below the table']);
    const result = await bench.call('append_sheet_rows', {
      spreadsheetId: sheet.id,
      range: 'Sheet1!A:B',
      rows: [
        ['ink', 12],
        ['pens', 4],
      ],
    });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toEqual({
      tableRange: 'Sheet1!A1:B2',
      updated: {
        spreadsheetId: sheet.id,
        updatedRange: 'Sheet1!A3:B4',
        updatedRows: 2,
        updatedColumns: 2,
        updatedCells: 4,
      },
    });
    const [post] = sheetsRequests(bench);
    expect(post!.method).toBe('POST');
    expect(decodeURIComponent(post!.path)).toBe(
      `/v4/spreadsheets/${sheet.id}/values/Sheet1!A:B:append`,
    );
    expect(post!.query).toEqual({ valueInputOption: 'RAW', insertDataOption: 'INSERT_ROWS' });
    expect(post!.body).toEqual({
      majorDimension: 'ROWS',
      values: [
        ['ink', 12],
        ['pens', 4],
      ],
    });
    expect(sheet.sheets![0]!.rows).toEqual([
      ['item', 'cost'],
      ['paper', 3],
      ['ink', 12],
      ['pens', 4],
      [],
      ['notes below the table'],
    ]);
  });

  it('refuses with the current version when the sheet moved on, and writes nothing', async () => {
    await using bench = await harness({ config: { allowWrite: true } });
    const sheet = budget(bench);
    for (const [tool, args] of [
      ['update_sheet_values', { range: 'Sheet1!A1', values: [['x']] }],
      ['append_sheet_rows', { range: 'Sheet1', rows: [['x']] }],
    ] as const) {
      const result = await bench.call(tool, {
        spreadsheetId: sheet.id,
        ...args,
        expectedVersion: '6',
      });
      expect(result.isError).toBe(true);
      expect(textOf(result)).toBe(
        '"Budget" changed since version 6 (it is now at version 7); read it again before writing to it.',
      );
    }
    expect(sheetsRequests(bench)).toEqual([]);
    expect(sheet.sheets![0]!.rows[0]).toEqual(['item', 'cost']);
    const ok = await bench.call('update_sheet_values', {
      spreadsheetId: sheet.id,
      range: 'Sheet1!A1',
      values: [['thing']],
      expectedVersion: '7',
    });
    expect(ok.isError).toBeFalsy();
    expect(sheet.version).toBe(8);
    const again = await bench.call('append_sheet_rows', {
      spreadsheetId: sheet.id,
      range: 'Sheet1',
      rows: [['late']],
      expectedVersion: '7',
    });
    expect(textOf(again)).toContain('it is now at version 8');
  });

  it('refuses files that are not Google Sheets, and files the account may not edit', async () => {
    await using bench = await harness({ config: { allowWrite: true } });
    const doc = bench.fake.add({ name: 'Notes', mimeType: DOC });
    const notSheet = await bench.call('update_sheet_values', {
      spreadsheetId: doc.id,
      range: 'A1',
      values: [['x']],
    });
    expect(textOf(notSheet)).toContain(
      '"Notes" is a application/vnd.google-apps.document, not a Google Sheet',
    );
    const locked = budget(bench);
    locked.readOnly = true;
    const refused = await bench.call('append_sheet_rows', {
      spreadsheetId: locked.id,
      range: 'Sheet1',
      rows: [['x']],
    });
    expect(textOf(refused)).toBe('The signed-in account may not edit "Budget".');
    expect(sheetsRequests(bench)).toEqual([]);
  });

  it("explains Sheets' own refusals: a range that does not parse, values past a bounded range", async () => {
    await using bench = await harness({ config: { allowWrite: true } });
    const sheet = budget(bench);
    const unknown = await bench.call('update_sheet_values', {
      spreadsheetId: sheet.id,
      range: 'Nope!A1',
      values: [['x']],
    });
    expect(unknown.isError).toBe(true);
    expect(textOf(unknown)).toContain(
      `range Nope!A1 of spreadsheet ${sheet.id} as invalid (INVALID_ARGUMENT)`,
    );
    const overflow = await bench.call('update_sheet_values', {
      spreadsheetId: sheet.id,
      range: 'Sheet1!A1:A1',
      values: [['a', 'b']],
    });
    expect(overflow.isError).toBe(true);
    expect(sheet.sheets![0]!.rows[0]).toEqual(['item', 'cost']);
  });

  it('names the missing scope when the sign-in may only read', async () => {
    await using bench = await harness({ config: { allowWrite: true }, scope: READ_SCOPE });
    const sheet = budget(bench);
    const result = await bench.call('append_sheet_rows', {
      spreadsheetId: sheet.id,
      range: 'Sheet1',
      rows: [['x']],
    });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toBe(
      `The saved sign-in lacks the scope this needs (https://www.googleapis.com/auth/spreadsheets, or https://www.googleapis.com/auth/drive which includes it; it has ${READ_SCOPE}). Run \`npx -y @plugboard/server-gdrive auth --allow-write\` (add --allow-sharing for sharing), then restart the MCP server.`,
    );
  });

  it('refuses a range with control characters, or arguments the schema does not know, before any request', async () => {
    await using bench = await harness({ config: { allowWrite: true } });
    const sheet = budget(bench);
    for (const args of [
      { range: 'Sheet1!A1\r\nX-Injected: 1', values: [['x']] },
      { range: 'Sheet1!A1', values: [['x']], allowWrite: true },
      { range: 'Sheet1!A1', values: [[{ formula: '=1' }]] },
    ]) {
      const result = await bench.call('update_sheet_values', { spreadsheetId: sheet.id, ...args });
      expect(result.isError, JSON.stringify(args)).toBe(true);
    }
    expect(bench.fake.apiRequests()).toEqual([]);
  });

  it('refuses more cells than one call writes before anything is sent', async () => {
    await using bench = await harness({ config: { allowWrite: true } });
    const sheet = budget(bench);
    const row = Array.from({ length: 1000 }, () => 1);
    const result = await bench.call('append_sheet_rows', {
      spreadsheetId: sheet.id,
      range: 'Sheet1',
      rows: Array.from({ length: 101 }, () => row),
    });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain('at most 100000 cells');
    expect(bench.fake.apiRequests()).toEqual([]);
  });
});
