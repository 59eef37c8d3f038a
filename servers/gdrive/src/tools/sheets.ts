/**
 * @module
 * Writing cells of a Google Sheet through the Sheets API (v4 `spreadsheets.values`), only with
 * --allow-write: values into an A1 range (`values.update`) and rows after a table
 * (`values.append`, which inserts rows and so never overwrites). Sheets has no revision check
 * of its own, so `expectedVersion` is checked against Drive's version of the file just before
 * the write.
 */
import type { sheets_v4 } from '@googleapis/sheets';
import { structured, ToolError } from '@plugboard/protocol';
import { z } from 'zod';
import {
  callApi,
  defineTool,
  SHEETS,
  type GdriveContext,
  type RequestOptions,
} from '../context.js';
import type { Sheets } from '../google.js';
import { sanitizeLine } from '../sanitize.js';
import { SCOPES } from '../scopes.js';
import { CREATE, expectedVersionField, fileIdField, REPLACE } from './common.js';
import { fileToWrite, GOOGLE_SHEET, requireWrite } from './write.js';

/** The most cells one call writes (Sheets allows ten million in a whole spreadsheet). */
export const MAX_CELLS = 100_000;

const spreadsheetIdField = fileIdField.describe(
  'Google Sheet id, as returned by search (the part after /d/ in its link)',
);

/** Sheet names may hold almost anything; Sheets itself says when a range does not parse. */
const rangeField = z
  .string()
  .min(1)
  .max(300)
  // eslint-disable-next-line no-control-regex -- a range never holds control characters
  .regex(/^[^\u0000-\u001f\u007f]+$/, 'a range in A1 notation, such as Sheet1!A1:C3');

// Sheets keeps at most 50,000 characters in one cell.
const cellField = z.union([z.string().max(50_000), z.number(), z.boolean(), z.null()]);

const rowsField = z
  .array(z.array(cellField).max(18_278))
  .min(1)
  .max(MAX_CELLS)
  .refine(
    (rows) => rows.reduce((cells, row) => cells + row.length, 0) <= MAX_CELLS,
    `at most ${MAX_CELLS} cells in one call`,
  );

const valueInputField = z
  .enum(['RAW', 'USER_ENTERED'])
  .optional()
  .describe(
    'RAW (default) stores each value as given; USER_ENTERED parses numbers, dates and =formulas as if typed into Sheets',
  );

const updatedSchema = z.object({
  spreadsheetId: z.string(),
  updatedRange: z.string().describe('The cells written, in A1 notation'),
  updatedRows: z.number(),
  updatedColumns: z.number(),
  updatedCells: z.number(),
});

const writeOutput = z.object({
  updated: updatedSchema,
  tableRange: z.string().optional().describe('The table the rows were appended after'),
});

type Updated = z.infer<typeof updatedSchema>;

interface SheetWrite {
  readonly spreadsheetId: string;
  readonly range: string;
  readonly expectedVersion?: string | undefined;
}

/**
 * One write of values: the file read first (a Google Sheet, editable, at the version the caller
 * saw), then `request` to the Sheets API. Returns the sheet's name for messages and the answer.
 */
async function writeValues<T>(
  ctx: GdriveContext,
  write: SheetWrite,
  request: (
    values: Sheets['spreadsheets']['values'],
    options: RequestOptions,
  ) => Promise<{ data: T }>,
): Promise<{ label: string; answer: T }> {
  requireWrite(ctx);
  const { file, label } = await fileToWrite(ctx, write.spreadsheetId, write.expectedVersion);
  if (file.mimeType !== GOOGLE_SHEET)
    throw new ToolError(
      `${label} is a ${file.mimeType ?? 'file of unknown type'}, not a Google Sheet; only Google Sheets have cells to write.`,
    );
  const about = {
    subject: `range ${sanitizeLine(write.range, 100)} of spreadsheet ${write.spreadsheetId}`,
    write: true,
    scope: SCOPES.spreadsheets,
  };
  const answer = await callApi(ctx, SHEETS, about, (sheets, options) =>
    request(sheets.spreadsheets.values, options),
  );
  return { label, answer };
}

