/**
 * @module
 * {@link narrowCeiling}: client roots may only narrow the operator's directories, never replace
 * or widen them.
 */
import { isWithin } from './within.js';

/**
 * The operator's `ceiling` clipped by the client's `roots`: a root inside a ceiling directory
 * stands for that part of it, a ceiling directory inside a root stays whole, and nothing outside
 * the ceiling is added. `real` gives each entry's canonical path; an entry appears once.
 */
export function narrowCeiling<T>(
  ceiling: readonly T[],
  roots: readonly T[],
  real: (entry: T) => string,
): T[] {
  const result: T[] = [];
  const add = (entry: T): void => {
    if (!result.some((existing) => real(existing) === real(entry))) result.push(entry);
  };
  for (const root of roots) {
    for (const allowed of ceiling) {
      if (isWithin(real(root), real(allowed))) add(root);
      else if (isWithin(real(allowed), real(root))) add(allowed);
    }
  }
  return result;
}
