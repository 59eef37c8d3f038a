/**
 * @module
 * Text written by people in Slack (messages, names, topics, file contents) is untrusted. It can
 * hide instructions a reader never sees (Unicode tag characters, bidi overrides, zero-width
 * characters) or spoof line-oriented listings with control characters. The kit's sanitizer
 * removes the invisible part ({@link sanitizeText}), flattens a value to one bounded line
 * ({@link sanitizeLine}) and fences text off for the model in a way the text itself cannot close
 * ({@link untrusted}, nothing for blank text). Slack text is normalised to NFC first.
 */
import { createSanitizer } from '@plugboard/kit/untrusted';

export const {
  text: sanitizeText,
  line: sanitizeLine,
  body: sanitizeBody,
  fence: untrusted,
} = createSanitizer({ normalize: 'NFC', lineMax: 200, omitBlank: true });
