/**
 * @module
 * `@plugboard/kit/roots`: client roots may only narrow the operator's directories.
 * {@link askClientRoots} asks the client (capability, era, timeout and the protocol's
 * input-required round handled here), {@link narrowCeiling} clips the ceiling by the answer, and
 * {@link isWithin} is the containment test both use.
 */
export {
  askClientRoots,
  type ClientRoots,
  type IgnoredRoot,
  type RootDirectory,
  type RootsQuery,
} from './client-roots.js';
export { narrowCeiling } from './narrow.js';
export { isWithin } from './within.js';
