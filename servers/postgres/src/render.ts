/**
 * @module
 * Compact text for clients that read only a result's text block: a tab-separated table for rows,
 * and small helpers shared by the tools. The structured content carries the same data exactly.
 */
import type { Column, FetchedResult } from './executor.js';
import { escapeControls } from './values.js';

/** Double-quotes an identifier the way PostgreSQL's quote_ident does, always. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** A string literal, quotes doubled (standard_conforming_strings is on in every supported version). */
export function quoteLiteral(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** `schema.name`, quoted only where PostgreSQL would need quotes. */
export function qualifiedName(schema: string, name: string): string {
  const part = (text: string): string =>
    /^[a-z_][a-z0-9_$]*$/.test(text) ? text : quoteIdent(text);
  return `${part(schema)}.${part(name)}`;
}

/** Header line naming each column and its type. */
export function columnsLine(columns: readonly Column[]): string {
  return columns.map((column) => `${escapeControls(column.name)} (${column.type})`).join(' | ');
}

/** The rows of a fetched result as text: header, one tab-separated line per row, then a summary. */
export function renderRows(result: FetchedResult, summary: string): string {
  if (result.columns.length === 0) return summary;
  return [
    `columns: ${columnsLine(result.columns)}`,
    result.columns.map((column) => escapeControls(column.name)).join('\t'),
    ...result.lines,
    summary,
  ].join('\n');
}

/** A byte count for people: 8192 -> "8 kB". */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined) return '?';
  const units = ['bytes', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}
