/**
 * @module
 * Spreadsheets as the model reads them: one CSV per sheet (RFC 4180 quoting), optionally cut to
 * an A1 range such as `B2:D20`, `Budget!A:C` or `'Q1 2026'!3:10`.
 */

export interface Sheet {
  readonly name: string;
  readonly hidden: boolean;
  /** Rows of cell text; a row may be shorter than others (trailing blanks left out). */
  readonly rows: readonly (readonly string[])[];
}

export interface A1Range {
  readonly sheet: string | undefined;
  /** Zero-based, inclusive; undefined means unbounded. */
  readonly startRow: number | undefined;
  readonly startColumn: number | undefined;
  readonly endRow: number | undefined;
  readonly endColumn: number | undefined;
}

/** A range the model wrote that is not A1 notation; the message says how to write one. */
export class RangeSyntaxError extends Error {
  override readonly name = 'RangeSyntaxError';
}

const MAX_ROW = 10_000_000;
const MAX_COLUMN = 18_278; // ZZZ

export function columnIndex(letters: string): number {
  let index = 0;
  for (const letter of letters.toUpperCase()) index = index * 26 + (letter.charCodeAt(0) - 64);
  return index - 1;
}

export function columnName(index: number): string {
  let name = '';
  let rest = index + 1;
  while (rest > 0) {
    const digit = (rest - 1) % 26;
    name = String.fromCharCode(65 + digit) + name;
    rest = Math.floor((rest - 1) / 26);
  }
  return name;
}

interface Ref {
  readonly row: number | undefined;
  readonly column: number | undefined;
}

function parseRef(text: string, whole: string): Ref {
  const match = /^\$?([A-Za-z]{1,3})?\$?([0-9]{1,8})?$/.exec(text);
  if (match === null || (match[1] === undefined && match[2] === undefined))
    throw new RangeSyntaxError(
      `"${whole}" is not an A1 range; write it like A1:C10, B:B, 2:5 or Sheet1!A1:C10`,
    );
  const column = match[1] === undefined ? undefined : columnIndex(match[1]);
  const row = match[2] === undefined ? undefined : Number(match[2]) - 1;
  if ((row !== undefined && (row < 0 || row >= MAX_ROW)) || (column ?? 0) >= MAX_COLUMN)
    throw new RangeSyntaxError(`"${whole}" is outside a spreadsheet's grid`);
  return { row, column };
}

/** Parses `[sheet!]from[:to]`; a quoted sheet name may contain `!` and doubled quotes. */
export function parseA1(text: string): A1Range {
  const whole = text.trim();
  let sheet: string | undefined;
  let cells = whole;
  const quoted = /^'((?:[^']|'')+)'!(.*)$/.exec(whole);
  if (quoted !== null) {
    sheet = quoted[1]!.replace(/''/g, "'");
    cells = quoted[2]!;
  } else if (whole.includes('!')) {
    const bang = whole.lastIndexOf('!');
    sheet = whole.slice(0, bang);
    cells = whole.slice(bang + 1);
  }
  if (cells === '') {
    if (sheet === undefined) throw new RangeSyntaxError('the range is empty');
    return {
      sheet,
      startRow: undefined,
      startColumn: undefined,
      endRow: undefined,
      endColumn: undefined,
    };
  }
  const [fromText, toText, ...extra] = cells.split(':');
  if (extra.length > 0 || fromText === undefined)
    throw new RangeSyntaxError(`"${whole}" has more than one ":"`);
  const from = parseRef(fromText, whole);
  const to = toText === undefined ? from : parseRef(toText, whole);
  const order = (
    a: number | undefined,
    b: number | undefined,
  ): [number | undefined, number | undefined] =>
    a !== undefined && b !== undefined && b < a ? [b, a] : [a, b];
  const [startRow, endRow] = order(from.row, to.row);
  const [startColumn, endColumn] = order(from.column, to.column);
  return { sheet, startRow, startColumn, endRow, endColumn };
}

/** The cells of `rows` inside `range` (its sheet part ignored). */
export function cut(rows: readonly (readonly string[])[], range: A1Range): string[][] {
  const top = range.startRow ?? 0;
  const bottom = range.endRow ?? rows.length - 1;
  const left = range.startColumn ?? 0;
  return rows.slice(top, bottom + 1).map((row) => {
    const right = range.endColumn ?? row.length - 1;
    return row.slice(left, right + 1);
  });
}

function field(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** CSV with every row as wide as the widest, as spreadsheet exports write it. */
export function toCsv(rows: readonly (readonly string[])[]): string {
  let end = rows.length;
  while (end > 0 && rows[end - 1]!.every((cell) => cell === '')) end--;
  const kept = rows.slice(0, end);
  const width = Math.max(0, ...kept.map((row) => row.length));
  return kept
    .map((row) => {
      const cells = [...row];
      while (cells.length < width) cells.push('');
      return `${cells.map(field).join(',')}\n`;
    })
    .join('');
}

export function dimensions(rows: readonly (readonly string[])[]): {
  rows: number;
  columns: number;
} {
  return { rows: rows.length, columns: Math.max(0, ...rows.map((row) => row.length)) };
}
