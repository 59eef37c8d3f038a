/**
 * @module
 * edit_file: targeted text replacement that refuses to guess. An `oldText` must occur exactly
 * once unless `replaceAll` says otherwise; when it does not occur, the error shows the most
 * similar passage so the model can correct itself; an optional hash makes the edit fail if the
 * file changed since it was read. Line endings are kept, the write is atomic, and the result is a
 * unified diff (dryRun previews it without writing).
 *
 * Every step is bounded: at most {@link MAX_EDITS} edits a call, matching in linear time (KMP over
 * lines for the whitespace-forgiving match), the diff within a fixed amount of work (see
 * ../fs/line-diff.ts), and the whole computation in time slices with a deadline, so `ping` and
 * cancellation are answered while a large edit runs.
 */
import { structured, ToolError } from '@plugboard/protocol';
import { truncateText } from '@plugboard/protocol';
import { z } from 'zod';
import { defineTool } from '../context.js';
import { mapErrors, shown } from '../fs/errors.js';
import { formatSize } from '../fs/format.js';
import { unifiedDiff } from '../fs/line-diff.js';
import { looksBinary } from '../fs/read-text.js';
import { openForRead, readWhole } from '../fs/safe-open.js';
import { timeSlicer, type Slicer } from '../fs/slices.js';
import { writeFileSafely } from '../fs/write.js';
import { ANNOTATIONS, pathField } from './fields.js';
import { sha256 } from './write.js';

/** Files larger than this are not edited in memory. */
export const MAX_EDIT_BYTES = 10 * 1024 * 1024;
/** Most edits one call may carry. */
export const MAX_EDITS = 100;
/** How long applying the edits and computing the diff may take. */
export const EDIT_TIME_BUDGET_MS = 20_000;
const MAX_LISTED = 10;
/** Lines handled between two looks at the clock. */
const LINES_PER_TICK = 1024;

export interface Edit {
  oldText: string;
  newText: string;
  replaceAll?: boolean | undefined;
}

/** 1-based line number of a character index. */
function lineAt(text: string, index: number): number {
  let line = 1;
  for (let at = text.indexOf('\n'); at !== -1 && at < index; at = text.indexOf('\n', at + 1))
    line++;
  return line;
}

function occurrences(text: string, needle: string): number[] {
  const found: number[] = [];
  for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + needle.length))
    found.push(at);
  return found;
}

function bigrams(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  const compact = text.replace(/\s+/g, ' ').trim();
  for (let index = 0; index < compact.length - 1; index++) {
    const pair = compact.slice(index, index + 2);
    counts.set(pair, (counts.get(pair) ?? 0) + 1);
  }
  return counts;
}

/** Dice coefficient over character pairs, ignoring whitespace differences: 1 = same, 0 = nothing shared. */
export function similarity(a: string, b: string): number {
  return diceOf(bigrams(a), bigrams(b), a, b);
}

function diceOf(
  left: ReadonlyMap<string, number>,
  right: ReadonlyMap<string, number>,
  a: string,
  b: string,
): number {
  let total = 0;
  let shared = 0;
  for (const count of left.values()) total += count;
  for (const [pair, count] of right) {
    total += count;
    shared += Math.min(count, left.get(pair) ?? 0);
  }
  return total === 0 ? (a.trim() === b.trim() ? 1 : 0) : (2 * shared) / total;
}

/** The passage of `text` most like `wanted` (same number of lines), as numbered lines. */
export async function nearestText(
  text: string,
  wanted: string,
  slicer: Slicer,
): Promise<{ line: number; excerpt: string; score: number } | undefined> {
  const lines = text.split('\n');
  const wantedLines = wanted.split('\n');
  const span = Math.min(wantedLines.length, lines.length);
  const anchorIndex = Math.max(
    0,
    wantedLines.findIndex((line) => line.trim() !== ''),
  );
  const anchor = wantedLines[anchorIndex] ?? '';
  const anchorPairs = bigrams(anchor);
  // Rank start lines by their match with one anchor line, then score the best few whole windows.
  const scored: { start: number; score: number }[] = [];
  for (let index = 0; index < lines.length; index++) {
    if (index % LINES_PER_TICK === 0) await slicer.tick();
    const start = index - anchorIndex;
    if (start < 0 || start + span > lines.length) continue;
    const line = lines[index]!;
    scored.push({ start, score: diceOf(bigrams(line), anchorPairs, line, anchor) });
  }
  const ranked = scored.sort((a, b) => b.score - a.score).slice(0, 8);
  let best: { start: number; score: number } | undefined;
  for (const candidate of ranked) {
    const score = similarity(
      lines.slice(candidate.start, candidate.start + span).join('\n'),
      wanted,
    );
    if (best === undefined || score > best.score) best = { start: candidate.start, score };
  }
  if (best === undefined || best.score < 0.3) return undefined;
  const excerpt = lines
    .slice(best.start, best.start + span)
    .map((line, offset) => `${String(best.start + offset + 1).padStart(5)}| ${line}`)
    .join('\n');
  return { line: best.start + 1, excerpt: truncateText(excerpt, 2048).text, score: best.score };
}

