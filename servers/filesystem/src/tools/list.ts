/**
 * @module
 * Looking around without reading contents: directory listings (symlinks marked as symlinks, never
 * followed), listings with sizes, file metadata, and the allowed directories themselves.
 */
import { readdirSync, readlinkSync, type Dirent, type Stats } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { structured, ToolError } from '@plugboard/protocol';
import { z } from 'zod';
import { defineTool } from '../context.js';
import { mapErrors, shown } from '../fs/errors.js';
import { formatSize } from '../fs/format.js';
import { kindOf } from '../fs/safe-open.js';
import type { EntryType } from '../fs/walk.js';
import type { ResolvedPath, Scope } from '../sandbox/sandbox.js';
import { ANNOTATIONS, entryType, offsetField, pathField } from './fields.js';

const LABEL: Readonly<Record<EntryType, string>> = {
  file: '[FILE]',
  directory: '[DIR]',
  symlink: '[LINK]',
  other: '[OTHER]',
};

function direntType(dirent: Dirent): EntryType {
  if (dirent.isFile()) return 'file';
  if (dirent.isDirectory()) return 'directory';
  if (dirent.isSymbolicLink()) return 'symlink';
  return 'other';
}

function statsType(stats: Stats): EntryType {
  const kind = kindOf(stats);
  return kind === 'file' || kind === 'directory' || kind === 'symlink' ? kind : 'other';
}

/** Resolves a path that must be an existing directory. */
async function directoryOf(scope: Scope, requested: string): Promise<ResolvedPath> {
  const resolved = await scope.resolve(requested);
  if (resolved.stats === undefined) throw new ToolError(`No such directory: ${shown(requested)}`);
  if (!resolved.stats.isDirectory())
    throw new ToolError(`${shown(requested)} is a ${kindOf(resolved.stats)}, not a directory`);
  return resolved;
}

function readlinkOrUndefined(link: string): string | undefined {
  try {
    return readlinkSync(link);
  } catch {
    return undefined;
  }
}

function byName<T extends { name: string }>(a: T, b: T): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** Leading items within `budget` bytes (at least one), from `offset`. */
function page<T>(
  items: readonly T[],
  offset: number,
  budget: number,
  size: (item: T) => number,
): { items: T[]; nextOffset: number | undefined } {
  const taken: T[] = [];
  let used = 0;
  for (let index = offset; index < items.length; index++) {
    used += size(items[index]!);
    if (used > budget && taken.length > 0) return { items: taken, nextOffset: index };
    taken.push(items[index]!);
  }
  return { items: taken, nextOffset: undefined };
}

function moreNote(
  nextOffset: number | undefined,
  total: number,
  shownCount: number,
  tool: string,
): string {
  return nextOffset === undefined
    ? ''
    : `\n[${shownCount} of ${total} entries shown (output budget); call ${tool} with offset ${nextOffset} for more]`;
}

const listEntry = z.object({
  name: z.string().describe('Entry name'),
  type: entryType,
  target: z.string().optional().describe('Where a symlink points (its text, not followed)'),
});

