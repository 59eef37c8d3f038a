/**
 * @module
 * Text that people wrote (messages, issue bodies, file and user names) is untrusted: it can hide
 * instructions a reader never sees (Unicode tag characters, bidi overrides, zero-width
 * characters) or spoof line-oriented listings with control characters. These are the pieces
 * {@link createSanitizer} builds a server's sanitising from; each server says what else its source needs (Unicode
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

/** Characters a reader may take for `<`: ASCII, full-width, small and the angle brackets. */
const OPENING = '<\uFF1C\uFE64\u2039\u27E8\u2329\u3008\u02C2\u276E';
/** Characters a reader may take for `/`. */
const SLASHES = '/\u2215\u2044\uFF0F\u29F8';

/**
 * An opening bracket, an optional slash with spaces around it, and the name after it. Whether the
 * name is the fence's is decided on its folded form ({@link isFenceName}).
 */
const TAG_LIKE = new RegExp(
  `[${OPENING}](\\s*[${SLASHES}]?\\s*)([^\\n>\uFF1E\uFE65${OPENING}]{1,60})`,
  'gu',
);

/**
 * True when `name` reads as `untrusted-content`: compared after compatibility folding (full-width
 * letters), case folding, and with spaces and every kind of dash or hyphen (U+2010, U+2011,
 * U+2212, ...) left out.
 */
function isFenceName(name: string): boolean {
  return name
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{Pd}\u2212\u02D7_\u00AD]/gu, '')
    .startsWith('untrustedcontent');
}

/**
 * Text for the model with untrusted content fenced off. A closing (or opening) tag inside the
 * content is defused, so the content cannot end the element and pose as the server; so are its
 * look-alikes (`< /untrusted-content>`, full-width brackets, another hyphen). `attributes` are
 * added after `source` (undefined values left out); quotes and angle brackets are dropped from
 * every value.
 */
export function fenceUntrusted(
  source: string,
  text: string,
  attributes: Readonly<Record<string, string | undefined>> = {},
): string {
  const safe = text.replace(TAG_LIKE, (tag, between: string, name: string) =>
    isFenceName(name) ? `&lt;${between}${name}` : tag,
  );
  const attribute = (value: string): string => value.replace(/["<>]/g, '');
  const rendered = Object.entries({ source, ...attributes })
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([name, value]) => `${name}="${attribute(value)}"`)
    .join(' ');
  return `<untrusted-content ${rendered}>\n${safe}\n</untrusted-content>`;
}
