/**
 * @module
 * What several tools share: input fields and output shapes (so a path or an entry means the same
 * thing everywhere), and progress reporting for walks.
 */
import type { RequestContext } from '@plugboard/protocol';
import { annotationPresets } from '@plugboard/kit/tools';
import { z } from 'zod';
import { MAX_PATH_LENGTH } from '../sandbox/path-forms.js';

export const MAX_PATTERN_LENGTH = 1024;

/** A path argument. */
export function pathField(description: string) {
  return z.string().min(1).max(MAX_PATH_LENGTH).describe(description);
}

export const globList = (description: string) =>
  z.array(z.string().min(1).max(MAX_PATTERN_LENGTH)).max(100).describe(description);

/** Globs a walk leaves out and does not descend into. */
export const excludePatternsField = globList(
  'Globs to leave out (and not descend into); a pattern without "/" matches a name at any depth',
).default([]);

/** Whether a walk honours .gitignore files. */
export const respectGitignoreField = z
  .boolean()
  .default(false)
  .describe('Leave out what .gitignore files ignore, and .git itself');

export const entryType = z
  .enum(['file', 'directory', 'symlink', 'other'])
  .describe(
    'file, directory, symlink (never followed in listings) or other (FIFO, socket, device)',
  );

/** The behaviour hints of local tools: they reach nothing outside the allowed directories. */
export const ANNOTATIONS = annotationPresets({ openWorld: false });

export const offsetField = z
  .number()
  .int()
  .min(0)
  .optional()
  .describe('Skip this many results; pass nextOffset from a truncated result to continue');

/** Directories a walk could not read, reported by the tools that walk. */
export const skippedDirectories = z
  .number()
  .optional()
  .describe(
    'Directories that could not be read (unreadable, or deeper than the path length limit); absent when none',
  );

/** Progress for a walk: entries visited so far (sent only when the client asked for progress). */
export function walkProgress(ctx: Pick<RequestContext, 'progress'>): (visited: number) => void {
  return (visited) => void ctx.progress(visited, undefined, `${visited} entries visited`);
}
