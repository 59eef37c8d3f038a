/**
 * @module
 * Reading history: `git_log` (commits with hash, author, date and subject, filtered by time,
 * revision and path), `git_show` (a commit with its patch, a file at a revision, or a tree), and
 * `git_blame` (who last changed each line).
 */
import { jsonSize, structured, ToolError } from '@plugboard/protocol';
import { z } from 'zod';
import { defineTool, openRepo } from '../context.js';
import { collectDiff, diffFileSchema, renderDiff } from '../diff.js';
import { safeLine, shortHash, sliceBytes, splitNul } from '../render.js';
import {
  objectType,
  rejectOption,
  resolveRevision,
  worktreePath,
  worktreePaths,
} from '../validate.js';
import {
  check,
  continuation,
  maxCountField,
  offsetField,
  pageWithin,
  READ_ONLY,
  repoPath,
  skipField,
} from './common.js';
import { contextLines, pathsFilter } from './diff.js';

const commitSchema = z.object({
  hash: z.string(),
  author_name: z.string(),
  author_email: z.string(),
  date: z.string().describe('Author date, ISO 8601'),
  subject: z.string(),
});

type Commit = z.infer<typeof commitSchema>;

const LOG_FORMAT = '--format=%H%x00%an%x00%ae%x00%aI%x00%s';

/** Parses `git log -z` with {@link LOG_FORMAT}: five NUL-separated fields per commit. */
export function parseLog(output: string): Commit[] {
  const fields = splitNul(output);
  const commits: Commit[] = [];
  for (let index = 0; index + 4 < fields.length; index += 5) {
    commits.push({
      hash: fields[index]!.replace(/^\n/, ''),
      author_name: fields[index + 1]!,
      author_email: fields[index + 2]!,
      date: fields[index + 3]!,
      subject: fields[index + 4]!,
    });
  }
  return commits;
}

function checkDate(value: string | undefined, field: string): string | undefined {
  if (value === undefined) return undefined;
  rejectOption(value, field);
  if (value.length > 100) throw new ToolError(`${field} is too long for a date.`);
  return value;
}

function commitLine(commit: Commit): string {
  return `${shortHash(commit.hash)} ${commit.date.slice(0, 10)} ${safeLine(commit.author_name)}: ${safeLine(commit.subject)}`;
}

export const gitLog = defineTool({
  name: 'git_log',
  title: 'Commit history',
  description:
    'Lists commits newest first with hash, author, ISO date and subject. Filter by time (start_timestamp/end_timestamp ' +
    'accept ISO 8601, "2 weeks ago", "2024-01-15"), by revision and by paths; page with skip.',
  input: z.object({
    repo_path: repoPath,
    max_count: maxCountField('commits', 10),
    start_timestamp: z
      .string()
      .optional()
      .describe(
        'Only commits after this time: ISO 8601 ("2024-01-15T14:30:25"), relative ("2 weeks ago") or a date ("2024-01-15")',
      ),
    end_timestamp: z
      .string()
      .optional()
      .describe('Only commits before this time, same formats as start_timestamp'),
    revision: z.string().optional().describe('Branch, tag or commit to start from (default HEAD)'),
    paths: pathsFilter,
    skip: skipField('commits'),
  }),
  output: z.object({
    commits: z.array(commitSchema),
    truncated: z.boolean().describe('True when the output budget cut the list short'),
    next_skip: z
      .number()
      .optional()
      .describe('Pass as skip to get the following commits, when there are more'),
  }),
  annotations: READ_ONLY,
  auditTarget: ['repo_path', 'revision'],
  async run(args, ctx) {
    const repo = await openRepo(ctx, args.repo_path);
    const maxCount = args.max_count ?? 10;
    const skip = args.skip ?? 0;
    const since = checkDate(args.start_timestamp, 'start_timestamp');
    const until = checkDate(args.end_timestamp, 'end_timestamp');
    const paths = args.paths === undefined ? [] : await worktreePaths(repo, args.paths, 'paths');
    // HEAD by name, not resolved first: one git process per call. It is git's own ref.
    const start =
      args.revision === undefined ? 'HEAD' : await resolveRevision(repo, args.revision, 'revision');
    const command = ['log', '-z', LOG_FORMAT, `--max-count=${maxCount + 1}`, `--skip=${skip}`];
    if (since !== undefined) command.push(`--since=${since}`);
    if (until !== undefined) command.push(`--until=${until}`);
    command.push(start, '--', ...paths);
    const output = await repo.run(command);
    if (
      output.exitCode !== 0 &&
      args.revision === undefined &&
      /does not have any commits|unknown revision|bad revision 'HEAD'/.test(output.stderr)
    ) {
      return structured({ commits: [], truncated: false }, 'No commits yet.');
    }
    const all = parseLog(check(output, 'git log').stdout.toString('utf8'));
    const more = all.length > maxCount;
    const commits = all.slice(0, maxCount);
    const page = pageWithin(commits, 0, ctx.config.outputBudget - 1024, jsonSize);
    const next = page.truncated
      ? skip + page.items.length
      : more
        ? skip + commits.length
        : undefined;
    const data = {
      commits: page.items,
      truncated: page.truncated,
      ...(next === undefined ? {} : { next_skip: next }),
    };
    const lines = page.items.map(commitLine);
    if (lines.length === 0) lines.push('No commits match.');
    if (next !== undefined) lines.push(`[more commits: call again with skip=${next}]`);
    return structured(data, lines.join('\n'));
  },
});

