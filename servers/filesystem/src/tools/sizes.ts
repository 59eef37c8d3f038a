/**
 * @module
 * get_directory_size: how much a directory tree holds, and where, like `du`. One walk (in its time
 * slices, cancellable) with one `lstat` per file; each directory's total is summed from its
 * children once the walk is done, so the work is linear in the tree. Symlinks are counted as
 * entries, never followed; sizes are apparent sizes (what `ls -l` shows).
 */
import { lstatSync } from 'node:fs';
import { structured, ToolError } from '@plugboard/protocol';
import { z } from 'zod';
import { defineTool } from '../context.js';
import { mapErrors, shown } from '../fs/errors.js';
import { formatSize } from '../fs/format.js';
import { compileGlobs, gitignoreFactory } from '../fs/globs.js';
import { kindOf } from '../fs/safe-open.js';
import { SKIP, STOP, walk } from '../fs/walk.js';
import {
  ANNOTATIONS,
  excludePatternsField,
  pathField,
  respectGitignoreField,
  skippedDirectories,
  walkProgress,
} from './fields.js';

/** A size walk stops (with complete: false) after this long. */
export const SIZE_TIME_BUDGET_MS = 30_000;
const DEFAULT_LARGEST = 10;
const MAX_LARGEST = 100;

interface DirectoryNode {
  readonly path: string;
  readonly parent: DirectoryNode | undefined;
  bytes: number;
}

const sized = z.object({
  path: z.string().describe('Real path'),
  bytes: z.number().describe('Apparent size in bytes (for a directory, everything under it)'),
});

/** The `count` largest of `items`, largest first, in one pass with a small sorted buffer. */
function largest<T extends { bytes: number }>(items: Iterable<T>, count: number): T[] {
  const top: T[] = [];
  for (const item of items) {
    if (top.length === count && item.bytes <= top[count - 1]!.bytes) continue;
    let at = top.length;
    while (at > 0 && top[at - 1]!.bytes < item.bytes) at--;
    top.splice(at, 0, item);
    if (top.length > count) top.pop();
  }
  return top;
}

