/**
 * @module
 * `git_status`: the branch, its upstream, and every changed file with its staged and unstaged
 * state, from `git status --porcelain=v2 -z` (stable, machine-readable, any file name).
 */
import { jsonSize, structured } from '@plugboard/protocol';
import { z } from 'zod';
import { defineTool, openRepo } from '../context.js';
import { safeLine, splitNul } from '../render.js';
import { check, continuation, offsetField, pageWithin, READ_ONLY, repoPath } from './common.js';

const STATES = {
  '.': 'unmodified',
  M: 'modified',
  T: 'type_changed',
  A: 'added',
  D: 'deleted',
  R: 'renamed',
  C: 'copied',
  U: 'unmerged',
} as const;

const CONFLICTS = {
  DD: 'both_deleted',
  AU: 'added_by_us',
  UD: 'deleted_by_them',
  UA: 'added_by_them',
  DU: 'deleted_by_us',
  AA: 'both_added',
  UU: 'both_modified',
} as const;

const stateSchema = z.enum([...Object.values(STATES), 'untracked', 'ignored']);

const fileSchema = z.object({
  path: z.string(),
  orig_path: z.string().optional(),
  index: stateSchema.describe('Staged state'),
  worktree: stateSchema.describe('Unstaged state'),
  conflict: z.enum(Object.values(CONFLICTS) as [string, ...string[]]).optional(),
});

type FileStatus = z.infer<typeof fileSchema>;
type State = z.infer<typeof stateSchema>;

export interface StatusReport {
  branch: string | null;
  detached: boolean;
  commit: string | null;
  upstream: string | null;
  ahead: number | null;
  behind: number | null;
  files: FileStatus[];
}

function state(code: string | undefined): State {
  return STATES[(code ?? '.') as keyof typeof STATES] ?? 'modified';
}

/** Parses `git status --porcelain=v2 --branch -z`. */
export function parseStatus(output: string): StatusReport {
  const report: StatusReport = {
    branch: null,
    detached: false,
    commit: null,
    upstream: null,
    ahead: null,
    behind: null,
    files: [],
  };
  const records = splitNul(output);
  for (let index = 0; index < records.length; index++) {
    const record = records[index]!;
    if (record.startsWith('# ')) {
      const [key, ...rest] = record.slice(2).split(' ');
      const value = rest.join(' ');
      if (key === 'branch.oid') report.commit = value === '(initial)' ? null : value;
      else if (key === 'branch.head') {
        report.detached = value === '(detached)';
        report.branch = report.detached ? null : value;
      } else if (key === 'branch.upstream') report.upstream = value;
      else if (key === 'branch.ab') {
        const match = /^\+(\d+) -(\d+)$/.exec(value);
        if (match !== null) {
          report.ahead = Number(match[1]);
          report.behind = Number(match[2]);
        }
      }
      continue;
    }
    const kind = record[0];
    if (kind === '?' || kind === '!') {
      const which = kind === '?' ? 'untracked' : 'ignored';
      report.files.push({ path: record.slice(2), index: which, worktree: which });
      continue;
    }
    const fieldCount = kind === '1' ? 8 : kind === '2' ? 9 : kind === 'u' ? 10 : 0;
    if (fieldCount === 0) continue;
    const parts = record.split(' ');
    const xy = parts[1] ?? '..';
    const file: FileStatus = {
      path: parts.slice(fieldCount).join(' '),
      index: state(xy[0]),
      worktree: state(xy[1]),
    };
    if (kind === '2') file.orig_path = records[++index] ?? '';
    if (kind === 'u') file.conflict = CONFLICTS[xy as keyof typeof CONFLICTS] ?? 'both_modified';
    report.files.push(file);
  }
  return report;
}

const CODES: Record<State, string> = {
  unmodified: ' ',
  modified: 'M',
  type_changed: 'T',
  added: 'A',
  deleted: 'D',
  renamed: 'R',
  copied: 'C',
  unmerged: 'U',
  untracked: '?',
  ignored: '!',
};

function fileLine(file: FileStatus): string {
  const rename = file.orig_path === undefined ? '' : ` <- ${safeLine(file.orig_path)}`;
  return `${CODES[file.index]}${CODES[file.worktree]} ${safeLine(file.path)}${rename}`;
}

function headLine(report: StatusReport): string {
  const name =
    report.branch === null
      ? `HEAD detached at ${report.commit?.slice(0, 7) ?? '?'}`
      : safeLine(report.branch);
  const upstream = report.upstream === null ? '' : `...${safeLine(report.upstream)}`;
  const counts = [
    report.ahead ? `ahead ${report.ahead}` : '',
    report.behind ? `behind ${report.behind}` : '',
  ]
    .filter((part) => part !== '')
    .join(', ');
  const noCommits = report.commit === null && !report.detached ? ' (no commits yet)' : '';
  return `## ${name}${upstream}${counts === '' ? '' : ` [${counts}]`}${noCommits}`;
}

export const gitStatus = defineTool({
  name: 'git_status',
  title: 'Working tree status',
  description:
    'Shows the current branch, its upstream (ahead/behind) and every staged, unstaged, untracked or conflicted file. ' +
    'Text uses the short status codes (XY path); long lists are paged with offset.',
  input: z.object({ repo_path: repoPath, offset: offsetField }),
  output: z.object({
    branch: z.string().nullable(),
    detached: z.boolean(),
    commit: z.string().nullable(),
    upstream: z.string().nullable(),
    ahead: z.number().nullable(),
    behind: z.number().nullable(),
    clean: z.boolean(),
    files: z.array(fileSchema),
    total_files: z.number(),
    truncated: z.boolean(),
    next_offset: z.number().optional(),
  }),
  annotations: READ_ONLY,
  auditTarget: ['repo_path'],
  async run({ repo_path, offset = 0 }, ctx) {
    const repo = await openRepo(ctx, repo_path);
    const output = check(
      await repo.run(['status', '--porcelain=v2', '--branch', '-z', '--untracked-files=normal'], {
        env: { GIT_OPTIONAL_LOCKS: '0' },
      }),
      'git status',
    );
    const report = parseStatus(output.stdout.toString('utf8'));
    const page = pageWithin(report.files, offset, ctx.config.outputBudget - 1024, jsonSize);
    const data = {
      ...report,
      clean: report.files.length === 0,
      files: page.items,
      total_files: report.files.length,
      truncated: page.truncated,
      ...(page.next_offset === undefined ? {} : { next_offset: page.next_offset }),
    };
    const lines = [headLine(report), ...page.items.map(fileLine)];
    if (report.files.length === 0) lines.push('nothing to commit, working tree clean');
    const more = continuation(page, `${report.files.length - (page.next_offset ?? 0)} more files`);
    return structured(data, lines.join('\n') + more);
  },
});