const SHOW_FORMAT = '--format=%H%x00%P%x00%an%x00%ae%x00%aI%x00%cn%x00%ce%x00%cI%x00%B';

const showCommitSchema = z.object({
  hash: z.string(),
  parents: z.array(z.string()),
  author_name: z.string(),
  author_email: z.string(),
  author_date: z.string(),
  committer_name: z.string(),
  committer_email: z.string(),
  committer_date: z.string(),
  message: z.string(),
});

const treeEntrySchema = z.object({
  mode: z.string(),
  type: z.string(),
  hash: z.string(),
  path: z.string(),
});

const showOutput = z.object({
  object_type: z.enum(['commit', 'tree', 'blob']),
  hash: z.string(),
  commit: showCommitSchema.optional(),
  files: z.array(diffFileSchema).optional(),
  total_files: z.number().optional(),
  additions: z.number().optional(),
  deletions: z.number().optional(),
  files_truncated: z.boolean().optional(),
  patch: z.string().optional(),
  content: z.string().optional(),
  binary: z.boolean().optional(),
  size: z.number().optional(),
  entries: z.array(treeEntrySchema).optional(),
  offset: z.number(),
  truncated: z.boolean(),
  next_offset: z.number().optional(),
});

type ShowData = z.infer<typeof showOutput>;

function parseCommitDetails(text: string): z.infer<typeof showCommitSchema> {
  const [
    hash = '',
    parents = '',
    an = '',
    ae = '',
    ad = '',
    cn = '',
    ce = '',
    cd = '',
    ...message
  ] = text.split('\0');
  return {
    hash: hash.trim(),
    parents: parents.split(' ').filter((parent) => parent !== ''),
    author_name: an,
    author_email: ae,
    author_date: ad,
    committer_name: cn,
    committer_email: ce,
    committer_date: cd,
    message: message.join('').trimEnd(),
  };
}

