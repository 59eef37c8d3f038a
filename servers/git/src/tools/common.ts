/**
 * @module
 * Pieces the tool files share: the input fields every tool has, the annotation sets, paging
 * within the output budget, and the check that turns a failed git command into a ToolError.
 */
import { annotationPresets } from '@plugboard/kit/tools';
import { takeWithinBudget } from '@plugboard/protocol';
import { z } from 'zod';
import { gitFailure } from '../errors.js';
import type { GitOutput } from '../git-runner.js';

export const repoPath = z
  .string()
  .min(1)
  .describe('Path of the repository work tree (or a directory inside it)');

export const offsetField = z
  .number()
  .int()
  .min(0)
  .max(100_000_000)
  .optional()
  .describe('next_offset from a truncated result (default 0)');

/** `max_count` of the paged history tools: at most 1000 `items` per call. */
export function maxCountField(items: string, defaultCount: number): z.ZodOptional<z.ZodNumber> {
  return z
    .number()
    .int()
    .min(1)
    .max(1000)
    .optional()
    .describe(`Most ${items} to return (default ${defaultCount}, at most 1000)`);
}

/** `skip` of the paged history tools: where the previous call's `next_skip` goes. */
export function skipField(items: string): z.ZodOptional<z.ZodNumber> {
  return z
    .number()
    .int()
    .min(0)
    .max(10_000_000)
    .optional()
    .describe(`Skip this many ${items} first (the next_skip of a previous call)`);
}

/** The hints of tools that work on local repositories only. */
export const LOCAL = annotationPresets({ openWorld: false });
export const { READ: READ_ONLY, CREATE: LOCAL_WRITE } = LOCAL;
/** The hints of tools that reach a remote (fetch, pull, push, clone). */
export const REMOTE = annotationPresets({ openWorld: true });

/** Throws the mapped failure unless git exited with one of `ok`. */
export function check(output: GitOutput, action: string, ok: readonly number[] = [0]): GitOutput {
  if (!output.truncated && !ok.includes(output.exitCode)) throw gitFailure(output, action);
  return output;
}

export interface Page<T> {
  items: T[];
  truncated: boolean;
  next_offset?: number;
}

/** Items from `offset` that fit in `budget` bytes (at least one), with where to continue. */
export function pageWithin<T>(
  items: readonly T[],
  offset: number,
  budget: number,
  sizeOf: (item: T) => number,
): Page<T> {
  const rest = items.slice(offset);
  const page = takeWithinBudget(rest, budget, sizeOf);
  if (!page.truncated) return { items: page.items, truncated: false };
  return {
    items: page.items,
    truncated: true,
    next_offset: offset + (page.nextIndex ?? page.items.length),
  };
}

/** The line that tells a reader of the text rendering how to get the rest. */
export function continuation(
  page: { truncated: boolean; next_offset?: number },
  remaining: string,
): string {
  return page.truncated && page.next_offset !== undefined
    ? `\n[truncated: ${remaining}; call again with offset=${page.next_offset}]`
    : '';
}
