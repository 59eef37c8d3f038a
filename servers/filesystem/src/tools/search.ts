/**
 * @module
 * Searching: search_files finds entries whose path matches a glob; search_file_contents finds
 * lines in files, by literal text or regular expression, with context lines. Both walk the tree in
 * a fixed order, so a result cut by the budget continues exactly where it stopped (nextOffset).
 */
import { structured, ToolError } from '@plugboard/protocol';
import { z } from 'zod';
import { documentKindOf } from '@plugboard/kit/documents';
import { defineTool } from '../context.js';
import { mapErrors, shown } from '../fs/errors.js';
import { formatSize } from '../fs/format.js';
import { compileGlobs, gitignoreFactory } from '../fs/globs.js';
import { compileQuery, findLines, readCandidate, type LineHit } from '../fs/grep.js';
import { kindOf } from '../fs/safe-open.js';
import { SKIP, STOP, walk, type EntryType, type WalkResult } from '../fs/walk.js';
import type { ResolvedPath, Scope } from '../sandbox/sandbox.js';
import { searchableText } from './documents-text.js';
import {
  ANNOTATIONS,
  entryType,
  excludePatternsField,
  globList,
  MAX_PATTERN_LENGTH,
  offsetField,
  pathField,
  respectGitignoreField,
  skippedDirectories,
  walkProgress,
} from './fields.js';

/** Files larger than this are skipped by content search unless the caller raises it. */
export const DEFAULT_MAX_FILE_BYTES = 10 * 1024 * 1024;
/** A content search stops (with truncated: true) after this long. */
export const SEARCH_TIME_BUDGET_MS = 30_000;

async function directoryOf(scope: Scope, requested: string): Promise<ResolvedPath> {
  const resolved = await scope.resolve(requested);
  if (resolved.stats === undefined) throw new ToolError(`No such directory: ${shown(requested)}`);
  if (!resolved.stats.isDirectory())
    throw new ToolError(`${shown(requested)} is a ${kindOf(resolved.stats)}, not a directory`);
  return resolved;
}

/** The skipped directories of a walk, as a field and a line for the text rendering. */
function skippedOf(result: WalkResult<unknown> | undefined): { data: object; note: string } {
  if (result === undefined || result.unreadable === 0) return { data: {}, note: '' };
  const deep =
    result.tooLong === 0
      ? ''
      : `, ${result.tooLong} of them deeper than the system's path length limit (no path can reach them)`;
  return {
    data: { skippedDirectories: result.unreadable },
    note: `\n[${result.unreadable} directories could not be searched${deep}]`,
  };
}

const fileMatch = z.object({
  path: z.string().describe('Real path of the match'),
  type: entryType,
});

export const searchFiles = defineTool({
  name: 'search_files',
  title: 'Search files by name',
  description:
    'Find files and directories under a path whose path relative to it matches a glob: "*.ts" matches at the top level only, ' +
    '"**/*.ts" at any depth. Returns full paths in a stable order; a result cut by the budget gives nextOffset. To search inside files, use search_file_contents.',
  input: z.object({
    path: pathField('Directory to search in, absolute or relative to the first allowed directory'),
    pattern: z
      .string()
      .min(1)
      .max(MAX_PATTERN_LENGTH)
      .describe(
        'Glob matched against each path relative to path, e.g. "**/*.md" or "src/**/index.*"',
      ),
    excludePatterns: excludePatternsField,
    respectGitignore: respectGitignoreField,
    maxResults: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe('Most matches to return (the output budget also applies)'),
    offset: offsetField,
  }),
  output: z.object({
    path: z.string().describe('Real path searched'),
    matches: z.array(fileMatch),
    truncated: z.boolean().describe('True when more matches may follow'),
    nextOffset: z.number().optional().describe('Pass as offset to get the next matches'),
    skippedDirectories,
  }),
  annotations: ANNOTATIONS.READ,
  auditTarget: ['path'],
  async run(
    { path: requested, pattern, excludePatterns, respectGitignore, maxResults, offset = 0 },
    ctx,
  ) {
    const scope = await ctx.sandbox.scope(ctx);
    return mapErrors(requested, async () => {
      const directory = await directoryOf(scope, requested);
      const matches = compileGlobs([pattern], { anyDepthWithoutSlash: false });
      const excluded = compileGlobs(excludePatterns, { anyDepthWithoutSlash: true });
      const gitignore = respectGitignore
        ? { allowedRoot: directory.root, create: await gitignoreFactory() }
        : undefined;
      const found: { path: string; type: EntryType }[] = [];
      const budget = ctx.limits.outputBytes;
      let used = 0;
      let seen = 0;
      let nextOffset: number | undefined;
      const walked = await walk(
        directory.path,
        true,
        { gitignore, signal: ctx.signal, onProgress: walkProgress(ctx) },
        (entry) => {
          if (excluded?.(entry.relative) === true) return SKIP;
          if (matches!(entry.relative)) {
            seen++;
            if (seen > offset) {
              const cost = 2 * Buffer.byteLength(entry.absolute) + 30;
              if (
                found.length >= (maxResults ?? Infinity) ||
                (used + cost > budget && found.length > 0)
              ) {
                nextOffset = seen - 1;
                return STOP;
              }
              used += cost;
              found.push({ path: entry.absolute, type: entry.type });
            }
          }
          return entry.type === 'directory' ? true : undefined;
        },
      );
      const skipped = skippedOf(walked);
      const data = {
        path: directory.path,
        matches: found,
        truncated: nextOffset !== undefined,
        ...(nextOffset === undefined ? {} : { nextOffset }),
        ...skipped.data,
      };
      const lines = found.map((match) => shown(match.path, 4096));
      if (nextOffset !== undefined)
        lines.push(
          `[${found.length} matches shown; call search_files with offset ${nextOffset} for more]`,
        );
      return structured(
        data,
        (found.length === 0 && offset === 0 ? 'No matches found' : lines.join('\n')) + skipped.note,
      );
    });
  },
});