export const gitShow = defineTool({
  name: 'git_show',
  title: 'Show a commit or file',
  description:
    'Shows a commit (author, dates, full message, per-file stats and the patch against its first parent), or with ' +
    '"REV:path" a file as it was at that revision, or a tree listing. Large output is paged by offset.',
  input: z.object({
    repo_path: repoPath,
    revision: z
      .string()
      .min(1)
      .describe(
        'Commit, branch or tag ("HEAD", "v1.2", "a1b2c3d"), or "REV:path" for a file at a revision',
      ),
    context_lines: contextLines,
    paths: pathsFilter,
    offset: offsetField,
  }),
  output: showOutput,
  annotations: READ_ONLY,
  auditTarget: ['repo_path', 'revision'],
  async run(args, ctx) {
    const repo = await openRepo(ctx, args.repo_path);
    const budget = ctx.config.outputBudget;
    const offset = args.offset ?? 0;
    let oid = await resolveRevision(repo, args.revision, 'revision', 'object');
    let type = await objectType(repo, oid);
    if (type === 'tag') {
      oid = await resolveRevision(repo, oid, 'revision', 'commit');
      type = 'commit';
    }
    if (type === 'commit') {
      const details = check(
        await repo.run(['show', '-s', SHOW_FORMAT, oid], { maxBytes: budget / 4 }),
        'git show',
      );
      const commit = parseCommitDetails(details.stdout.toString('utf8'));
      const paths = args.paths === undefined ? [] : await worktreePaths(repo, args.paths, 'paths');
      const diff = await collectDiff(repo, {
        command: ['show', '--format=', '--diff-merges=first-parent', oid],
        contextLines: args.context_lines ?? 3,
        paths,
        offset,
        budget: budget - Buffer.byteLength(commit.message) - 1024,
      });
      const header = [
        `commit ${commit.hash}${commit.parents.length > 1 ? ` (merge of ${commit.parents.map(shortHash).join(' ')})` : ''}`,
        `Author: ${safeLine(commit.author_name)} <${safeLine(commit.author_email)}>`,
        `Date:   ${commit.author_date}`,
        '',
        ...commit.message.split('\n').map((line) => `    ${line}`),
        '',
      ].join('\n');
      const data: ShowData = { object_type: 'commit', hash: oid, commit, ...diff };
      return structured(data, `${header}\n${renderDiff(diff, '(no changes)')}`);
    }
    if (type === 'blob') {
      const size = Number(
        check(await repo.run(['cat-file', '-s', oid]), 'git cat-file')
          .stdout.toString('utf8')
          .trim(),
      );
      const blob = check(
        await repo.run(['cat-file', 'blob', oid], { maxBytes: offset + budget + 1 }),
        'git cat-file',
      );
      const binary = blob.stdout.subarray(0, 8000).includes(0);
      if (binary) {
        const data: ShowData = {
          object_type: 'blob',
          hash: oid,
          binary: true,
          size,
          offset: 0,
          truncated: false,
        };
        return structured(data, `Binary file, ${size} bytes (${oid}).`);
      }
      const { text, end } = sliceBytes(
        blob.stdout,
        Math.min(offset, blob.stdout.length),
        budget - 1024,
      );
      const more = end < size;
      const data: ShowData = {
        object_type: 'blob',
        hash: oid,
        content: text,
        binary: false,
        size,
        offset,
        truncated: more,
        ...(more ? { next_offset: end } : {}),
      };
      const tail = more
        ? `\n[truncated: ${size - end} more bytes; call again with offset=${end}]`
        : '';
      return structured(data, text + tail);
    }
    if (type === 'tree') {
      const listing = check(await repo.run(['ls-tree', '-z', oid]), 'git ls-tree').stdout.toString(
        'utf8',
      );
      const entries = splitNul(listing).map((line) => {
        const tab = line.indexOf('\t');
        const [mode = '', kind = '', hash = ''] = line.slice(0, tab).split(' ');
        return { mode, type: kind, hash, path: line.slice(tab + 1) };
      });
      const page = pageWithin(entries, offset, budget - 1024, jsonSize);
      const data: ShowData = {
        object_type: 'tree',
        hash: oid,
        entries: page.items,
        offset,
        truncated: page.truncated,
        ...(page.next_offset === undefined ? {} : { next_offset: page.next_offset }),
      };
      const lines = page.items.map(
        (entry) =>
          `${entry.type.padEnd(6)} ${safeLine(entry.path)}${entry.type === 'tree' ? '/' : ''}`,
      );
      return structured(data, lines.join('\n') + continuation(page, 'more entries'));
    }
    throw new ToolError(`revision names a ${type} object, which git_show does not display.`);
  },
});

const blameLineSchema = z.object({
  line: z.number(),
  hash: z.string(),
  author: z.string(),
  date: z.string().describe('Author date, ISO 8601'),
  summary: z.string().describe('Subject of the commit'),
  content: z.string(),
});

