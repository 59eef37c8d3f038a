/**
 * @module
 * `@plugboard/kit/documents`: the text of PDF, Word, PowerPoint, Excel and OpenDocument files,
 * read under bounds (inflated size and ratio, grid size, cells, characters, pages, memory, time)
 * in a worker thread, so that no file can hang or crash the server reading it; and the helpers
 * for what is read (spreadsheet ranges and CSV, paging text by UTF-8 offsets).
 */
export { DocumentError } from './errors.js';
export type { Extracted } from './extract.js';
export { extractDocument, type ExtractOptions } from './isolate.js';
export { documentKindOf, type DocumentKind } from './kinds.js';
export { DEFAULT_LIMITS, GRID_COLUMNS, GRID_ROWS, type DocumentLimits } from './limits.js';
export {
  columnIndex,
  columnName,
  cut,
  dimensions,
  parseA1,
  RangeSyntaxError,
  toCsv,
  type A1Range,
  type Sheet,
} from './sheets.js';
export { pageOf, textWindow, type TextPage, type Window } from './utf8.js';