/**
 * Line windows whose lines equal `oldLines` once leading and trailing whitespace is ignored, not
 * overlapping, found with Knuth-Morris-Pratt over lines: linear in the file and the edit.
 */
export async function looseMatches(
  lines: readonly string[],
  oldLines: readonly string[],
  slicer: Slicer,
): Promise<number[]> {
  const wanted = oldLines.map((line) => line.trim());
  const fallback = new Array<number>(wanted.length).fill(0);
  for (let index = 1, length = 0; index < wanted.length;) {
    if (wanted[index] === wanted[length]) fallback[index++] = ++length;
    else if (length > 0) length = fallback[length - 1]!;
    else fallback[index++] = 0;
  }
  const found: number[] = [];
  for (let index = 0, matched = 0; index < lines.length;) {
    if (index % LINES_PER_TICK === 0) await slicer.tick();
    if (lines[index]!.trim() === wanted[matched]) {
      index++;
      if (++matched === wanted.length) {
        found.push(index - matched);
        matched = 0;
      }
    } else if (matched > 0) matched = fallback[matched - 1]!;
    else index++;
  }
  return found;
}

function indentOf(line: string): string {
  return /^[ \t]*/.exec(line)?.[0] ?? '';
}

/**
 * Re-indents `newText` for a passage matched without regard to indentation: the model's text is
 * usually the file's text with its common indentation lost, so the indentation the model's first
 * line had is swapped for the file's, and deeper lines keep their extra indentation.
 */
function reindent(
  matched: readonly string[],
  oldLines: readonly string[],
  newText: string,
): string[] {
  const fileIndent = indentOf(matched[0] ?? '');
  const modelIndent = indentOf(oldLines[0] ?? '');
  return newText.split('\n').map((line) => {
    if (line.trim() === '') return '';
    const own = indentOf(line);
    const extra = own.startsWith(modelIndent) ? own.slice(modelIndent.length) : '';
    return fileIndent + extra + line.trimStart();
  });
}

/** Applies one edit to LF-normalised text; returns the new text and how many places changed. */
export async function applyEdit(
  text: string,
  edit: Edit,
  number: number,
  total: number,
  slicer: Slicer,
): Promise<{ text: string; replacements: number }> {
  const label = total > 1 ? `Edit ${number} of ${total}` : 'The edit';
  const exact = occurrences(text, edit.oldText);
  const nonUnique = (count: number, lines: readonly number[]): ToolError =>
    new ToolError(
      `${label}: oldText occurs ${count} times (at lines ${lines.slice(0, MAX_LISTED).join(', ')}${count > MAX_LISTED ? ', …' : ''}). ` +
        'Include more surrounding lines to make it unique, or set replaceAll: true to change every occurrence.',
    );
  if (exact.length === 1 || (exact.length > 1 && edit.replaceAll === true)) {
    return { text: text.split(edit.oldText).join(edit.newText), replacements: exact.length };
  }
  if (exact.length > 1)
    throw nonUnique(
      exact.length,
      exact.slice(0, MAX_LISTED).map((at) => lineAt(text, at)),
    );
  const lines = text.split('\n');
  const oldLines = edit.oldText.split('\n');
  const loose = await looseMatches(lines, oldLines, slicer);
  if (loose.length > 1 && edit.replaceAll !== true)
    throw nonUnique(
      loose.length,
      loose.slice(0, MAX_LISTED).map((start) => start + 1),
    );
  if (loose.length > 0) {
    // One pass, copying the lines between windows: linear however many windows matched.
    const result: string[] = [];
    let copied = 0;
    for (const start of loose) {
      for (let index = copied; index < start; index++) result.push(lines[index]!);
      const matched = lines.slice(start, start + oldLines.length);
      for (const line of reindent(matched, oldLines, edit.newText)) result.push(line);
      copied = start + oldLines.length;
    }
    for (let index = copied; index < lines.length; index++) result.push(lines[index]!);
    return { text: result.join('\n'), replacements: loose.length };
  }
  const nearest = await nearestText(text, edit.oldText, slicer);
  const hint =
    nearest === undefined
      ? 'Nothing similar was found; read the file again to see its current text.'
      : `The most similar text starts at line ${nearest.line}:\n${nearest.excerpt}\nCopy the exact current text (whitespace included) into oldText.`;
  throw new ToolError(`${label}: oldText was not found. ${hint}`);
}

function fence(diff: string): string {
  let ticks = 3;
  while (diff.includes('`'.repeat(ticks))) ticks++;
  return `${'`'.repeat(ticks)}diff\n${diff}${'`'.repeat(ticks)}\n`;
}

