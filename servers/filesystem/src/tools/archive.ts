/**
 * @module
 * Zip archives: list_archive (read-only), extract_archive and create_archive. Extraction checks
 * every entry before writing anything and writes files whole (see ../archive/extract.ts);
 * creation stores files and directories from inside the allowed directories, never following a
 * link (see ../archive/create.ts).
 */
import { structured, ToolError } from '@plugboard/protocol';
import { z } from 'zod';
import { writeArchive, type ArchiveSource } from '../archive/create.js';
import { extractInto } from '../archive/extract.js';
import { MAX_ARCHIVE_ENTRIES } from '../archive/limits.js';
import { openArchive, type OpenArchive } from '../archive/reader.js';
import { defineTool } from '../context.js';
import { mapErrors, shown } from '../fs/errors.js';
import { formatSize } from '../fs/format.js';
import { kindOf } from '../fs/safe-open.js';
import { assertParentExists } from '../fs/write.js';
import type { ResolvedPath, Scope } from '../sandbox/sandbox.js';
import { ANNOTATIONS, entryType, offsetField, pathField } from './fields.js';

const MAX_SOURCES = 100;

const listedEntry = z.object({
  name: z.string().describe('Name as stored in the archive'),
  type: entryType,
  size: z.number().describe('Uncompressed size in bytes'),
  compressedSize: z.number().describe('Compressed size in bytes'),
  modified: z.string().describe('Modification time (ISO 8601, as recorded)'),
  refused: z
    .string()
    .optional()
    .describe(
      'Why extract_archive refuses this entry (its name, type, encryption or expansion); absent when it is safe',
    ),
});

async function withArchive<T>(
  requested: string,
  scope: Scope,
  use: (archive: OpenArchive, resolved: ResolvedPath) => Promise<T>,
): Promise<T> {
  return mapErrors(requested, async () => {
    const resolved = await scope.resolve(requested);
    if (resolved.stats === undefined) throw new ToolError(`No such file: ${shown(requested)}`);
    const archive = await openArchive(resolved, scope);
    try {
      return await use(archive, resolved);
    } finally {
      archive.close();
    }
  });
}

export const listArchive = defineTool({
  name: 'list_archive',
  title: 'List zip archive',
  description:
    'List the entries of a zip file: name, type, size, compressed size and modification time, and for each entry extract_archive would refuse, why. ' +
    'Paged: a cut result has nextOffset.',
  input: z.object({
    path: pathField('Zip file to list, absolute or relative to the first allowed directory'),
    offset: offsetField,
  }),
  output: z.object({
    path: z.string().describe('Real path of the archive'),
    total: z.number().describe('Entries the archive has'),
    entries: z.array(listedEntry),
    truncated: z.boolean().describe('True when more entries follow; continue with nextOffset'),
    nextOffset: z.number().optional().describe('offset for the next page, when truncated'),
  }),
  annotations: ANNOTATIONS.READ,
  auditTarget: ['path'],
  async run({ path: requested, offset = 0 }, ctx) {
    const scope = await ctx.sandbox.scope(ctx);
    return withArchive(requested, scope, async (archive, resolved) => {
      // Each name appears twice (structured and text); keep both within the budget.
      let room = ctx.limits.outputBytes - 1024;
      const entries: z.infer<typeof listedEntry>[] = [];
      const lines: string[] = [];
      let index = 0;
      let truncated = false;
      for await (const entry of archive.entries()) {
        ctx.signal.throwIfAborted();
        if (index++ < offset) continue;
        const item = {
          name: entry.name,
          type: entry.type,
          size: entry.size,
          compressedSize: entry.compressedSize,
          modified: entry.modified.toISOString(),
          ...(entry.problem === undefined ? {} : { refused: entry.problem }),
        };
        const line =
          `${entry.type.padEnd(9)} ${formatSize(entry.size).padStart(10)}  ${shown(entry.name, 4096)}` +
          (entry.problem === undefined ? '' : `  [refused: ${entry.problem}]`);
        room -= 2 * Buffer.byteLength(line) + 128;
        if (room < 0) {
          truncated = true;
          break;
        }
        entries.push(item);
        lines.push(line);
      }
      const next = offset + entries.length;
      const data = {
        path: resolved.path,
        total: archive.entryCount,
        entries,
        truncated,
        ...(truncated ? { nextOffset: next } : {}),
      };
      const header = `${archive.entryCount} entries in ${shown(resolved.path, 4096)}`;
      const footer = truncated
        ? [`[${archive.entryCount - next} more entries; call again with offset: ${next}]`]
        : [];
      return structured(data, [header, ...lines, ...footer].join('\n'));
    });
  },
});

