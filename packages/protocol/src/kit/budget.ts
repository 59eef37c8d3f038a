/**
 * @module
 * Output budgets (CONVENTIONS.md): no tool returns more than its budget, and a cut result says
 * `truncated: true` and how to get the rest. These helpers do the cutting; each tool words the
 * continuation (a cursor, an offset, a narrower query).
 */

/** The default budget for one tool result's text. */
export const DEFAULT_OUTPUT_BUDGET = 64 * 1024;

/** UTF-8 length of a string without encoding it. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

export interface TruncatedText {
  text: string;
  truncated: boolean;
  /** UTF-8 bytes of `text`. */
  bytes: number;
  /** UTF-8 bytes of the whole input. */
  totalBytes: number;
}

/**
 * The longest prefix of `text` within `maxBytes`, cut at a line end when one falls in the last
 * quarter of the budget (a half line is rarely useful), never inside a character.
 */
export function truncateText(text: string, maxBytes: number): TruncatedText {
  const totalBytes = utf8Length(text);
  if (totalBytes <= maxBytes) return { text, truncated: false, bytes: totalBytes, totalBytes };
  let bytes = 0;
  let end = 0;
  while (end < text.length) {
    const code = text.charCodeAt(end);
    const pair = code >= 0xd800 && code <= 0xdbff && end + 1 < text.length;
    const size = code < 0x80 ? 1 : code < 0x800 ? 2 : pair ? 4 : 3;
    if (bytes + size > maxBytes) break;
    bytes += size;
    end += pair ? 2 : 1;
  }
  const lineEnd = text.lastIndexOf('\n', end - 1);
  if (lineEnd > 0 && lineEnd + 1 >= end * 0.75) {
    const cut = text.slice(0, lineEnd + 1);
    return { text: cut, truncated: true, bytes: utf8Length(cut), totalBytes };
  }
  return { text: text.slice(0, end), truncated: true, bytes, totalBytes };
}

export interface BudgetedItems<T> {
  items: T[];
  truncated: boolean;
  /** Index of the first item left out, when truncated. */
  nextIndex?: number;
}

/** Leading items whose summed size stays within `maxBytes` (at least one, so progress is always possible). */
export function takeWithinBudget<T>(
  items: readonly T[],
  maxBytes: number,
  sizeOf: (item: T) => number,
): BudgetedItems<T> {
  let used = 0;
  for (let index = 0; index < items.length; index++) {
    used += sizeOf(items[index]!);
    if (used > maxBytes && index > 0)
      return { items: items.slice(0, index), truncated: true, nextIndex: index };
  }
  return { items: [...items], truncated: false };
}

/** Size of a value as compact JSON, the usual measure for structured items. */
export function jsonSize(value: unknown): number {
  return utf8Length(JSON.stringify(value) ?? '');
}
