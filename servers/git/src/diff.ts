/**
 * @module
 * Diffs under an output budget: per-file statistics for every file (from `--numstat -z`), and the
 * patch read only as far as the requested page (git is stopped past it, so a huge diff costs
 * the page, not the diff). External diff drivers and textconv are always off.
 */
import { jsonSize } from '@plugboard/protocol';
import { z } from 'zod';
import { safeLine, sliceBytes } from './render.js';
import type { Repository } from './repository.js';
import { check, pageWithin } from './tools/common.js';

export const diffFileSchema = z.object({
  path: z.string(),
  orig_path: z.string().optional(),
  additions: z.number().nullable(),
  deletions: z.number().nullable(),
  binary: z.boolean(),
});

export type DiffFile = z.infer<typeof diffFileSchema>;

/** The structured-output fields every diff result has. */
export const diffShape = {
  files: z.array(diffFileSchema),
  total_files: z.number(),
  additions: z.number(),
  deletions: z.number(),
  files_truncated: z.boolean().describe('The file list was cut to fit; narrow with paths'),
  patch: z.string(),
  offset: z.number(),
  truncated: z.boolean(),
  next_offset: z.number().optional().describe('Pass as offset for the rest of the patch'),
};

export interface DiffData {
  files: DiffFile[];
  total_files: number;
  additions: number;
  deletions: number;
  files_truncated: boolean;
  patch: string;
  offset: number;
  truncated: boolean;
  next_offset?: number;
}

/** Parses `--numstat -z`: `A TAB D TAB path NUL`, or `A TAB D TAB NUL old NUL new NUL` for renames. */
export function parseNumstat(output: string): DiffFile[] {
  return splitNumstat(Buffer.from(output, 'utf8')).files;
}

/**
 * Splits the output of `--numstat -z -p`: NUL-terminated statistics records, an empty record,
 * then the patch. Output cut before the patch began yields the records read so far.
 */
export function splitNumstat(buffer: Buffer): {
  files: DiffFile[];
  patch: Buffer;
  complete: boolean;
} {
  const files: DiffFile[] = [];
  let position = 0;
  const field = (): string | undefined => {
    const end = buffer.indexOf(0, position);
    if (end === -1) return undefined;
    const text = buffer.subarray(position, end).toString('utf8');
    position = end + 1;
    return text;
  };
  while (position < buffer.length) {
    if (buffer[position] === 0)
      return { files, patch: buffer.subarray(position + 1), complete: true };
    const record = field();
    if (record === undefined) break;
    const match = /^(-|\d+)\t(-|\d+)\t([\s\S]*)$/.exec(record);
    if (match === null) break;
    const binary = match[1] === '-';
    const counts = {
      additions: binary ? null : Number(match[1]),
      deletions: binary ? null : Number(match[2]),
      binary,
    };
    if (match[3] !== '') {
      files.push({ path: match[3]!, ...counts });
      continue;
    }
    const origPath = field();
    const path = field();
    if (origPath === undefined || path === undefined) break;
    files.push({ path, orig_path: origPath, ...counts });
  }
  return { files, patch: Buffer.alloc(0), complete: position >= buffer.length };
}

export interface DiffRequest {
  /** The command and what it compares, e.g. `['diff', '--cached']` or `['show', '--format=', oid]`. */
  command: readonly string[];
  contextLines: number;
  paths: readonly string[];
  offset: number;
  budget: number;
}

const SAFE_DIFF = ['--no-ext-diff', '--no-textconv', '--no-color', '-M'] as const;

/** Room for the statistics that precede the patch in the one git call a diff takes. */
const STATS_ALLOWANCE = 8 * 1024 * 1024;

/** Statistics and one page of the patch for `request`, from a single git process. */
export async function collectDiff(repo: Repository, request: DiffRequest): Promise<DiffData> {
  const [command, ...selectors] = request.command;
  const args = [
    command!,
    ...SAFE_DIFF,
    '--numstat',
    '-z',
    '-p',
    `--unified=${request.contextLines}`,
    ...selectors,
  ];
  const output = check(
    await repo.run([...args, '--', ...request.paths], {
      maxBytes: STATS_ALLOWANCE + request.offset + request.budget + 1,
    }),
    `git ${command}`,
  );
  const { files, patch, complete } = splitNumstat(output.stdout);
  const filesPage = pageWithin(files, 0, Math.floor(request.budget / 4), jsonSize);
  let additions = 0;
  let deletions = 0;
  for (const file of files) {
    additions += file.additions ?? 0;
    deletions += file.deletions ?? 0;
  }
  const patchBudget = Math.max(1024, request.budget - jsonSize(filesPage.items) - 1024);
  const start = Math.min(request.offset, patch.length);
  const { text, end } = sliceBytes(patch, start, patchBudget);
  const more = end < patch.length || output.truncated;
  return {
    files: filesPage.items,
    total_files: files.length,
    additions,
    deletions,
    files_truncated: filesPage.truncated || (output.truncated && !complete),
    patch: text,
    offset: start,
    truncated: more,
    ...(more ? { next_offset: end } : {}),
  };
}

function fileLine(file: DiffFile): string {
  const counts = file.binary ? 'binary' : `+${file.additions ?? 0} -${file.deletions ?? 0}`;
  const rename = file.orig_path === undefined ? '' : ` (from ${safeLine(file.orig_path)})`;
  return ` ${counts.padEnd(11)} ${safeLine(file.path)}${rename}`;
}

/** The text rendering: a stat summary, the file list on the first page, then the patch. */
export function renderDiff(data: DiffData, empty: string): string {
  if (data.total_files === 0 && data.patch === '') return empty;
  const lines = [
    `${data.total_files} file${data.total_files === 1 ? '' : 's'} changed, ${data.additions} insertion${data.additions === 1 ? '' : 's'}(+), ${data.deletions} deletion${data.deletions === 1 ? '' : 's'}(-)`,
  ];
  if (data.offset === 0) {
    lines.push(...data.files.map(fileLine));
    if (data.files_truncated)
      lines.push(` … ${data.total_files - data.files.length} more files (narrow with paths)`);
  } else {
    lines.push(`(patch from byte ${data.offset})`);
  }
  let text = `${lines.join('\n')}\n\n${data.patch}`;
  if (data.truncated && data.next_offset !== undefined) {
    text += `${data.patch.endsWith('\n') ? '' : '\n'}[truncated: the patch continues; call again with offset=${data.next_offset}, or narrow with paths]`;
  }
  return text;
}