function updated(
  spreadsheetId: string,
  response: sheets_v4.Schema$UpdateValuesResponse | undefined,
): Updated {
  return {
    spreadsheetId: response?.spreadsheetId ?? spreadsheetId,
    updatedRange: response?.updatedRange ?? '',
    updatedRows: response?.updatedRows ?? 0,
    updatedColumns: response?.updatedColumns ?? 0,
    updatedCells: response?.updatedCells ?? 0,
  };
}

function cells(done: Updated): string {
  return `${done.updatedCells} cells (${done.updatedRows} rows × ${done.updatedColumns} columns) at ${sanitizeLine(done.updatedRange, 200)}`;
}

export const updateSheetValues = defineTool({
  name: 'update_sheet_values',
  title: 'Write values into a Google Sheet range',
  description:
    'Write rows of values into an A1 range of a Google Sheet, replacing what those cells held (null leaves a cell as it is). Pass expectedVersion from get_file_metadata to refuse, with the current version, if the sheet changed since you read it.',
  input: z.object({
    spreadsheetId: spreadsheetIdField,
    range: rangeField.describe(
      'Where to write, in A1 notation: Sheet1!A1:C3, or Sheet1!B2 to start at that cell; without a sheet name, the first sheet',
    ),
    values: rowsField.describe('Rows of cell values, top row first'),
    valueInputOption: valueInputField,
    expectedVersion: expectedVersionField,
  }),
  output: writeOutput,
  requires: ['allowWrite'],
  annotations: REPLACE,
  auditTarget: ['spreadsheetId', 'range'],
  async run(args, ctx) {
    const { label, answer } = await writeValues(ctx, args, (values, options) =>
      values.update(
        {
          spreadsheetId: args.spreadsheetId,
          range: args.range,
          valueInputOption: args.valueInputOption ?? 'RAW',
          requestBody: { range: args.range, majorDimension: 'ROWS', values: args.values },
        },
        options,
      ),
    );
    const done = updated(args.spreadsheetId, answer);
    return structured({ updated: done }, `Wrote ${cells(done)} in ${label}.`);
  },
});

export const appendSheetRows = defineTool({
  name: 'append_sheet_rows',
  title: 'Append rows to a Google Sheet',
  description:
    'Append rows after the last row of a table in a Google Sheet; new rows are inserted, so nothing is overwritten. Pass expectedVersion from get_file_metadata to refuse, with the current version, if the sheet changed since you read it.',
  input: z.object({
    spreadsheetId: spreadsheetIdField,
    range: rangeField.describe(
      'The table to append to, in A1 notation: Sheet1, or Sheet1!A:D for the table in those columns',
    ),
    rows: rowsField.describe('The rows to append, in order'),
    valueInputOption: valueInputField,
    expectedVersion: expectedVersionField,
  }),
  output: writeOutput,
  requires: ['allowWrite'],
  annotations: CREATE,
  auditTarget: ['spreadsheetId', 'range'],
  async run(args, ctx) {
    const { label, answer } = await writeValues(ctx, args, (values, options) =>
      values.append(
        {
          spreadsheetId: args.spreadsheetId,
          range: args.range,
          valueInputOption: args.valueInputOption ?? 'RAW',
          insertDataOption: 'INSERT_ROWS',
          requestBody: { majorDimension: 'ROWS', values: args.rows },
        },
        options,
      ),
    );
    const done = updated(args.spreadsheetId, answer.updates);
    return structured(
      {
        updated: done,
        ...(answer.tableRange == null ? {} : { tableRange: answer.tableRange }),
      },
      `Appended ${cells(done)} in ${label}.`,
    );
  },
});
