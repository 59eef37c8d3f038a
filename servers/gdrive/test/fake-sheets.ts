/**
 * @module
 * The Sheets v4 endpoints of the local Google fake, in their published shapes, for the real
 * `@googleapis/sheets`: `spreadsheets.values.update` and `values.append`, with A1 ranges parsed
 * (quoted sheet names, open and bounded ranges), `valueInputOption` required, a bounded range
 * enforced, the table found as Sheets finds it and INSERT_ROWS inserting rather than overwriting.
 */
import type { FakeHandler, FakeResponse, RecordedRequest } from '@plugboard/testing';
import {
  apiError,
  bound,
  changed,
  DRIVE_SCOPE,
  needsScope,
  notFound,
  type CellValue,
  type FakeSheet,
  type WorkspaceFile,
  type WorkspaceState,
} from './fake-workspace.js';

const SHEET = 'application/vnd.google-apps.spreadsheet';

interface GridRange {
  readonly sheet: FakeSheet;
  readonly startRow: number;
  readonly startColumn: number;
  /** Inclusive; undefined when the range is open that way (Sheet1, Sheet1!A:C). */
  readonly endRow: number | undefined;
  readonly endColumn: number | undefined;
}

function columnIndex(letters: string): number {
  let index = 0;
  for (let at = 0; at < letters.length; at++) index = index * 26 + letters.charCodeAt(at) - 64;
  return index - 1;
}

export function columnName(index: number): string {
  let name = '';
  for (let rest = index + 1; rest > 0; rest = Math.floor((rest - 1) / 26))
    name = String.fromCharCode(65 + ((rest - 1) % 26)) + name;
  return name;
}

function quoted(title: string): string {
  return /^[A-Za-z0-9_]+$/.test(title) ? title : `'${title.replaceAll("'", "''")}'`;
}

export function a1(sheet: FakeSheet, top: number, left: number, bottom: number, right: number) {
  const from = `${columnName(left)}${top + 1}`;
  const to = `${columnName(right)}${bottom + 1}`;
  return `${quoted(sheet.title)}!${from === to ? from : `${from}:${to}`}`;
}

const CELL = /^([A-Z]*)(\d*)$/;

/** Parses an A1 range as Sheets does, or returns undefined where Sheets says it cannot. */
function parseRange(sheets: readonly FakeSheet[], range: string): GridRange | undefined {
  const bang = range.lastIndexOf('!');
  let title = bang === -1 ? undefined : range.slice(0, bang);
  let cells = bang === -1 ? range : range.slice(bang + 1);
  if (bang === -1 && !/^[A-Z]*\d*(:[A-Z]*\d*)?$/.test(range)) {
    title = range;
    cells = '';
  }
  if (title?.startsWith("'") === true) title = title.slice(1, -1).replaceAll("''", "'");
  const sheet = title === undefined ? sheets[0] : sheets.find((each) => each.title === title);
  if (sheet === undefined) return undefined;
  if (cells === '')
    return { sheet, startRow: 0, startColumn: 0, endRow: undefined, endColumn: undefined };
  const [from = '', to = from] = cells.split(':');
  const start = CELL.exec(from);
  const end = CELL.exec(to);
  if (start === null || end === null || from === '') return undefined;
  const [, startLetters = '', startDigits = ''] = start;
  const [, endLetters = '', endDigits = ''] = end;
  return {
    sheet,
    startRow: startDigits === '' ? 0 : Number(startDigits) - 1,
    startColumn: startLetters === '' ? 0 : columnIndex(startLetters),
    endRow: endDigits === '' ? undefined : Number(endDigits) - 1,
    endColumn: endLetters === '' ? undefined : columnIndex(endLetters),
  };
}

/** The value a cell keeps: USER_ENTERED reads numbers as a person typing them would. */
function entered(value: CellValue, option: string): CellValue {
  if (option === 'USER_ENTERED' && typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value))
    return Number(value);
  return value;
}

type Rows = readonly (readonly (CellValue | null)[])[];

/** Writes `values` with their top-left at (row, column); returns Sheets' UpdateValuesResponse. */
function write(
  spreadsheetId: string,
  sheet: FakeSheet,
  row: number,
  column: number,
  values: Rows,
  option: string,
) {
  let cells = 0;
  values.forEach((cellsOfRow, r) => {
    const target = (sheet.rows[row + r] ??= []);
    cellsOfRow.forEach((value, c) => {
      if (value === null) return;
      target[column + c] = entered(value, option);
      cells++;
    });
  });
  const width = Math.max(1, ...values.map((each) => each.length));
  return {
    spreadsheetId,
    updatedRange: a1(sheet, row, column, row + values.length - 1, column + width - 1),
    updatedRows: values.length,
    updatedColumns: width,
    updatedCells: cells,
  };
}

/** The range path segment of `values/{range}` or `values/{range}:append`, decoded. */
function rangeOf(segment: string, suffix: string): string | undefined {
  if (suffix !== '' && !segment.endsWith(suffix)) return undefined;
  return decodeURIComponent(segment.slice(0, segment.length - suffix.length));
}