export const listDirectory = defineTool({
  name: 'list_directory',
  title: 'List directory',
  description:
    'List the entries of one directory, sorted by name, each marked as file, directory, symlink (with its target, not followed) or other. ' +
    'Large directories are paged: a truncated result gives nextOffset. Use list_directory_with_sizes for sizes and dates, directory_tree to go deeper.',
  input: z.object({
    path: pathField('Directory to list, absolute or relative to the first allowed directory'),
    offset: offsetField,
  }),
  output: z.object({
    path: z.string().describe('Real path listed'),
    entries: z.array(listEntry),
    total: z.number().describe('Entries in the directory'),
    truncated: z.boolean().describe('True when more entries follow'),
    nextOffset: z.number().optional().describe('Pass as offset for the next page'),
  }),
  annotations: ANNOTATIONS.READ,
  auditTarget: ['path'],
  async run({ path: requested, offset = 0 }, ctx) {
    const scope = await ctx.sandbox.scope(ctx);
    return mapErrors(requested, async () => {
      const directory = await directoryOf(scope, requested);
      const dirents = readdirSync(directory.path, { withFileTypes: true });
      dirents.sort(byName);
      const { items, nextOffset } = page(
        dirents,
        offset,
        ctx.limits.outputBytes,
        (dirent) => Buffer.byteLength(dirent.name) * 2 + 48,
      );
      const entries = items.map((dirent): z.infer<typeof listEntry> => {
        const type = direntType(dirent);
        if (type !== 'symlink') return { name: dirent.name, type };
        const target = readlinkOrUndefined(path.join(directory.path, dirent.name));
        return target === undefined
          ? { name: dirent.name, type }
          : { name: dirent.name, type, target };
      });
      const lines = entries.map(
        (entry) =>
          `${LABEL[entry.type]} ${shown(entry.name)}${entry.target === undefined ? '' : ` -> ${shown(entry.target)}`}`,
      );
      const data = {
        path: directory.path,
        entries,
        total: dirents.length,
        truncated: nextOffset !== undefined,
        ...(nextOffset === undefined ? {} : { nextOffset }),
      };
      const text = lines.length === 0 ? `${directory.path} is empty` : lines.join('\n');
      return structured(
        data,
        text + moreNote(nextOffset, dirents.length, entries.length, 'list_directory'),
      );
    });
  },
});

const sizedEntry = z.object({
  name: z.string().describe('Entry name'),
  type: entryType,
  size: z.number().describe('Size in bytes (of the link itself for a symlink)'),
  mtime: z.string().describe('Last modification time, ISO 8601'),
});

export const listDirectoryWithSizes = defineTool({
  name: 'list_directory_with_sizes',
  title: 'List directory with sizes',
  description:
    "List one directory with each entry's type, size and modification time, sorted by name or by size (largest first), plus totals. " +
    'Symlinks are reported as links, not followed. Large directories are paged with offset.',
  input: z.object({
    path: pathField('Directory to list, absolute or relative to the first allowed directory'),
    sortBy: z
      .enum(['name', 'size'])
      .default('name')
      .describe('Sort entries by name or by size (largest first)'),
    offset: offsetField,
  }),
  output: z.object({
    path: z.string().describe('Real path listed'),
    entries: z.array(sizedEntry),
    totals: z.object({
      files: z.number().describe('Files in the directory'),
      directories: z.number().describe('Subdirectories'),
      size: z.number().describe('Combined size of the files, in bytes'),
    }),
    truncated: z.boolean().describe('True when more entries follow'),
    nextOffset: z.number().optional().describe('Pass as offset for the next page'),
  }),
  annotations: ANNOTATIONS.READ,
  auditTarget: ['path'],
  async run({ path: requested, sortBy, offset = 0 }, ctx) {
    const scope = await ctx.sandbox.scope(ctx);
    return mapErrors(requested, async () => {
      const directory = await directoryOf(scope, requested);
      const names = readdirSync(directory.path);
      const all = await Promise.all(
        names.map(async (name): Promise<z.infer<typeof sizedEntry>> => {
          const stats = await fs.lstat(path.join(directory.path, name)).catch(() => undefined);
          if (stats === undefined)
            return { name, type: 'other', size: 0, mtime: new Date(0).toISOString() };
          return {
            name,
            type: statsType(stats),
            size: stats.size,
            mtime: stats.mtime.toISOString(),
          };
        }),
      );
      all.sort(sortBy === 'size' ? (a, b) => b.size - a.size || byName(a, b) : byName);
      const files = all.filter((entry) => entry.type !== 'directory');
      const totals = {
        files: files.length,
        directories: all.length - files.length,
        size: files.reduce((sum, entry) => sum + (entry.type === 'file' ? entry.size : 0), 0),
      };
      const { items, nextOffset } = page(
        all,
        offset,
        ctx.limits.outputBytes,
        (entry) => Buffer.byteLength(entry.name) * 2 + 120,
      );
      const lines = items.map(
        (entry) =>
          `${LABEL[entry.type]} ${shown(entry.name).padEnd(30)} ${entry.type === 'directory' ? '' : formatSize(entry.size).padStart(10)}`,
      );
      const summary = [
        '',
        `Total: ${totals.files} files, ${totals.directories} directories`,
        `Combined size: ${formatSize(totals.size)}`,
      ];
      const data = {
        path: directory.path,
        entries: items,
        totals,
        truncated: nextOffset !== undefined,
        ...(nextOffset === undefined ? {} : { nextOffset }),
      };
      return structured(
        data,
        [...lines, ...summary].join('\n') +
          moreNote(nextOffset, all.length, items.length, 'list_directory_with_sizes'),
      );
    });
  },
});

