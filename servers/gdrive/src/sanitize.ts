/**
 * @module
 * File names, descriptions, owners' names and document text are written by whoever made the
 * file: untrusted. They can hide instructions a reader never sees (Unicode tag characters, bidi
 * overrides, zero-width characters) or spoof line-oriented listings with control characters (a
 * file named `a\n[folder] secret`). The kit's sanitizer removes the invisible part
 * ({@link sanitizeText}), flattens a value to one bounded line ({@link sanitizeLine}) and fences
 * text off for the model in a way the text itself cannot close ({@link untrusted}). Drive text is
 * not normalised.
 */
import { createSanitizer } from '@plugboard/kit/untrusted';

export const {
  text: sanitizeText,
  line: sanitizeLine,
  body: sanitizeBody,
  fence: untrusted,
} = createSanitizer({ lineMax: 200 });