const contentMatch = z.object({
  path: z.string().describe('Real path of the file'),
  line: z.number().describe('1-based line number'),
  column: z.number().describe('1-based column where the match starts'),
  text: z.string().describe('The matching line (long lines are clipped around the match)'),
  before: z.array(z.string()).optional().describe('Context lines before the match'),
  after: z.array(z.string()).optional().describe('Context lines after the match'),
});

type ContentMatch = z.infer<typeof contentMatch>;

function renderMatches(matches: readonly ContentMatch[], context: number): string {
  const blocks = matches.map((match) => {
    const name = shown(match.path, 4096);
    const lines: string[] = [];
    (match.before ?? []).forEach((line, index, all) =>
      lines.push(`${name}-${match.line - all.length + index}-${shown(line, 1000)}`),
    );
    lines.push(`${name}:${match.line}:${shown(match.text, 1000)}`);
    (match.after ?? []).forEach((line, index) =>
      lines.push(`${name}-${match.line + index + 1}-${shown(line, 1000)}`),
    );
    return lines.join('\n');
  });
  return blocks.join(context > 0 ? '\n--\n' : '\n');
}

export const searchFileContents = defineTool({
  name: 'search_file_contents',
  title: 'Search file contents',
  description:
    'Find lines containing a text (or matching a regular expression) in the files under a path, like grep -rn, with optional context lines. ' +
    'Filter files with includePatterns/excludePatterns; binary and very large files are skipped, and .gitignore is honoured by default. Results are paged with nextOffset.',
  input: z.object({
    path: pathField(
      'Directory (or single file) to search, absolute or relative to the first allowed directory',
    ),
    query: z
      .string()
      .min(1)
      .max(MAX_PATTERN_LENGTH)
      .describe('Text to find, or a JavaScript regular expression when regex is true'),
    regex: z
      .boolean()
      .default(false)
      .describe('Treat query as a regular expression (no backreferences or lookarounds)'),
    caseSensitive: z
      .boolean()
      .default(true)
      .describe('Match letter case exactly (set false to ignore case)'),
    includePatterns: globList(
      'Only search files matching one of these globs, e.g. ["*.ts", "src/**"]; a pattern without "/" matches a file name at any depth',
    ).default([]),
    excludePatterns: globList(
      'Globs to leave out (and not descend into), e.g. ["node_modules", "*.min.js"]',
    ).default([]),
    contextLines: z
      .number()
      .int()
      .min(0)
      .max(10)
      .default(0)
      .describe('Lines of context to show before and after each match'),
    respectGitignore: z
      .boolean()
      .default(true)
      .describe('Skip what .gitignore files ignore, and .git itself'),
    maxFileBytes: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe(`Skip files larger than this (default ${formatSize(DEFAULT_MAX_FILE_BYTES)})`),
    maxResults: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe('Most matching lines to return (the output budget also applies)'),
    documents: z
      .boolean()
      .default(false)
      .describe(
        'Also search the text of PDF, Word, Excel, PowerPoint and OpenDocument files (as read_document reads it; slower), after the other files',
      ),
    offset: offsetField,
  }),
  output: z.object({
    path: z.string().describe('Real path searched'),
    matches: z.array(contentMatch),
    filesSearched: z.number().describe('Files whose content was searched'),
    filesSkipped: z.number().describe('Files skipped as binary, too large or unreadable'),
    truncated: z.boolean().describe('True when more matches may follow'),
    nextOffset: z.number().optional().describe('Pass as offset to get the next matches'),
    skippedDirectories,
  }),
  taskSupport: 'optional',
  annotations: ANNOTATIONS.READ,
  auditTarget: ['path'],
  async run(args, ctx) {
    const { path: requested, contextLines, offset = 0 } = args;
    const scope = await ctx.sandbox.scope(ctx);
    return mapErrors(requested, async () => {
      const resolved = await scope.resolve(requested);
      if (resolved.stats === undefined)
        throw new ToolError(`No such file or directory: ${shown(requested)}`);
      const query = compileQuery(args);
      const included = compileGlobs(args.includePatterns, { anyDepthWithoutSlash: true });
      const excluded = compileGlobs(args.excludePatterns, { anyDepthWithoutSlash: true });
      const maxFileBytes = args.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
      const budget = ctx.limits.outputBytes;
      const maxResults = args.maxResults ?? Infinity;
      const deadline = performance.now() + SEARCH_TIME_BUDGET_MS;
      const scratch = { buffer: Buffer.allocUnsafe(256 * 1024) };
      const matches: ContentMatch[] = [];
      let used = 0;
      let skipRemaining = offset;
      let filesSearched = 0;
      let filesSkipped = 0;
      let nextOffset: number | undefined;
      let timedOut = false;
      /** Documents found by the walk, searched after it (their text is read in a worker). */
      const documents: string[] = [];

      /** False, and the place to continue from, once the time budget has run out. */
      const inTime = (): boolean => {
        if (performance.now() <= deadline) return true;
        timedOut = true;
        nextOffset = offset + matches.length;
        return false;
      };

      /** Searches one file; false when the walk should stop. */
      const searchFile = (file: string): boolean => {
        if (!inTime()) return false;
        if (args.documents && documentKindOf(file) !== undefined) {
          documents.push(file);
          return true;
        }
        const verdict = readCandidate(file, maxFileBytes, scratch, query.needle);
        if (verdict.kind === 'no-match') {
          filesSearched++;
          return true;
        }
        if (verdict.kind !== 'text') {
          filesSkipped++;
          return true;
        }
        filesSearched++;
        return searchText(file, verdict.text);
      };

      /** Collects the matches in one file's text; false when the budget is reached. */
      const searchText = (file: string, text: string): boolean => {
        // Every match costs at least 60 bytes, so this many hits always reach the budget or maxResults.
        const room = Math.min(maxResults - matches.length, Math.ceil(budget / 60)) + 1;
        const { hits, skipped } = findLines(text, query, contextLines, skipRemaining, room);
        skipRemaining -= skipped;
        for (const hit of hits) {
          const match = toMatch(file, hit, contextLines);
          const cost =
            2 * (Buffer.byteLength(file) + Buffer.byteLength(hit.text)) +
            hit.before.concat(hit.after).reduce((sum, line) => sum + 2 * line.length, 0) +
            60;
          if (matches.length >= maxResults || (used + cost > budget && matches.length > 0)) {
            nextOffset = offset + matches.length;
            return false;
          }
          used += cost;
          matches.push(match);
        }
        return true;
      };

      let walked: WalkResult<boolean> | undefined;
      if (resolved.stats.isDirectory()) {
        const gitignore = args.respectGitignore
          ? { allowedRoot: resolved.root, create: await gitignoreFactory() }
          : undefined;
        walked = await walk(
          resolved.path,
          true,
          { gitignore, signal: ctx.signal, onProgress: walkProgress(ctx) },
          (entry) => {
            if (excluded?.(entry.relative) === true) return SKIP;
            if (entry.type === 'directory') return true;
            if (entry.type !== 'file' || (included !== undefined && !included(entry.relative)))
              return undefined;
            return searchFile(entry.absolute) ? undefined : STOP;
          },
        );
      } else if (resolved.stats.isFile()) {
        searchFile(resolved.path);
      } else {
        throw new ToolError(
          `${shown(requested)} is a ${kindOf(resolved.stats)}; search_file_contents searches files and directories`,
        );
      }
      for (const file of nextOffset === undefined ? documents : []) {
        if (!inTime()) break;
        const text = await searchableText(file, documentKindOf(file)!, maxFileBytes, ctx.signal);
        if (text === undefined) filesSkipped++;
        else {
          filesSearched++;
          if (!searchText(file, text)) break;
        }
      }

      const skipped = skippedOf(walked);
      const data = {
        path: resolved.path,
        matches,
        filesSearched,
        filesSkipped,
        truncated: nextOffset !== undefined,
        ...(nextOffset === undefined ? {} : { nextOffset }),
        ...skipped.data,
      };
      let text =
        matches.length === 0
          ? `No matches in ${filesSearched} files`
          : renderMatches(matches, contextLines);
      if (nextOffset !== undefined) {
        const why = timedOut
          ? `the ${SEARCH_TIME_BUDGET_MS / 1000} s time budget ran out`
          : 'the output budget or maxResults was reached';
        text += `\n[${matches.length} matches shown; ${why}. Call search_file_contents with offset ${nextOffset} for more]`;
      }
      text += skipped.note;
      return structured(data, text);
    });
  },
});

function toMatch(file: string, hit: LineHit, context: number): ContentMatch {
  const match: ContentMatch = { path: file, line: hit.line, column: hit.column, text: hit.text };
  if (context > 0) {
    match.before = hit.before;
    match.after = hit.after;
  }
  return match;
}