export const getDirectorySize = defineTool({
  name: 'get_directory_size',
  title: 'Directory size',
  description:
    'Total size of a directory tree (files, directories and symlinks counted, symlinks never followed), with its largest files and largest subdirectories, like du. ' +
    'Use it to find what takes space; a very large tree may come back with complete: false when the time budget runs out.',
  input: z.object({
    path: pathField('Directory to measure, absolute or relative to the first allowed directory'),
    largest: z
      .number()
      .int()
      .min(0)
      .max(MAX_LARGEST)
      .default(DEFAULT_LARGEST)
      .describe(
        `How many of the largest files and subdirectories to list (at most ${MAX_LARGEST})`,
      ),
    excludePatterns: excludePatternsField,
    respectGitignore: respectGitignoreField,
  }),
  output: z.object({
    path: z.string().describe('Real path measured'),
    bytes: z.number().describe('Apparent size of everything under path, in bytes'),
    files: z.number().describe('Regular files counted'),
    directories: z.number().describe('Directories under path (path itself not included)'),
    others: z.number().describe('Symlinks and special files counted (their own size only)'),
    largestFiles: z.array(sized).describe('The largest files, largest first'),
    largestDirectories: z.array(sized).describe('The largest subdirectories, largest first'),
    complete: z
      .boolean()
      .describe('False when the time budget ran out and the totals cover part of the tree'),
    truncated: z
      .boolean()
      .describe('True when the lists were shortened to fit the output budget (ask for fewer)'),
    skippedDirectories,
  }),
  annotations: ANNOTATIONS.READ,
  auditTarget: ['path'],
  async run({ path: requested, largest: count, excludePatterns, respectGitignore }, ctx) {
    const scope = await ctx.sandbox.scope(ctx);
    return mapErrors(requested, async () => {
      const resolved = await scope.resolve(requested);
      if (resolved.stats === undefined)
        throw new ToolError(`No such directory: ${shown(requested)}`);
      if (!resolved.stats.isDirectory())
        throw new ToolError(
          `${shown(requested)} is a ${kindOf(resolved.stats)}; use get_file_info for the size of one file`,
        );
      const excluded = compileGlobs(excludePatterns, { anyDepthWithoutSlash: true });
      const gitignore = respectGitignore
        ? { allowedRoot: resolved.root, create: await gitignoreFactory() }
        : undefined;
      const root: DirectoryNode = { path: resolved.path, parent: undefined, bytes: 0 };
      const directories: DirectoryNode[] = [];
      let files: { path: string; bytes: number }[] = [];
      let fileCount = 0;
      let others = 0;
      const deadline = performance.now() + SIZE_TIME_BUDGET_MS;
      let complete = true;
      const walked = await walk(
        resolved.path,
        root,
        { gitignore, signal: ctx.signal, onProgress: walkProgress(ctx) },
        (entry, parent) => {
          if (excluded?.(entry.relative) === true) return SKIP;
          if ((fileCount & 255) === 255 && performance.now() > deadline) {
            complete = false;
            return STOP;
          }
          if (entry.type === 'directory') {
            const node: DirectoryNode = { path: entry.absolute, parent, bytes: 0 };
            directories.push(node);
            return node;
          }
          let bytes: number;
          try {
            bytes = lstatSync(entry.absolute).size;
          } catch {
            return undefined;
          }
          parent.bytes += bytes;
          if (entry.type === 'file') {
            fileCount++;
            if (count > 0) {
              files.push({ path: entry.absolute, bytes });
              // Keep the candidates small: the largest `count` survive every trim.
              if (files.length >= 4 * count + 1024) files = largest(files, count);
            }
          } else others++;
          return undefined;
        },
      );
      // Breadth-first order puts every directory after its parent: summing backwards is enough.
      for (let index = directories.length - 1; index >= 0; index--) {
        const node = directories[index]!;
        node.parent!.bytes += node.bytes;
      }
      // Each listed path appears twice (structured and text); keep both lists within the budget.
      let room = ctx.limits.outputBytes - 1024;
      const fits = (item: { path: string }): boolean =>
        (room -= 2 * Buffer.byteLength(item.path) + 64) >= 0;
      const largestDirectories = largest(directories, count).map(({ path, bytes }) => ({
        path,
        bytes,
      }));
      const largestFiles = largest(files, count);
      const shownDirectories = largestDirectories.filter(fits);
      const shownFiles = largestFiles.filter(fits);
      const data = {
        path: resolved.path,
        bytes: root.bytes,
        files: fileCount,
        directories: directories.length,
        others,
        largestFiles: shownFiles,
        largestDirectories: shownDirectories,
        complete: complete && walked.completed,
        truncated:
          shownFiles.length < largestFiles.length ||
          shownDirectories.length < largestDirectories.length,
        ...(walked.unreadable === 0 ? {} : { skippedDirectories: walked.unreadable }),
      };
      const lines = [
        `${formatSize(data.bytes)} in ${data.files} files and ${data.directories} directories under ${shown(resolved.path, 4096)}` +
          (data.complete
            ? ''
            : ` (incomplete: the ${SIZE_TIME_BUDGET_MS / 1000} s budget ran out)`),
      ];
      if (data.skippedDirectories !== undefined)
        lines.push(`${data.skippedDirectories} directories could not be read`);
      if (data.largestDirectories.length > 0) {
        lines.push('Largest directories:');
        for (const item of data.largestDirectories)
          lines.push(`  ${formatSize(item.bytes).padStart(10)}  ${shown(item.path, 4096)}`);
      }
      if (data.largestFiles.length > 0) {
        lines.push('Largest files:');
        for (const item of data.largestFiles)
          lines.push(`  ${formatSize(item.bytes).padStart(10)}  ${shown(item.path, 4096)}`);
      }
      if (data.truncated) lines.push('[lists shortened to fit the output budget; ask for fewer]');
      return structured(data, lines.join('\n'));
    });
  },
});
