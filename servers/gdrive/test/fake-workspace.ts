/**
 * @module
 * The Sheets v4 and Docs v1 endpoints of the local Google fake, in their published shapes, for
 * the real `@googleapis/sheets` and `@googleapis/docs` to talk to on the same host as Drive:
 * `spreadsheets.values.update` and `values.append` (A1 ranges parsed, `valueInputOption`
 * required, bounded ranges enforced, INSERT_ROWS inserting), `documents.get` (a body of
 * paragraphs with UTF-16 indexes, `fields` applied) and `documents.batchUpdate` with `insertText`
 * and `writeControl.requiredRevisionId`. Errors are Google's newer shape
 * (`{error:{code,message,status,details:[ErrorInfo]}}`), and a token without a scope that
 * allows the call is refused as Google refuses it. Every write moves the Drive file's version on.
 */
import type { FakeHandler, FakeResponse, RecordedRequest } from '@plugboard/testing';

export type CellValue = string | number | boolean;

export interface FakeSheet {
  readonly title: string;
  /** Rows of cells; a missing or undefined cell is empty. */
  readonly rows: (CellValue | undefined)[][];
}

/** What the Workspace endpoints need of the Drive fake. */
export interface WorkspaceFile {
  readonly id: string;
  readonly name: string;
  readonly mimeType: string;
  version: number;
  modifiedTime: string;
  /** A spreadsheet's sheets, in order. */
  sheets?: FakeSheet[];
  /** A document's body text; it always ends with a paragraph's newline. */
  docText?: string;
}

export interface WorkspaceState {
  readonly files: ReadonlyMap<string, WorkspaceFile>;
  /** The access token's scopes, or Drive's 401 answer. */
  authorize(request: RecordedRequest): { readonly scope: string } | FakeResponse;
  /** Runs after each documents.get: a collaborator's edit landing between read and write. */
  afterDocumentRead(file: WorkspaceFile): void;
  mask(value: unknown, fields: string | undefined): unknown;
}

const SHEET = 'application/vnd.google-apps.spreadsheet';
const DOC = 'application/vnd.google-apps.document';
const DRIVE = 'https://www.googleapis.com/auth/drive';

/** The Sheets and Docs APIs' error body: status names, and the reason in an ErrorInfo. */
export function apiError(
  code: number,
  status: string,
  message: string,
  info?: { reason: string; service: string },
): FakeResponse {
  return {
    status: code,
    body: {
      error: {
        code,
        message,
        status,
        ...(info === undefined
          ? {}
          : {
              details: [
                {
                  '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
                  reason: info.reason,
                  domain: 'googleapis.com',
                  metadata: { service: info.service },
                },
              ],
            }),
      },
    },
  };
}

/** Google's answer to a token none of whose scopes the method accepts. */
function needsScope(
  state: WorkspaceState,
  request: RecordedRequest,
  accepted: readonly string[],
  service: string,
): FakeResponse | undefined {
  const grant = state.authorize(request);
  if (!('scope' in grant)) return grant;
  if (grant.scope.split(' ').some((scope) => accepted.includes(scope))) return undefined;
  return {
    ...apiError(403, 'PERMISSION_DENIED', 'Request had insufficient authentication scopes.', {
      reason: 'ACCESS_TOKEN_SCOPE_INSUFFICIENT',
      service,
    }),
    headers: {
      'www-authenticate': `Bearer realm="https://accounts.google.com/", error="insufficient_scope", scope="${accepted.join(' ')}"`,
    },
  };
}

function changed(file: WorkspaceFile): void {
  file.version++;
  file.modifiedTime = new Date().toISOString();
}

const notFound = apiError(404, 'NOT_FOUND', 'Requested entity was not found.');

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
      DRIVE,
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

/** A document body as Docs returns it: a section break, then one paragraph per line. */
function bodyOf(text: string): unknown[] {
  const content: unknown[] = [
    { endIndex: 1, sectionBreak: { sectionStyle: { columnSeparatorStyle: 'NONE' } } },
  ];
  let index = 1;
  for (const line of text.match(/[^\n]*\n/g) ?? ['\n']) {
    const end = index + line.length;
    content.push({
      startIndex: index,
      endIndex: end,
      paragraph: {
        elements: [{ startIndex: index, endIndex: end, textRun: { content: line, textStyle: {} } }],
        paragraphStyle: { namedStyleType: 'NORMAL_TEXT', direction: 'LEFT_TO_RIGHT' },
      },
    });
    index = end;
  }
  return content;
}

