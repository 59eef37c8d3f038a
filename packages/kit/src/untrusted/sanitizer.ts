/**
 * @module
 * {@link createSanitizer}: the one way a server cleans text its upstream's users wrote before it
 * reaches the model. A server names what its source needs (Unicode normalisation, its own rules
 * such as GitHub's HTML entities, a default line length, whether blank text is fenced); the
 * cleaning and the fence are the kit's ({@link stripInvisible}, {@link flattenLine},
 * {@link stripControls}, {@link fenceUntrusted}).
 */
import { fenceUntrusted, flattenLine, stripControls, stripInvisible } from './untrusted-text.js';

export interface SanitizerOptions {
  /** Normalise to NFC before anything else (Slack); undefined leaves the text's own form (Drive). */
  readonly normalize?: 'NFC';
  /**
   * The source's own rules after the invisible characters are gone (GitHub: HTML comments and
   * entities outside code); its result is stripped of invisible characters once more.
   */
  readonly clean?: (text: string) => string;
  /** Default length of one line, in UTF-16 units, before it is cut with `…`. */
  readonly lineMax: number;
  /** Blank text is fenced to nothing rather than to an empty element (Slack). */
  readonly omitBlank?: boolean;
}

/** One source's sanitising. The members do not use `this`, so they can be destructured. */
export interface Sanitizer {
  /** Removes invisible and bidi characters (and what `clean` removes); visible text stays. */
  readonly text: (text: string) => string;
  /** One line of untrusted text (a name, a title): sanitised, controls as spaces, cut at `max`. */
  readonly line: (text: string, max?: number) => string;
  /** Multi-line untrusted text: sanitised, controls other than newline and tab removed. */
  readonly body: (text: string) => string;
  /**
   * Text for the model with untrusted content fenced off. A closing (or opening) tag inside the
   * content is defused, so the content cannot end the element and pose as the server.
   */
  readonly fence: (source: string, text: string) => string;
}

export function createSanitizer(options: SanitizerOptions): Sanitizer {
  const { normalize, clean, lineMax, omitBlank = false } = options;
  const text = (value: string): string => {
    const visible = stripInvisible(normalize === undefined ? value : value.normalize(normalize));
    // Removing what `clean` removes can join characters into a new invisible run: one more pass.
    return clean === undefined ? visible : stripInvisible(clean(visible));
  };
  return {
    text,
    line: (value, max = lineMax) => flattenLine(text(value), max),
    body: (value) => stripControls(text(value)),
    fence: (source, value) =>
      omitBlank && value.trim() === '' ? '' : fenceUntrusted(source, value),
  };
}
