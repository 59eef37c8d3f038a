/**
 * @module
 * `@plugboard/kit/untrusted`: text that people wrote, on its way to the model. A server declares
 * its source's needs once with {@link createSanitizer}; the character sets, line flattening and
 * the `<untrusted-content>` fence are here for every server.
 */
export { createSanitizer, type Sanitizer, type SanitizerOptions } from './sanitizer.js';
export {
  cutAt,
  fenceUntrusted,
  flattenLine,
  stripControls,
  stripInvisible,
} from './untrusted-text.js';