type BlameLine = z.infer<typeof blameLineSchema>;

/** Parses `git blame --porcelain`: commit headers appear once, later lines refer back to them. */
export function parseBlame(output: string): BlameLine[] {
  const commits = new Map<string, { author: string; time: number; tz: string; summary: string }>();
  const lines: BlameLine[] = [];
  let current: { hash: string; line: number } | undefined;
  for (const raw of output.split('\n')) {
    if (raw.startsWith('\t')) {
      if (current === undefined) continue;
      const info = commits.get(current.hash) ?? { author: '', time: 0, tz: '+0000', summary: '' };
      lines.push({
        line: current.line,
        hash: current.hash,
        author: info.author,
        date: new Date(info.time * 1000).toISOString(),
        summary: info.summary,
        content: raw.slice(1),
      });
      current = undefined;
      continue;
    }
    const header = /^([0-9a-f]{40,64}) \d+ (\d+)/.exec(raw);
    if (header !== null) {
      current = { hash: header[1]!, line: Number(header[2]) };
      if (!commits.has(current.hash))
        commits.set(current.hash, { author: '', time: 0, tz: '+0000', summary: '' });
      continue;
    }
    if (current === undefined) continue;
    const info = commits.get(current.hash)!;
    const space = raw.indexOf(' ');
    const key = space === -1 ? raw : raw.slice(0, space);
    const value = space === -1 ? '' : raw.slice(space + 1);
    if (key === 'author') info.author = value;
    else if (key === 'author-time') info.time = Number(value);
    else if (key === 'summary') info.summary = value;
  }
  return lines;
}

export const gitBlame = defineTool({
  name: 'git_blame',
  title: 'Blame a file',
  description:
    'Shows, for each line of a file (optionally a line range and a past revision), the commit, author and date that last ' +
    'changed it. Long files are paged: continue with start_line.',
  input: z.object({
    repo_path: repoPath,
    file: z.string().min(1).describe('File path relative to the work tree'),
    revision: z
      .string()
      .optional()
      .describe('Blame the file as of this commit, branch or tag (default: the work tree)'),
    start_line: z.number().int().min(1).optional().describe('First line to blame (default 1)'),
    end_line: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe('Last line to blame (default: end of file)'),
  }),
  output: z.object({
    lines: z.array(blameLineSchema),
    truncated: z.boolean(),
    next_start_line: z.number().optional().describe('Pass as start_line to continue'),
  }),
  annotations: READ_ONLY,
  auditTarget: ['repo_path', 'revision', 'file'],
  async run(args, ctx) {
    const repo = await openRepo(ctx, args.repo_path);
    const file = await worktreePath(repo, args.file, 'file');
    const start = args.start_line ?? 1;
    if (args.end_line !== undefined && args.end_line < start)
      throw new ToolError('end_line is before start_line.');
    const command = ['blame', '--porcelain', '--no-textconv', `-L${start},${args.end_line ?? ''}`];
    if (args.revision !== undefined)
      command.push(await resolveRevision(repo, args.revision, 'revision'));
    command.push('--', file);
    const lines = parseBlame(check(await repo.run(command), 'git blame').stdout.toString('utf8'));
    const page = pageWithin(lines, 0, ctx.config.outputBudget - 1024, jsonSize);
    const last = page.items.at(-1);
    const next = page.truncated && last !== undefined ? last.line + 1 : undefined;
    const data = {
      lines: page.items,
      truncated: page.truncated,
      ...(next === undefined ? {} : { next_start_line: next }),
    };
    const text = page.items
      .map(
        (line) =>
          `${shortHash(line.hash)} (${safeLine(line.author).slice(0, 20).padEnd(20)} ${line.date.slice(0, 10)} ${String(line.line).padStart(5)}) ${safeLine(line.content)}`,
      )
      .join('\n');
    return structured(
      data,
      text + (next === undefined ? '' : `\n[truncated: call again with start_line=${next}]`),
    );
  },
});
