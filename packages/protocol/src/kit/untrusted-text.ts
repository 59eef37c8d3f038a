/**
 * @module
 * Text that people wrote (messages, issue bodies, file and user names) is untrusted: it can hide
 * instructions a reader never sees (Unicode tag characters, bidi overrides, zero-width
 * characters) or spoof line-oriented listings with control characters. These are the pieces a
 * server's own sanitising is built from; each server decides what else its source needs (Unicode
 * normalisation, HTML entities, a default line length).
 */

/**
 * Characters that render as nothing or reorder text: tag characters, bidi controls and marks,
 * zero-width and other invisible formatting characters (deprecated format controls and
 * interlinear annotation marks among them), variation-selector supplements. U+200D (zero-width
 * joiner) stays, because emoji sequences need it.
 */
const INVISIBLE =
  // eslint-disable-next-line no-misleading-character-class -- single invisible code points, none meant to combine
  /[\u{E0000}-\u{E007F}\u202A-\u202E\u2066-\u206F\u200E\u200F\u061C\u200B\u200C\u00AD\uFEFF\u180E\u2060-\u2064\uFFF9-\uFFFB\u{E0100}-\u{E01EF}]/gu;

/** Control characters and line separators, which would let a name pose as several lines. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what this finds
const LINE_BREAKING = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;

/** Control characters and line separators other than newline and tab. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what this finds
const BODY_CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/g;

/** Removes invisible and bidi characters; visible text is left as it was (no normalisation). */
export function stripInvisible(text: string): string {
  return text.replace(INVISIBLE, '');
}

/**
 * One line of already sanitised text (a name, a title): runs of control characters and line
 * separators become one space, the ends are trimmed, and past `max` characters it is cut with `…`.
 */
export function flattenLine(text: string, max: number): string {
  return cutAt(text.replace(LINE_BREAKING, ' ').trim(), max);
}

/** `text` cut to `max` UTF-16 units with `…`, never between the halves of a surrogate pair. */
export function cutAt(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  return `${/[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut}…`;
}

/**
 * Multi-line text with line ends as `\n` and every other control character (bar tab) and line
 * separator removed, so a body cannot move the cursor or hide behind a carriage return.
 */
export function stripControls(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(BODY_CONTROLS, '');
}

/**
 * Text for the model with untrusted content fenced off. A closing (or opening) tag inside the
 * content is defused, so the content cannot end the element and pose as the server.
 */
export function fenceUntrusted(source: string, text: string): string {
  const safe = text.replace(/<(\/?\s*untrusted-content)/gi, '&lt;$1');
  return `<untrusted-content source="${source.replace(/["<>]/g, '')}">\n${safe}\n</untrusted-content>`;
}
