/**
 * @module
 * The bounds on reading one document. A few kilobytes of ZIP or PDF can claim gigabytes, a grid
 * of a hundred million rows or a string repeated in every cell, so each bound is checked while
 * reading, before the thing it bounds is built; the memory and time bounds hold the worker the
 * extraction runs in (see {@link extractDocument}).
 */

export interface DocumentLimits {
  /** Most bytes inflated from one archive, all entries together. */
  readonly maxInflatedBytes: number;
  /** Most bytes one archive entry may inflate to per compressed byte (past 1 MiB). */
  readonly maxRatio: number;
  /** Most characters of text kept from one document; past it the text is cut and says so. */
  readonly maxChars: number;
  /** Most cells built for a workbook, blanks before the last used cell of each row included. */
  readonly maxCells: number;
  /** Most pages of a PDF read. */
  readonly maxPages: number;
  /** Heap of the worker that reads the document, in MiB. */
  readonly memoryMb: number;
  /** Time the worker has for one document. */
  readonly timeoutMs: number;
}

export const DEFAULT_LIMITS: DocumentLimits = {
  maxInflatedBytes: 64 * 1024 * 1024,
  maxRatio: 200,
  maxChars: 8 * 1024 * 1024,
  maxCells: 2_000_000,
  maxPages: 2000,
  memoryMb: 256,
  timeoutMs: 30_000,
};

/** The rows and columns of a spreadsheet grid (Excel's, which Google Sheets shares). */
export const GRID_ROWS = 1_048_576;
export const GRID_COLUMNS = 16_384;