export const extractArchive = defineTool({
  name: 'extract_archive',
  title: 'Extract zip archive',
  description:
    'Extract a zip file into a directory inside the allowed directories (created if missing; its parent must exist). ' +
    `All or nothing: refused before writing anything if any entry is unsafe (absolute, "..", symlink), if it has over ${MAX_ARCHIVE_ENTRIES} entries, expands too much, ` +
    'or would replace an existing file without overwrite: true. Use list_archive first to see what it holds.',
  input: z.object({
    path: pathField('Zip file to extract'),
    destination: pathField('Directory to extract into'),
    overwrite: z
      .boolean()
      .default(false)
      .describe('Replace existing files of the same names (never directories or links)'),
  }),
  output: z.object({
    path: z.string().describe('Real path of the archive'),
    destination: z.string().describe('Real path of the directory extracted into'),
    files: z.number().describe('Files written'),
    directories: z.number().describe('Directories created'),
    bytes: z.number().describe('Bytes written'),
    replaced: z.number().describe('Existing files replaced (only with overwrite)'),
  }),
  annotations: ANNOTATIONS.REPLACE,
  auditTarget: ['path', 'destination'],
  async run({ path: requested, destination, overwrite }, ctx) {
    const scope = await ctx.sandbox.scope(ctx);
    const target = await mapErrors(destination, () => scope.resolve(destination));
    assertParentExists(target);
    if (target.stats !== undefined && !target.stats.isDirectory())
      throw new ToolError(
        `${shown(destination)} is a ${kindOf(target.stats)}; extract into a directory`,
      );
    return withArchive(requested, scope, async (archive, resolved) => {
      const done = await extractInto(archive, {
        destination: target.path,
        overwrite,
        maxBytes: ctx.limits.extractBytes,
        scope,
        signal: ctx.signal,
        onProgress: (bytes) => void ctx.progress(bytes, undefined, `${formatSize(bytes)} written`),
      });
      const data = { path: resolved.path, destination: target.path, ...done };
      const replaced = done.replaced === 0 ? '' : ` (${done.replaced} replaced)`;
      return structured(
        data,
        `Extracted ${done.files} files${replaced} and ${done.directories} new directories (${formatSize(done.bytes)}) from ${resolved.path} into ${target.path}`,
      );
    });
  },
});

export const createArchive = defineTool({
  name: 'create_archive',
  title: 'Create zip archive',
  description:
    'Create a zip file from files and directories inside the allowed directories, each stored under its own name (directories with everything in them), like zip -r. ' +
    `Symlinks and special files inside directories are skipped; at most ${MAX_ARCHIVE_ENTRIES} entries. An existing file is replaced only with overwrite: true.`,
  input: z.object({
    path: pathField('Zip file to create; its parent directory must exist'),
    sources: z
      .array(pathField('A file or directory to store'))
      .min(1)
      .max(MAX_SOURCES)
      .describe('Files and directories to store, each under its own name'),
    overwrite: z.boolean().default(false).describe('Replace an existing file at path'),
  }),
  output: z.object({
    path: z.string().describe('Real path of the archive written'),
    files: z.number().describe('Files stored'),
    directories: z.number().describe('Directories stored'),
    bytes: z.number().describe('Bytes of file data stored, before compression'),
    archiveBytes: z.number().describe('Size of the archive'),
    skipped: z.number().describe('Symlinks and special files not stored'),
  }),
  annotations: ANNOTATIONS.REPLACE,
  auditTarget: ['path', 'sources'],
  async run({ path: requested, sources, overwrite }, ctx) {
    const scope = await ctx.sandbox.scope(ctx);
    const target = await mapErrors(requested, () => scope.resolve(requested));
    assertParentExists(target);
    if (target.stats !== undefined) {
      if (!overwrite)
        throw new ToolError(
          `${shown(requested)} already exists; pass overwrite: true to replace it`,
        );
      if (!target.stats.isFile())
        throw new ToolError(`${shown(requested)} is a ${kindOf(target.stats)}, not a file`);
    }
    const resolvedSources: ArchiveSource[] = [];
    for (const source of sources) {
      const resolved = await mapErrors(source, () => scope.resolve(source));
      if (resolved.stats === undefined)
        throw new ToolError(`No such file or directory: ${shown(source)}`);
      if (!resolved.stats.isFile() && !resolved.stats.isDirectory())
        throw new ToolError(
          `${shown(source)} is a ${kindOf(resolved.stats)}; only files and directories can be stored`,
        );
      resolvedSources.push({ path: resolved.path, isDirectory: resolved.stats.isDirectory() });
    }
    const done = await mapErrors(requested, () =>
      writeArchive(target, resolvedSources, scope, ctx.signal),
    );
    const skipped = done.skipped === 0 ? '' : `; skipped ${done.skipped} symlinks or special files`;
    return structured(
      { path: target.path, ...done },
      `Created ${target.path} (${formatSize(done.archiveBytes)}): ${done.files} files and ${done.directories} directories, ${formatSize(done.bytes)} before compression${skipped}`,
    );
  },
});
