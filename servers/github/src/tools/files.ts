/**
 * @module
 * Files: read (large files by line range), write one file, or commit several at once. Writes
 * under `.github/workflows/` (code that runs in CI) and straight to the default branch need the
 * operator's explicit permission; a symbolic link is never silently replaced by a file; push_files
 * never force-updates the branch.
 */
import { structured, ToolError, utf8Length } from '@plugboard/protocol';
import { z } from 'zod';
import { readContents } from '../contents.js';
import { call, defineTool } from '../context.js';
import {
  continuation,
  cursorField,
  decodeOffset,
  lineWindow,
  pageFields,
  pagedShape,
  sliceWithin,
} from '../paging.js';
import { defined, shortSha, sizeOf, untrusted } from '../render.js';
import { sanitizeLine } from '../sanitize.js';
import { checkRef, checkRepoPath } from '../validate.js';
import { itemBudget, owner, READ, repo, UPDATE } from './common.js';
import { guardDefaultBranch, guardWorkflowPath, oneFileCommit } from './write-guards.js';

const MAX_PUSH_FILES = 100;
const MAX_PUSH_BYTES = 20 * 1024 * 1024;

const dirEntry = z.object({
  name: z.string(),
  path: z.string(),
  type: z.string(),
  size: z.number(),
});

export const getFileContents = defineTool({
  name: 'get_file_contents',
  title: 'Get file or directory contents',
  description:
    'Read a file (by line range when large) or list a directory. Returns the sha create_or_update_file needs; binary files are not shown.',
  input: z.object({
    owner,
    repo,
    path: z.string().describe('File or directory path ("" for the root)'),
    branch: z.string().optional().describe('Branch, tag or commit (default: default branch)'),
    startLine: z.number().int().min(1).optional().describe('First line to return'),
    endLine: z.number().int().min(1).optional().describe('Last line to return'),
    cursor: cursorField,
  }),
  output: z.object({
    type: z.enum(['file', 'dir', 'symlink', 'submodule']),
    path: z.string(),
    sha: z.string().optional(),
    size: z.number().optional(),
    binary: z.boolean().optional(),
    content: z.string().optional(),
    startLine: z.number().optional(),
    endLine: z.number().optional(),
    totalLines: z.number().optional(),
    nextStartLine: z.number().optional(),
    target: z.string().optional(),
    entries: z.array(dirEntry).optional(),
    ...pagedShape,
  }),
  toolset: ['repos', 'default'],
  annotations: READ,
  auditTarget: ['owner', 'repo', 'path', 'branch'],
  async run(args, ctx) {
    const target = await ctx.policy.target(ctx, args.owner, args.repo, 'read');
    const path = checkRepoPath(args.path, 'path', true);
    const gitRef = args.branch === undefined ? undefined : checkRef(args.branch, 'branch');
    const contents = await readContents(ctx, target, path, gitRef);
    const where = `${target.owner}/${target.repo}/${path}${gitRef === undefined ? '' : ` @ ${gitRef}`}`;
    switch (contents.kind) {
      case 'dir': {
        const entries = contents.entries.map((entry) => ({
          ...entry,
          name: sanitizeLine(entry.name, 300),
          path: sanitizeLine(entry.path, 1000),
        }));
        const paged = sliceWithin(entries, decodeOffset(args.cursor), itemBudget(ctx), sizeOf);
        const lines = paged.items.map((entry) =>
          entry.type === 'dir' ? `${entry.name}/` : `${entry.name} (${entry.size} B)`,
        );
        return structured(
          { type: 'dir' as const, path, entries: paged.items, ...pageFields(paged) },
          `Directory ${where}:\n${lines.length === 0 ? '(empty)' : lines.join('\n')}${continuation(paged, 'entries')}`,
        );
      }
      case 'symlink':
        return structured(
          {
            type: 'symlink' as const,
            path,
            sha: contents.sha,
            target: contents.target,
            truncated: false,
          },
          `${where} is a symbolic link to ${contents.target}`,
        );
      case 'submodule':
        return structured(
          {
            type: 'submodule' as const,
            path,
            sha: contents.sha,
            target: contents.url,
            truncated: false,
          },
          `${where} is a submodule: ${contents.url} at ${contents.sha}`,
        );
      case 'file':
        break;
    }
    if (contents.text === undefined)
      return structured(
        {
          type: 'file' as const,
          path,
          sha: contents.sha,
          size: contents.size,
          binary: true,
          truncated: false,
        },
        `${where} is a binary file (${contents.size} bytes, sha ${contents.sha}); its content is not shown.`,
      );
    const lines = contents.text.split('\n');
    if (lines.at(-1) === '') lines.pop();
    if (args.startLine !== undefined && args.startLine > lines.length)
      throw new ToolError(`startLine: ${path} has only ${lines.length} lines.`);
    const first = args.startLine ?? 1;
    const last = Math.min(args.endLine ?? lines.length, lines.length);
    if (args.endLine !== undefined && args.endLine < first)
      throw new ToolError('endLine: must not be before startLine.');
    const window = lineWindow(lines, first, last, itemBudget(ctx));
    const { end, cut } = window;
    // The file's own final newline (or its absence) is kept when the window reaches the end.
    const content =
      end === lines.length && !contents.text.endsWith('\n')
        ? window.content.replace(/\n$/, '')
        : window.content;
    const whole = first === 1 && end === lines.length && !cut;
    const data = defined({
      type: 'file' as const,
      path,
      sha: contents.sha,
      size: contents.size,
      content,
      startLine: whole ? undefined : first,
      endLine: whole ? undefined : end,
      totalLines: lines.length,
      nextStartLine: cut && end < lines.length ? end + 1 : undefined,
      truncated: cut,
    });
    const range = whole ? `${lines.length} lines` : `lines ${first}-${end} of ${lines.length}`;
    return structured(
      data,
      `${where} (sha ${contents.sha}, ${range})\n${untrusted('file', content)}` +
        (cut && end < lines.length ? `\n(more lines: call again with startLine ${end + 1})` : ''),
    );
  },
});

