/**
 * @module
 * delete_file and delete_directory, present only when the operator passes --allow-delete. A
 * symlink is removed as a link, never its target, and an allowed directory itself cannot be
 * deleted. With a trash folder configured, entries are moved into it (inside the allowed
 * directory, keeping their relative path) instead of being removed.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { isWithin } from '@plugboard/kit/roots';
import { structured, ToolError } from '@plugboard/protocol';
import { z } from 'zod';
import { defineTool, type FsDeps } from '../context.js';
import { mapErrors, shown } from '../fs/errors.js';
import { kindOf } from '../fs/safe-open.js';
import type { ResolvedPath } from '../sandbox/sandbox.js';
import { ANNOTATIONS, pathField } from './fields.js';

const output = z.object({
  path: z.string().describe('Real path that was deleted'),
  type: z.string().describe('What it was: file, directory, symlink, ...'),
  trashedTo: z
    .string()
    .optional()
    .describe('Where it was moved, when the server keeps a trash folder'),
});

function stamp(date: Date): string {
  return date.toISOString().replace(/[:.]/g, '-');
}

/** Where `entry` goes in the trash, or undefined to delete it for good (no trash, or it is already in the trash). */
async function trashDestination(
  deps: Pick<FsDeps, 'sandbox' | 'trashDir'>,
  entry: ResolvedPath,
): Promise<string | undefined> {
  if (deps.trashDir === undefined) return undefined;
  const root = deps.sandbox.ceiling
    .filter((directory) => isWithin(entry.path, directory.real))
    .sort((a, b) => b.real.length - a.real.length)[0];
  if (root === undefined)
    throw new ToolError(`${shown(entry.requested)} is outside the allowed directories`);
  const trash = path.join(root.real, deps.trashDir);
  if (isWithin(entry.path, trash)) return undefined;
  try {
    await fs.mkdir(trash);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  // The trash must be a real directory: a symlink planted in its place could carry deleted files out of the sandbox.
  const stats = await fs.lstat(trash);
  if (!stats.isDirectory())
    throw new ToolError(
      `The trash folder ${trash} is a ${kindOf(stats)}, not a directory; nothing was deleted`,
    );
  const batch = path.join(trash, `${stamp(new Date())}-${randomBytes(3).toString('hex')}`);
  await fs.mkdir(batch);
  const destination = path.join(batch, path.relative(root.real, entry.path));
  await fs.mkdir(path.dirname(destination), { recursive: true });
  return destination;
}

async function remove(
  deps: Pick<FsDeps, 'sandbox' | 'trashDir'>,
  entry: ResolvedPath,
  erase: () => Promise<void>,
): Promise<z.infer<typeof output>> {
  const type = kindOf(entry.stats!);
  const destination = await trashDestination(deps, entry);
  if (destination === undefined) {
    await erase();
    return { path: entry.path, type };
  }
  await fs.rename(entry.path, destination);
  return { path: entry.path, type, trashedTo: destination };
}

/** Where a deletion goes, for the person approving it. */
function fate(deps: Pick<FsDeps, 'trashDir'>): string {
  return deps.trashDir === undefined
    ? ', for good (this server keeps no trash folder).'
    : `, by moving it into the trash folder ${deps.trashDir} of its allowed directory.`;
}

function describe(result: z.infer<typeof output>): string {
  return result.trashedTo === undefined
    ? `Deleted ${result.type} ${result.path}`
    : `Moved ${result.type} ${result.path} to the trash: ${result.trashedTo}`;
}

export const deleteFile = defineTool({
  name: 'delete_file',
  title: 'Delete file',
  description:
    'Delete one file or symlink (a symlink is removed as a link; its target is untouched). Directories need delete_directory. ' +
    'When the server keeps a trash folder, the file is moved there instead.',
  input: z.object({
    path: pathField(
      'File or symlink to delete, absolute or relative to the first allowed directory',
    ),
  }),
  output,
  requires: ['allowDelete'],
  annotations: ANNOTATIONS.DELETE,
  auditTarget: ['path'],
  approval: {
    class: 'delete',
    summary: ({ path: requested }, ctx) => `Delete the file ${shown(requested)}${fate(ctx)}`,
  },
  async run({ path: requested }, ctx) {
    const scope = await ctx.sandbox.scope(ctx);
    return mapErrors(requested, async () => {
      const entry = await scope.resolve(requested, { final: 'entry' });
      if (entry.stats === undefined) throw new ToolError(`No such file: ${shown(requested)}`);
      if (entry.stats.isDirectory())
        throw new ToolError(`${shown(requested)} is a directory; use delete_directory`);
      const result = await remove(ctx, entry, () => fs.unlink(entry.path));
      return structured(result, describe(result));
    });
  },
});

export const deleteDirectory = defineTool({
  name: 'delete_directory',
  title: 'Delete directory',
  description:
    'Delete a directory: an empty one, or with recursive: true everything in it (symlinks inside are removed as links, never followed). ' +
    'An allowed directory itself cannot be deleted. When the server keeps a trash folder, the directory is moved there instead.',
  input: z.object({
    path: pathField('Directory to delete, absolute or relative to the first allowed directory'),
    recursive: z.boolean().default(false).describe('Also delete everything inside it'),
  }),
  output,
  requires: ['allowDelete'],
  annotations: ANNOTATIONS.DELETE,
  auditTarget: ['path'],
  approval: {
    class: 'delete',
    summary: ({ path: requested, recursive }, ctx) =>
      `Delete the directory ${shown(requested)}${recursive ? ' and everything in it' : ' (only if it is empty)'}${fate(ctx)}`,
  },
  async run({ path: requested, recursive }, ctx) {
    const scope = await ctx.sandbox.scope(ctx);
    return mapErrors(requested, async () => {
      const entry = await scope.resolve(requested, { final: 'entry' });
      if (entry.stats === undefined) throw new ToolError(`No such directory: ${shown(requested)}`);
      if (!entry.stats.isDirectory()) {
        throw new ToolError(
          `${shown(requested)} is a ${kindOf(entry.stats)}, not a directory; use delete_file`,
        );
      }
      if (!recursive && (await fs.readdir(entry.path)).length > 0) {
        throw new ToolError(
          `Directory ${shown(requested)} is not empty; pass recursive: true to delete it with everything in it`,
        );
      }
      const result = await remove(ctx, entry, () =>
        recursive ? fs.rm(entry.path, { recursive: true }) : fs.rmdir(entry.path),
      );
      return structured(result, describe(result));
    });
  },
});