export const getFileInfo = defineTool({
  name: 'get_file_info',
  title: 'Get file info',
  description:
    'Metadata of a file or directory without reading it: type, size, creation, modification and access times, permissions, and ' +
    'whether the path is a symlink (with its target). A symlink leading outside the allowed directories is refused.',
  input: z.object({
    path: pathField('File or directory, absolute or relative to the first allowed directory'),
  }),
  output: z.object({
    path: z.string().describe('Real path described'),
    type: z
      .string()
      .describe('file, directory, symlink, fifo, socket, block device or character device'),
    size: z.number().describe('Size in bytes'),
    created: z.string().describe('Creation (birth) time, ISO 8601'),
    modified: z.string().describe('Last modification time, ISO 8601'),
    accessed: z.string().describe('Last access time, ISO 8601'),
    isDirectory: z.boolean().describe('True for a directory'),
    isFile: z.boolean().describe('True for a regular file'),
    isSymbolicLink: z
      .boolean()
      .describe('True when the path given is a symlink (the other fields describe its target)'),
    permissions: z.string().describe('Permission bits in octal, e.g. 644'),
    linkTarget: z
      .string()
      .optional()
      .describe("The symlink's text, when the path given is a symlink"),
  }),
  annotations: ANNOTATIONS.READ,
  auditTarget: ['path'],
  async run({ path: requested }, ctx) {
    const scope = await ctx.sandbox.scope(ctx);
    return mapErrors(requested, async () => {
      const resolved = await scope.resolve(requested);
      if (resolved.stats === undefined)
        throw new ToolError(`No such file or directory: ${shown(requested)}`);
      const stats = resolved.stats;
      const entry = await scope.resolve(requested, { final: 'entry' }).catch(() => undefined);
      const isSymbolicLink = entry?.stats?.isSymbolicLink() === true;
      const linkTarget =
        isSymbolicLink && entry !== undefined ? readlinkOrUndefined(entry.path) : undefined;
      const data = {
        path: resolved.path,
        type: kindOf(stats),
        size: stats.size,
        created: stats.birthtime.toISOString(),
        modified: stats.mtime.toISOString(),
        accessed: stats.atime.toISOString(),
        isDirectory: stats.isDirectory(),
        isFile: stats.isFile(),
        isSymbolicLink,
        permissions: (stats.mode & 0o7777).toString(8).padStart(3, '0'),
        ...(linkTarget === undefined ? {} : { linkTarget }),
      };
      const text = Object.entries(data)
        .map(
          ([key, value]) => `${key}: ${typeof value === 'string' ? shown(value) : String(value)}`,
        )
        .join('\n');
      return structured(data, text);
    });
  },
});

export const listAllowedDirectories = defineTool({
  name: 'list_allowed_directories',
  title: 'List allowed directories',
  description:
    'The directories this server may read and write, including everything below them. Call it first to learn where paths may point; ' +
    'relative paths resolve against the first one.',
  input: z.object({}),
  output: z.object({
    directories: z.array(z.string()).describe('Allowed directories (real paths)'),
    narrowedByClientRoots: z
      .boolean()
      .describe("True when the client's roots narrowed the operator's directories"),
  }),
  annotations: ANNOTATIONS.READ,
  async run(_args, ctx) {
    const scope = await ctx.sandbox.scope(ctx);
    const directories = scope.directories.map((directory) => directory.real);
    return structured(
      { directories, narrowedByClientRoots: scope.narrowed },
      `Allowed directories:\n${directories.join('\n')}`,
    );
  },
});