export const createOrUpdateFile = defineTool({
  name: 'create_or_update_file',
  title: 'Create or update file',
  description:
    'Create or replace one file on a branch in a commit. Default-branch and workflow-file writes need operator permission.',
  input: z.object({
    owner,
    repo,
    path: z.string().describe('Path where to create/update the file'),
    content: z.string().describe('File content'),
    message: z.string().min(1).describe('Commit message'),
    branch: z.string().describe('Branch to create/update the file in'),
    sha: z.string().optional().describe('SHA of the file being replaced'),
  }),
  output: z.object({
    path: z.string(),
    created: z.boolean(),
    sha: z.string().optional(),
    commitSha: z.string(),
    commitUrl: z.string(),
  }),
  toolset: ['repos', 'default'],
  annotations: UPDATE,
  auditTarget: ['owner', 'repo', 'path', 'branch'],
  async run(args, ctx) {
    const { target, path, branch } = await oneFileCommit(ctx, args);
    let sha = args.sha;
    try {
      const existing = await readContents(ctx, target, path, branch);
      if (existing.kind === 'symlink')
        throw new ToolError(
          `Refused: ${path} is a symbolic link (to ${existing.target}); writing would replace the link with a file. Write the link's target path instead.`,
        );
      if (existing.kind !== 'file')
        throw new ToolError(
          `${path} is a ${existing.kind === 'dir' ? 'directory' : 'submodule'}, not a file.`,
        );
      sha ??= existing.sha;
    } catch (error) {
      if (!(error instanceof ToolError && error.message.startsWith('Not found'))) throw error;
    }
    const { data } = await call(ctx, (octokit, req) =>
      octokit.rest.repos.createOrUpdateFileContents({
        ...target,
        path,
        message: args.message,
        content: Buffer.from(args.content, 'utf8').toString('base64'),
        branch,
        ...(sha === undefined ? {} : { sha }),
        ...req,
      }),
    );
    const result = defined({
      path,
      created: sha === undefined,
      sha: data.content?.sha,
      commitSha: data.commit.sha ?? '',
      commitUrl: data.commit.html_url ?? '',
    });
    return structured(
      result,
      `${result.created ? 'Created' : 'Updated'} ${path} on ${branch} in commit ${shortSha(result.commitSha)}: ${result.commitUrl}`,
    );
  },
});

export const pushFiles = defineTool({
  name: 'push_files',
  title: 'Push files',
  description:
    'Commit several files to a branch in one commit (never a force push). Default-branch and workflow-file writes need operator permission.',
  input: z.object({
    owner,
    repo,
    branch: z.string().describe('Branch to push to'),
    files: z
      .array(
        z.object({
          path: z.string().describe('File path'),
          content: z.string().describe('File content'),
        }),
      )
      .min(1)
      .max(MAX_PUSH_FILES)
      .describe('Files to write'),
    message: z.string().min(1).describe('Commit message'),
  }),
  output: z.object({
    branch: z.string(),
    commitSha: z.string(),
    files: z.number(),
    url: z.string(),
  }),
  toolset: ['repos', 'default'],
  annotations: UPDATE,
  auditTarget: ['owner', 'repo', 'branch'],
  async run(args, ctx) {
    const target = await ctx.policy.target(ctx, args.owner, args.repo, 'write');
    const branch = checkRef(args.branch, 'branch');
    const files = args.files.map((file, index) => ({
      path: checkRepoPath(file.path, `files[${index}].path`),
      content: file.content,
    }));
    const total = files.reduce((sum, file) => sum + utf8Length(file.content), 0);
    if (total > MAX_PUSH_BYTES)
      throw new ToolError(
        `files: ${total} bytes in total, more than the ${MAX_PUSH_BYTES / 1024 / 1024} MB one commit may carry here.`,
      );
    if (new Set(files.map((file) => file.path)).size !== files.length)
      throw new ToolError('files: each path may appear only once.');
    for (const file of files) guardWorkflowPath(ctx, file.path);
    await guardDefaultBranch(ctx, target, branch);
    const head = await call(ctx, (octokit, req) =>
      octokit.rest.git.getRef({ ...target, ref: `heads/${branch}`, ...req }),
    );
    const parent = await call(ctx, (octokit, req) =>
      octokit.rest.git.getCommit({ ...target, commit_sha: head.data.object.sha, ...req }),
    );
    const tree = await call(ctx, (octokit, req) =>
      octokit.rest.git.createTree({
        ...target,
        base_tree: parent.data.tree.sha,
        tree: files.map((file) => ({
          path: file.path,
          mode: '100644' as const,
          type: 'blob' as const,
          content: file.content,
        })),
        ...req,
      }),
    );
    const commit = await call(ctx, (octokit, req) =>
      octokit.rest.git.createCommit({
        ...target,
        message: args.message,
        tree: tree.data.sha,
        parents: [head.data.object.sha],
        ...req,
      }),
    );
    await call(ctx, (octokit, req) =>
      octokit.rest.git.updateRef({
        ...target,
        ref: `heads/${branch}`,
        sha: commit.data.sha,
        force: false,
        ...req,
      }),
    );
    return structured(
      { branch, commitSha: commit.data.sha, files: files.length, url: commit.data.html_url },
      `Pushed ${files.length} file${files.length === 1 ? '' : 's'} to ${branch} in commit ${shortSha(commit.data.sha)}: ${commit.data.html_url}`,
    );
  },
});
