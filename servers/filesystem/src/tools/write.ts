/**
 * @module
 * Tools that create or change files and directories: write_file (replace or append),
 * create_directory, move_file and copy_file. None of them follows a symlink out of the sandbox,
 * and none overwrites anything unless that is what the tool is for.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { structured, ToolError } from '@plugboard/protocol';
import { z } from 'zod';
import { defineTool } from '../context.js';
import { copyFileInto, copyTree } from '../fs/copy.js';
import { mapErrors, shown } from '../fs/errors.js';
import { formatSize } from '../fs/format.js';
import { assertNoUnicodeTwin, kindOf, openForRead } from '../fs/safe-open.js';
import { appendSafely, makeDirectoryLevel, writeFileSafely } from '../fs/write.js';
import { ANNOTATIONS, pathField } from './fields.js';

export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export const writeFile = defineTool({
  name: 'write_file',
  title: 'Write file',
  description:
    'Create a file or replace its whole content (mode "rewrite", the default, atomic), or add to its end (mode "append"); the parent directory must exist. ' +
    'Returns the bytes written and, after a rewrite, the SHA-256 to pass to edit_file as expectedHash.',
  input: z.object({
    path: pathField('File to write, absolute or relative to the first allowed directory'),
    content: z.string().describe('Text to write, as UTF-8'),
    mode: z
      .enum(['rewrite', 'append'])
      .default('rewrite')
      .describe(
        'rewrite replaces the file; append adds content to its end (creating it if needed)',
      ),
  }),
  output: z.object({
    path: z.string().describe('Real path written'),
    created: z.boolean().describe('True when the file did not exist before'),
    mode: z.enum(['rewrite', 'append']).describe('What was done'),
    bytesWritten: z.number().describe('Bytes written by this call'),
    sha256: z.string().optional().describe('SHA-256 (hex) of the whole file after a rewrite'),
  }),
  annotations: ANNOTATIONS.UPDATE,
  auditTarget: ['path'],
  async run({ path: requested, content, mode }, ctx) {
    const scope = await ctx.sandbox.scope(ctx);
    return mapErrors(requested, async () => {
      const target = await scope.resolve(requested);
      const created =
        mode === 'append'
          ? await appendSafely(target, content, scope)
          : await writeFileSafely(target, content, scope);
      const bytesWritten = Buffer.byteLength(content);
      const data = {
        path: target.path,
        created,
        mode,
        bytesWritten,
        ...(mode === 'rewrite' ? { sha256: sha256(content) } : {}),
      };
      const verb =
        mode === 'append'
          ? created
            ? 'Created'
            : 'Appended to'
          : created
            ? 'Created'
            : 'Replaced';
      return structured(
        data,
        `Successfully wrote to ${target.path}: ${verb} with ${formatSize(bytesWritten)}`,
      );
    });
  },
});

export const createDirectory = defineTool({
  name: 'create_directory',
  title: 'Create directory',
  description:
    'Create a directory, with any missing parents (like mkdir -p). Succeeds quietly when the directory already exists. ' +
    'Use it before write_file when the parent directory is missing.',
  input: z.object({
    path: pathField('Directory to create, absolute or relative to the first allowed directory'),
  }),
  output: z.object({
    path: z.string().describe('Real path of the directory'),
    created: z
      .array(z.string())
      .describe('Directories this call created, outermost first (empty when it already existed)'),
  }),
  annotations: ANNOTATIONS.SET,
  auditTarget: ['path'],
  async run({ path: requested }, ctx) {
    const scope = await ctx.sandbox.scope(ctx);
    return mapErrors(requested, async () => {
      const target = await scope.resolve(requested);
      if (target.stats !== undefined) {
        if (!target.stats.isDirectory())
          throw new ToolError(
            `${shown(requested)} exists and is a ${kindOf(target.stats)}, not a directory`,
          );
        return structured(
          { path: target.path, created: [] },
          `Directory ${target.path} already exists`,
        );
      }
      const names = target.path.split(path.sep);
      const created: string[] = [];
      for (let index = names.length - target.missing; index < names.length; index++) {
        const directory = names.slice(0, index + 1).join(path.sep);
        if (await makeDirectoryLevel(directory)) created.push(directory);
      }
      return structured(
        { path: target.path, created },
        `Successfully created directory ${target.path}`,
      );
    });
  },
});

export const moveFile = defineTool({
  name: 'move_file',
  title: 'Move or rename',
  description:
    'Move or rename a file or directory; both paths must be inside the allowed directories. Fails if the destination exists ' +
    '(nothing is overwritten). A symlink is moved as a link, never its target.',
  input: z.object({
    source: pathField('What to move'),
    destination: pathField('New path, including the new name; its parent directory must exist'),
  }),
  output: z.object({
    source: z.string().describe('Real path it had'),
    destination: z.string().describe('Real path it has now'),
    type: z.string().describe('What was moved: file, directory, symlink, ...'),
  }),
  annotations: ANNOTATIONS.UPDATE,
  auditTarget: ['source', 'destination'],
  async run({ source, destination }, ctx) {
    const scope = await ctx.sandbox.scope(ctx);
    const from = await mapErrors(source, () => scope.resolve(source, { final: 'entry' }));
    if (from.stats === undefined)
      throw new ToolError(`No such file or directory: ${shown(source)}`);
    const to = await mapErrors(destination, () => scope.resolve(destination, { final: 'entry' }));
    if (to.stats !== undefined)
      throw new ToolError(
        `Destination ${shown(destination)} already exists; move_file never overwrites`,
      );
    const type = kindOf(from.stats);
    await mapErrors(destination, async () => {
      await assertNoUnicodeTwin(to.path);
      await fs.rename(from.path, to.path);
    });
    return structured(
      { source: from.path, destination: to.path, type },
      `Successfully moved ${from.path} to ${to.path}`,
    );
  },
});

export const copyFile = defineTool({
  name: 'copy_file',
  title: 'Copy file or directory',
  description:
    'Copy a file, or a directory with everything in it, to a new path inside the allowed directories. Files are replaced only with ' +
    'overwrite: true; directories are copied only to a new name. Symlinks and special files inside a copied directory are skipped.',
  input: z.object({
    source: pathField('File or directory to copy'),
    destination: pathField('Path of the copy, including its name; its parent directory must exist'),
    overwrite: z
      .boolean()
      .default(false)
      .describe('Replace an existing destination file (never a directory)'),
  }),
  output: z.object({
    source: z.string().describe('Real path copied'),
    destination: z.string().describe('Real path of the copy'),
    type: z.enum(['file', 'directory']).describe('What was copied'),
    bytes: z.number().describe('Bytes copied'),
    files: z.number().describe('Files copied'),
    skipped: z.number().describe('Symlinks and special files not copied'),
  }),
  annotations: ANNOTATIONS.REPLACE,
  auditTarget: ['source', 'destination'],
  approval: {
    class: 'overwrite',
    when: ({ overwrite }) => overwrite,
    summary: ({ source, destination }) =>
      `Copy ${shown(source)} to ${shown(destination)}, replacing the file there if there is one.`,
  },
  async run({ source, destination, overwrite }, ctx) {
    const scope = await ctx.sandbox.scope(ctx);
    const from = await mapErrors(source, () => scope.resolve(source));
    if (from.stats === undefined)
      throw new ToolError(`No such file or directory: ${shown(source)}`);
    const to = await mapErrors(destination, () => scope.resolve(destination));
    if (from.stats.isDirectory()) {
      const copied = await mapErrors(destination, () => copyTree(from.path, to, scope, ctx.signal));
      const data = {
        source: from.path,
        destination: to.path,
        type: 'directory' as const,
        bytes: copied.bytes,
        files: copied.files,
        skipped: copied.skipped,
      };
      const skipped =
        copied.skipped === 0 ? '' : `; skipped ${copied.skipped} symlinks or special files`;
      return structured(
        data,
        `Copied ${from.path} to ${to.path}: ${copied.files} files in ${copied.directories} directories, ${formatSize(copied.bytes)}${skipped}`,
      );
    }
    if (to.path === from.path) throw new ToolError('Source and destination are the same file');
    const opened = await mapErrors(source, () => openForRead(from, scope));
    try {
      const bytes = await mapErrors(destination, () => copyFileInto(opened, to, overwrite, scope));
      const data = {
        source: from.path,
        destination: to.path,
        type: 'file' as const,
        bytes,
        files: 1,
        skipped: 0,
      };
      return structured(data, `Copied ${from.path} to ${to.path} (${formatSize(bytes)})`);
    } finally {
      opened.close();
    }
  },
});
