/**
 * @module
 * A line range of text already in memory (a document's extracted text), within a byte budget:
 * the same window `read_text_file` gives over a file. A single line longer than the budget is
 * cut at a character boundary and says so.
 */

export interface TextLines {
  readonly content: string;
  /** 1-based number of the first line returned. */
  readonly startLine: number;
  readonly lines: number;
  /** Lines in the whole text. */
  readonly totalLines: number;
  /** True when the budget cut the range short. */
  readonly truncated: boolean;
  /** True when the first line returned is longer than the budget and only its start is shown. */
  readonly longLine: boolean;
  /** Offset to pass to read on; undefined when the range reached the end. */
  readonly nextOffset: number | undefined;
}

/** Lines `offset` (0-based) onwards of `text`, at most `limit` of them and `maxBytes` in all. */
export function textLines(
  text: string,
  offset: number,
  limit: number | undefined,
  maxBytes: number,
): TextLines {
  const all = text === '' ? [] : text.split(/(?<=\n)/);
  const start = Math.min(offset, all.length);
  const end = limit === undefined ? all.length : Math.min(all.length, start + limit);
  let content = '';
  let bytes = 0;
  let index = start;
  let longLine = false;
  for (; index < end; index++) {
    const line = all[index]!;
    const size = Buffer.byteLength(line);
    if (bytes + size > maxBytes) {
      if (index === start) {
        content = cutToBytes(line, maxBytes);
        longLine = true;
        index++;
      }
      break;
    }
    content += line;
    bytes += size;
  }
  const truncated = index < end || longLine;
  return {
    content,
    startLine: start + 1,
    lines: index - start,
    totalLines: all.length,
    truncated,
    longLine,
    nextOffset: index < all.length ? index : undefined,
  };
}

/** The longest start of `line` that fits `maxBytes` of UTF-8, never splitting a character. */
function cutToBytes(line: string, maxBytes: number): string {
  const bytes = Buffer.from(line);
  let end = Math.min(maxBytes, bytes.length);
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
  return bytes.toString('utf8', 0, end);
}
