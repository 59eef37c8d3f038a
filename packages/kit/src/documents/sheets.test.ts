import { describe, expect, it } from 'vitest';
import { columnIndex, columnName, cut, parseA1, RangeSyntaxError, toCsv } from './sheets.js';

describe('A1 ranges', () => {
  it('reads cell, column, row and sheet-qualified ranges', () => {
    expect(parseA1('B2:D20')).toEqual({
      sheet: undefined,
      startRow: 1,
      startColumn: 1,
      endRow: 19,
      endColumn: 3,
    });
    expect(parseA1('Budget!A:C')).toMatchObject({
      sheet: 'Budget',
      startColumn: 0,
      endColumn: 2,
      startRow: undefined,
    });
    expect(parseA1("'Q1 ''26'!3:10")).toMatchObject({
      sheet: "Q1 '26",
      startRow: 2,
      endRow: 9,
      startColumn: undefined,
    });
    expect(parseA1('Notes!')).toMatchObject({ sheet: 'Notes', startRow: undefined });
    expect(parseA1('$C$5')).toMatchObject({ startRow: 4, endRow: 4, startColumn: 2, endColumn: 2 });
  });

  it('refuses what is not A1 notation with a message showing the form', () => {
    for (const bad of ['', 'A1:B2:C3', 'R1C1', '1A', 'AAAA1'])
      expect(() => parseA1(bad), bad).toThrow(RangeSyntaxError);
  });

  it('cuts rows and columns out of a grid', () => {
    const rows = [
      ['a', 'b', 'c'],
      ['d', 'e', 'f'],
      ['g', 'h', 'i'],
    ];
    expect(cut(rows, parseA1('B2:C3'))).toEqual([
      ['e', 'f'],
      ['h', 'i'],
    ]);
    expect(cut(rows, parseA1('A:A'))).toEqual([['a'], ['d'], ['g']]);
  });

  it('names columns both ways', () => {
    for (const [name, index] of [
      ['A', 0],
      ['Z', 25],
      ['AA', 26],
      ['ZZ', 701],
      ['AAA', 702],
    ] as const) {
      expect(columnIndex(name)).toBe(index);
      expect(columnName(index)).toBe(name);
    }
  });
});

describe('CSV', () => {
  it('quotes what needs quoting and pads rows to the widest', () => {
    expect(toCsv([['a,b', 'say "hi"', 'two\nlines'], ['x']])).toBe(
      '"a,b","say ""hi""","two\nlines"\nx,,\n',
    );
  });

  it('drops trailing empty rows', () => {
    expect(toCsv([['a'], [''], []])).toBe('a\n');
  });
});
