/**
 * @module
 * File names, descriptions, owners' names and document text are written by whoever made the
 * file: untrusted. They can hide instructions a reader never sees (Unicode tag characters, bidi
 * overrides, zero-width characters) or spoof line-oriented listings with control characters (a
 * file named `a\n[folder] secret`). {@link sanitizeText} removes the invisible part;
 * {@link sanitizeLine} also flattens a value to one bounded line; {@link untrusted} fences text
 * off for the model in a way the text itself cannot close.
 */

/**
 * Characters that render as nothing or reorder text: tag characters, bidi controls, zero-width
 * and other invisible formatting characters, variation-selector supplements. U+200D (zero-width
 * joiner) stays, because emoji sequences need it.
 */
const INVISIBLE =
  // eslint-disable-next-line no-misleading-character-class -- single invisible code points, none meant to combine
  /[\u{E0000}-\u{E007F}\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C\u200B\u200C\u00AD\uFEFF\u180E\u2060-\u2064\u{E0100}-\u{E01EF}]/gu;

/** Removes invisible and bidi characters; visible text is left as it was. */
export function sanitizeText(text: string): string {
  return text.replace(INVISIBLE, '');
}

/** One line of untrusted text (a name, an owner): sanitised, control characters as spaces, cut. */
export function sanitizeLine(text: string, max = 200): string {
  const line = sanitizeText(text)
    // eslint-disable-next-line no-control-regex -- control characters are exactly what is replaced
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ')
    .trim();
  return line.length > max ? `${line.slice(0, max)}…` : line;
}

/** Multi-line untrusted text: sanitised, controls other than newline and tab removed. */
export function sanitizeBody(text: string): string {
  return (
    sanitizeText(text)
      .replace(/\r\n?/g, '\n')
      // eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
      .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/g, '')
  );
}

/**
 * Text for the model with untrusted content fenced off. A closing (or opening) tag inside the
 * content is defused, so the content cannot end the element and pose as the server.
 */
export function untrusted(source: string, text: string): string {
  const safe = text.replace(/<(\/?\s*untrusted-content)/gi, '&lt;$1');
  return `<untrusted-content source="${source.replace(/["<>]/g, '')}">\n${safe}\n</untrusted-content>`;
}