export const editFile = defineTool({
  name: 'edit_file',
  title: 'Edit file',
  description:
    'Replace text in a file. Each oldText must match exactly once (whitespace at line ends is forgiven) unless replaceAll is set; if it is ' +
    'missing, the error shows the most similar passage. Returns a unified diff; dryRun previews without writing, expectedHash refuses the edit if the file changed.',
  input: z.object({
    path: pathField('File to edit, absolute or relative to the first allowed directory'),
    edits: z
      .array(
        z.object({
          oldText: z
            .string()
            .min(1)
            .describe(
              'Text to find, exactly as it is in the file (include enough lines to be unique)',
            ),
          newText: z.string().describe('Text to put in its place'),
          replaceAll: z
            .boolean()
            .optional()
            .describe('Replace every occurrence instead of requiring exactly one'),
        }),
      )
      .min(1)
      .max(MAX_EDITS)
      .describe(
        `Edits, applied in order, each to the result of the previous one (at most ${MAX_EDITS})`,
      ),
    dryRun: z.boolean().default(false).describe('Preview the diff without writing'),
    expectedHash: z
      .string()
      .regex(/^[0-9a-fA-F]{64}$/)
      .optional()
      .describe(
        'SHA-256 (hex) of the file as you last read it; the edit is refused if the file changed since',
      ),
  }),
  output: z.object({
    path: z.string().describe('Real path of the file'),
    applied: z.boolean().describe('True when the file was written (false for dryRun)'),
    replacements: z.number().describe('Places changed, over all edits'),
    diff: z.string().describe('Unified diff of the change'),
    truncated: z.boolean().describe('True when the diff was cut to fit the output budget'),
    sha256: z
      .string()
      .describe('SHA-256 (hex) of the file now: after the write, or unchanged for dryRun'),
  }),
  annotations: ANNOTATIONS.UPDATE,
  auditTarget: ['path'],
  async run({ path: requested, edits, dryRun, expectedHash }, ctx) {
    const { sandbox, limits } = ctx;
    const scope = await sandbox.scope(ctx);
    return mapErrors(requested, async () => {
      const target = await scope.resolve(requested);
      const file = openForRead(target, scope);
      const { stats } = file;
      let raw: Buffer;
      try {
        if (stats.size > MAX_EDIT_BYTES)
          throw new ToolError(
            `${shown(requested)} is ${formatSize(stats.size)}; edit_file edits files up to ${formatSize(MAX_EDIT_BYTES)}`,
          );
        raw = readWhole(file);
      } finally {
        file.close();
      }
      if (looksBinary(raw.subarray(0, 8192)))
        throw new ToolError(
          `${shown(requested)} looks binary (it contains NUL bytes); edit_file edits text`,
        );
      const currentHash = sha256(raw);
      if (expectedHash !== undefined && expectedHash.toLowerCase() !== currentHash) {
        throw new ToolError(
          `${shown(requested)} changed since it was read: its SHA-256 is ${currentHash}, not ${expectedHash}. Read it again, then edit.`,
        );
      }
      const original = raw.toString('utf8');
      const crlf = original.includes('\r\n');
      const before = crlf ? original.replace(/\r\n/g, '\n') : original;
      const slicer = timeSlicer({
        signal: ctx.signal,
        budgetMs: EDIT_TIME_BUDGET_MS,
        overBudget: `The edits did not finish within ${EDIT_TIME_BUDGET_MS / 1000} s and were not applied; split them into smaller calls`,
      });
      let after = before;
      let replacements = 0;
      for (const [index, edit] of edits.entries()) {
        await slicer.tick();
        const normalised = {
          ...edit,
          oldText: edit.oldText.replace(/\r\n/g, '\n'),
          newText: edit.newText.replace(/\r\n/g, '\n'),
        };
        const applied = await applyEdit(after, normalised, index + 1, edits.length, slicer);
        after = applied.text;
        replacements += applied.replacements;
      }
      await slicer.tick();
      const fullDiff = await unifiedDiff(target.path, before, after);
      const cut = truncateText(fullDiff, Math.max(1024, limits.outputBytes - 1024));
      let hash = currentHash;
      if (!dryRun) {
        const content = crlf ? after.replace(/\n/g, '\r\n') : after;
        await writeFileSafely(target, content, scope);
        hash = sha256(content);
      }
      const data = {
        path: target.path,
        applied: !dryRun,
        replacements,
        diff: cut.text,
        truncated: cut.truncated,
        sha256: hash,
      };
      const note = cut.truncated
        ? `[diff cut at ${formatSize(cut.bytes)} of ${formatSize(cut.totalBytes)}; read the file to see the rest]\n`
        : '';
      return structured(data, `${fence(cut.text)}${note}`);
    });
  },
});