export const revisionOf = (file: WorkspaceFile): string => `ALBJ4Lt_rev${file.version}`;

const DOCS_SERVICE = 'docs.googleapis.com';

function documentFile(
  state: WorkspaceState,
  id: string,
): (WorkspaceFile & { docText: string }) | undefined {
  const file = state.files.get(id);
  return file?.mimeType === DOC && file.docText !== undefined
    ? (file as WorkspaceFile & { docText: string })
    : undefined;
}

function getDocument(fake: WorkspaceState, request: RecordedRequest): FakeResponse {
  const refused = needsScope(
    fake,
    request,
    [
      DRIVE,
      `${DRIVE}.readonly`,
      `${DRIVE}.file`,
      'https://www.googleapis.com/auth/documents',
      'https://www.googleapis.com/auth/documents.readonly',
    ],
    DOCS_SERVICE,
  );
  if (refused !== undefined) return refused;
  const file = documentFile(fake, request.params.id ?? '');
  if (file === undefined) return notFound;
  const document = {
    documentId: file.id,
    title: file.name,
    body: { content: bodyOf(file.docText) },
    revisionId: revisionOf(file),
    suggestionsViewMode: 'SUGGESTIONS_INLINE',
  };
  const answer = fake.mask(
    document,
    typeof request.query.fields === 'string' ? request.query.fields : undefined,
  );
  fake.afterDocumentRead(file);
  return { body: answer };
}

interface InsertText {
  readonly text?: unknown;
  readonly location?: { readonly index?: unknown };
  readonly endOfSegmentLocation?: unknown;
}

function batchUpdate(fake: WorkspaceState, request: RecordedRequest): FakeResponse {
  const refused = needsScope(
    fake,
    request,
    [DRIVE, `${DRIVE}.file`, 'https://www.googleapis.com/auth/documents'],
    DOCS_SERVICE,
  );
  if (refused !== undefined) return refused;
  const id = /^(.+):batchUpdate$/.exec(request.params.rest ?? '')?.[1];
  const file = id === undefined ? undefined : documentFile(fake, decodeURIComponent(id));
  if (file === undefined) return notFound;
  const body = (request.body ?? {}) as {
    requests?: { insertText?: InsertText }[];
    writeControl?: { requiredRevisionId?: string };
  };
  const required = body.writeControl?.requiredRevisionId;
  if (required !== undefined && required !== revisionOf(file))
    return apiError(
      400,
      'FAILED_PRECONDITION',
      `The required revision ID ${required} does not match the latest revision ${revisionOf(file)}.`,
    );
  let text = file.docText;
  for (const [n, each] of (body.requests ?? []).entries()) {
    const insert = each.insertText;
    if (insert === undefined || typeof insert.text !== 'string')
      return apiError(
        400,
        'INVALID_ARGUMENT',
        `Invalid requests[${n}]: this fake knows insertText only.`,
      );
    const end = text.length + 1;
    const index = insert.endOfSegmentLocation === undefined ? insert.location?.index : end - 1;
    if (typeof index !== 'number' || index < 1 || index >= end)
      return apiError(
        400,
        'INVALID_ARGUMENT',
        `Invalid requests[${n}].insertText: Index ${String(index)} must be less than the end index of the referenced segment, ${end}.`,
      );
    text = text.slice(0, index - 1) + insert.text + text.slice(index - 1);
  }
  file.docText = text;
  changed(file);
  return {
    body: {
      documentId: file.id,
      replies: (body.requests ?? []).map(() => ({})),
      writeControl: { requiredRevisionId: revisionOf(file) },
    },
  };
}

/** Routes of the Sheets and Docs endpoints, for the fake's one HTTP server. */
export function workspaceRoutes(workspace: WorkspaceState): Record<string, FakeHandler> {
  const bound =
    (handler: (fake: WorkspaceState, request: RecordedRequest) => FakeResponse): FakeHandler =>
    (request) =>
      handler(workspace, request);
  return {
    'PUT /v4/spreadsheets/:id/values/:range': bound(updateValues),
    'POST /v4/spreadsheets/:id/values/:range': bound(appendValues),
    'GET /v1/documents/:id': bound(getDocument),
    'POST /v1/documents/:rest': bound(batchUpdate),
  };
}
