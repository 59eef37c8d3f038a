/**
 * @module
 * The unified diff edit_file returns, in bounded time. Myers' algorithm (the `diff` library)
 * costs (lines × differences), which is quadratic when an edit changes every line (replaceAll on a
 * 10,000-line file); so it runs only with an edit-length bound that keeps that product under
 * {@link DIFF_WORK}. Past the bound the diff is built in linear time instead: the common first
 * and last lines are kept as context, and the lines between are paired in order when both sides
 * have as many (the usual shape of a replaceAll), or shown as removed then added. Either way the
 * result is a correct unified diff, only sometimes not the shortest one.
 */
import type { StructuredPatch, StructuredPatchHunk } from 'diff';

/** Most (lines × edit length) steps the exact diff may take: tens of milliseconds at most. */
export const DIFF_WORK = 4_000_000;
const CONTEXT = 4;
const NO_NEWLINE = '\\ No newline at end of file';

type Operation = ' ' | '-' | '+';

interface Line {
  readonly op: Operation;
  readonly text: string;
  /** The last line of its side, without a final newline. */
  readonly unterminated: boolean;
}

/** The lines of `text`, each with its newline (the last may have none). */
function splitLines(text: string): string[] {
  return text === '' ? [] : text.split(/(?<=\n)/);
}

/** The whole file as context, removals and additions, in linear time. */
function linearLines(before: string, after: string): Line[] {
  const old = splitLines(before);
  const now = splitLines(after);
  let head = 0;
  while (head < old.length && head < now.length && old[head] === now[head]) head++;
  let tail = 0;
  while (
    tail < old.length - head &&
    tail < now.length - head &&
    old[old.length - 1 - tail] === now[now.length - 1 - tail]
  )
    tail++;
  const lines: Line[] = [];
  const push = (op: Operation, piece: string): void => {
    const unterminated = !piece.endsWith('\n');
    lines.push({ op, text: unterminated ? piece : piece.slice(0, -1), unterminated });
  };
  for (let index = 0; index < head; index++) push(' ', old[index]!);
  const oldEnd = old.length - tail;
  const newEnd = now.length - tail;
  if (oldEnd === newEnd) {
    for (let index = head; index < oldEnd;) {
      let end = index;
      while (end < oldEnd && old[end] !== now[end]) end++;
      if (end === index) {
        push(' ', old[index]!);
        index++;
        continue;
      }
      for (let at = index; at < end; at++) push('-', old[at]!);
      for (let at = index; at < end; at++) push('+', now[at]!);
      index = end;
    }
  } else {
    for (let index = head; index < oldEnd; index++) push('-', old[index]!);
    for (let index = head; index < newEnd; index++) push('+', now[index]!);
  }
  for (let index = oldEnd; index < old.length; index++) push(' ', old[index]!);
  return lines;
}

/** Groups changed lines into hunks with {@link CONTEXT} lines of context. */
function hunksOf(lines: readonly Line[]): StructuredPatchHunk[] {
  const hunks: StructuredPatchHunk[] = [];
  let oldLine = 1;
  let newLine = 1;
  let current: StructuredPatchHunk | undefined;
  let trailing = 0;
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    if (line.op === ' ') {
      if (current !== undefined) {
        let nextChange = index;
        while (nextChange < lines.length && lines[nextChange]!.op === ' ') nextChange++;
        if (trailing >= CONTEXT && (nextChange - index > CONTEXT || nextChange === lines.length)) {
          hunks.push(current);
          current = undefined;
        }
      }
      if (current !== undefined) {
        current.lines.push(` ${line.text}`);
        if (line.unterminated) current.lines.push(NO_NEWLINE);
        current.oldLines++;
        current.newLines++;
        trailing++;
      }
      oldLine++;
      newLine++;
      continue;
    }
    if (current === undefined) {
      let start = index;
      while (start > 0 && index - start < CONTEXT && lines[start - 1]!.op === ' ') start--;
      const back = index - start;
      current = {
        oldStart: oldLine - back,
        oldLines: back,
        newStart: newLine - back,
        newLines: back,
        lines: [],
      };
      for (let at = start; at < index; at++) current.lines.push(` ${lines[at]!.text}`);
    }
    trailing = 0;
    current.lines.push(`${line.op}${line.text}`);
    if (line.unterminated) current.lines.push(NO_NEWLINE);
    if (line.op === '-') {
      current.oldLines++;
      oldLine++;
    } else {
      current.newLines++;
      newLine++;
    }
  }
  if (current !== undefined) hunks.push(current);
  return hunks;
}

/** A unified diff of `before` and `after`, labelled `name`, computed within `work` steps. */
export async function unifiedDiff(
  name: string,
  before: string,
  after: string,
  work: number = DIFF_WORK,
): Promise<string> {
  const { formatPatch, structuredPatch } = await import('diff');
  const lineCount = (before.match(/\n/g)?.length ?? 0) + (after.match(/\n/g)?.length ?? 0) + 2;
  const maxEditLength = Math.max(1, Math.floor(work / lineCount));
  const exact = structuredPatch(name, name, before, after, 'original', 'modified', {
    maxEditLength,
  });
  const patch: StructuredPatch = exact ?? {
    oldFileName: name,
    newFileName: name,
    oldHeader: 'original',
    newHeader: 'modified',
    hunks: hunksOf(linearLines(before, after)),
  };
  return formatPatch(patch);
}
