/**
 * @module
 * Helpers for the text every tool returns next to its structured result: names from the
 * repository (paths, branch names, subjects) are data, so control, invisible and bidirectional
 * characters are escaped before they reach a line-oriented listing, where they could fake lines.
 */

const UNSAFE =
  // eslint-disable-next-line no-control-regex -- these are exactly what must be escaped
  /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]|[\u{e0000}-\u{e007f}]/gu;

/** One line of repository-supplied text, with unsafe characters shown as `\uXXXX`. */
export function safeLine(text: string): string {
  return text.replace(UNSAFE, (char) => {
    if (char === '\t') return '\\t';
    if (char === '\n') return '\\n';
    const code = char.codePointAt(0)!;
    return code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

export function shortHash(hash: string): string {
  return hash.slice(0, 7);
}

/** Splits NUL-separated output, dropping the empty tail. */
export function splitNul(text: string): string[] {
  const fields = text.split('\0');
  if (fields.at(-1) === '') fields.pop();
  return fields;
}

/** Bytes of patch text to return from `offset`, and the UTF-8-safe slice of `buffer` that is. */
export function sliceBytes(
  buffer: Buffer,
  offset: number,
  maxBytes: number,
): { text: string; end: number } {
  let end = Math.min(buffer.length, offset + maxBytes);
  // Never cut inside a UTF-8 sequence: back up to the start of the character.
  while (end > offset && end < buffer.length && (buffer[end]! & 0xc0) === 0x80) end--;
  // Prefer to end at a line break when one falls in the last quarter of the slice.
  if (end < buffer.length) {
    const newline = buffer.lastIndexOf(0x0a, end - 1);
    if (newline >= offset && newline + 1 - offset >= (end - offset) * 0.75) end = newline + 1;
  }
  return { text: buffer.subarray(offset, end).toString('utf8'), end };
}