interface ValuesCall {
  readonly file: WorkspaceFile & { sheets: FakeSheet[] };
  readonly grid: GridRange;
  readonly values: Rows;
  readonly option: string;
}

/** What values.update and values.append check before writing, or Google's refusal. */
function valuesCall(
  state: WorkspaceState,
  request: RecordedRequest,
  suffix: string,
): ValuesCall | FakeResponse {
  const refused = needsScope(
    state,
    request,
    [
      DRIVE_SCOPE,
      'https://www.googleapis.com/auth/drive.file',
      'https://www.googleapis.com/auth/spreadsheets',
    ],
    'sheets.googleapis.com',
  );
  if (refused !== undefined) return refused;
  const file = state.files.get(request.params.id ?? '');
  if (file?.mimeType !== SHEET || file.sheets === undefined) return notFound;
  const range = rangeOf(request.params.range ?? '', suffix);
  if (range === undefined) return notFound;
  const option = request.query.valueInputOption;
  if (option === undefined)
    return apiError(400, 'INVALID_ARGUMENT', "'valueInputOption' is required but not specified");
  if (option !== 'RAW' && option !== 'USER_ENTERED')
    return apiError(
      400,
      'INVALID_ARGUMENT',
      `Invalid value at 'value_input_option' (type.googleapis.com/google.apps.sheets.v4.ValueInputOption), "${String(option)}"`,
    );
  const grid = parseRange(file.sheets, range);
  if (grid === undefined)
    return apiError(400, 'INVALID_ARGUMENT', `Unable to parse range: ${range}`);
  const body = request.body as { values?: unknown; range?: unknown } | undefined;
  if (body?.range !== undefined && body.range !== range)
    return apiError(
      400,
      'INVALID_ARGUMENT',
      `Requested entity range (${JSON.stringify(body.range)}) does not match the range in the URL (${range}).`,
    );
  const values = Array.isArray(body?.values) ? (body.values as Rows) : [];
  return { file: file as ValuesCall['file'], grid, values, option };
}

function updateValues(fake: WorkspaceState, request: RecordedRequest): FakeResponse {
  const checked = valuesCall(fake, request, '');
  if (!('grid' in checked)) return checked;
  const { file, grid, values, option } = checked;
  const tooTall = grid.endRow !== undefined && grid.startRow + values.length - 1 > grid.endRow;
  const width = Math.max(0, ...values.map((row) => row.length));
  const tooWide = grid.endColumn !== undefined && grid.startColumn + width - 1 > grid.endColumn;
  if (tooTall || tooWide)
    return apiError(
      400,
      'INVALID_ARGUMENT',
      `Requested writing within range [${String(rangeOf(request.params.range ?? '', ''))}], but tried writing to ${tooTall ? `row [${grid.startRow + values.length}]` : `column [${columnName(grid.startColumn + width - 1)}]`}`,
    );
  const answer = write(file.id, grid.sheet, grid.startRow, grid.startColumn, values, option);
  changed(file);
  return { body: answer };
}

function appendValues(fake: WorkspaceState, request: RecordedRequest): FakeResponse {
  const checked = valuesCall(fake, request, ':append');
  if (!('grid' in checked)) return checked;
  const { file, grid, values, option } = checked;
  const insert = request.query.insertDataOption ?? 'OVERWRITE';
  if (insert !== 'INSERT_ROWS' && insert !== 'OVERWRITE')
    return apiError(
      400,
      'INVALID_ARGUMENT',
      `Invalid value at 'insert_data_option', "${String(insert)}"`,
    );
  const { sheet } = grid;
  const inRange = (column: number) =>
    column >= grid.startColumn && (grid.endColumn === undefined || column <= grid.endColumn);
  // The table: the first run of rows holding data in the range's columns; an empty row ends it.
  const withData = (index: number) =>
    (sheet.rows[index] ?? []).flatMap((cell, c) => (cell === undefined || !inRange(c) ? [] : [c]));
  let top = grid.startRow;
  while (top < sheet.rows.length && withData(top).length === 0) top++;
  const filled: { index: number; columns: number[] }[] = [];
  for (let index = top; index < sheet.rows.length && withData(index).length > 0; index++)
    filled.push({ index, columns: withData(index) });
  const first = filled[0];
  const last = filled.at(-1);
  const left =
    first === undefined ? grid.startColumn : Math.min(...filled.flatMap((row) => row.columns));
  const right = Math.max(left, ...filled.flatMap((row) => row.columns));
  const at = last === undefined ? grid.startRow : last.index + 1;
  if (insert === 'INSERT_ROWS') sheet.rows.splice(at, 0, ...values.map(() => []));
  const updates = write(file.id, sheet, at, left, values, option);
  changed(file);
  return {
    body: {
      spreadsheetId: file.id,
      ...(first === undefined || last === undefined
        ? {}
        : { tableRange: a1(sheet, first.index, left, last.index, right) }),
      updates,
    },
  };
}

export function sheetsRoutes(workspace: WorkspaceState): Record<string, FakeHandler> {
  return {
    'PUT /v4/spreadsheets/:id/values/:range': bound(workspace, updateValues),
    'POST /v4/spreadsheets/:id/values/:range': bound(workspace, appendValues),
  };
}
