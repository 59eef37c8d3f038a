/**
 * @module
 * Text written by people in Slack (messages, names, topics, file contents) is untrusted. It can
 * hide instructions a reader never sees (Unicode tag characters, bidi overrides, zero-width
 * characters) or spoof line-oriented listings with control characters. {@link sanitizeText}
 * removes the invisible part; {@link sanitizeLine} also flattens a value to one bounded line;
 * {@link untrusted} fences text off for the model in a way the text itself cannot close. The
 * pieces are the protocol kit's; Slack text is normalised to NFC first.
 */
import { fenceUntrusted, flattenLine, stripControls, stripInvisible } from '@plugboard/protocol';

/** Removes invisible and bidi characters; visible text is left as it was. */
export function sanitizeText(text: string): string {
  return stripInvisible(text.normalize('NFC'));
}

/** One line of untrusted text (a name, a topic): sanitised, control characters as spaces, cut. */
export function sanitizeLine(text: string, max = 200): string {
  return flattenLine(sanitizeText(text), max);
}

/** Multi-line untrusted text: sanitised, controls other than newline and tab removed. */
export function sanitizeBody(text: string): string {
  return stripControls(sanitizeText(text));
}

/**
 * Text for the model with untrusted content fenced off (nothing for blank text). A closing (or
 * opening) tag inside the content is defused, so the content cannot end the element and pose as
 * the server.
 */
export function untrusted(source: string, text: string): string {
  return text.trim() === '' ? '' : fenceUntrusted(source, text);
}
