/**
 * @module
 * Repositories, branches and history: the official create/fork/branch/list_commits tools, plus
 * branch listing, a commit's details and the repository tree.
 */
import { structured, ToolError } from '@plugboard/protocol';
import { z } from 'zod';
import { call, defineTool, type GithubContext } from '../context.js';
import {
  continuation,
  cursorField,
  decodeOffset,
  pageFields,
  pagedShape,
  pageField,
  perPageField,
  sliceWithin,
  startAt,
  listOf,
  listingText,
  pageInput,
} from '../paging.js';
import { body, day, defined, login, shortSha, sizeOf } from '../render.js';
import { sanitizeLine } from '../sanitize.js';
import { checkOwner, checkRef, checkRepo, checkRepoPath } from '../validate.js';
import { CREATE, itemBudget, listPage, owner, READ, repo } from './common.js';

async function myLogin(ctx: GithubContext): Promise<string> {
  const { data } = await call(ctx, (octokit, req) => octokit.rest.users.getAuthenticated(req));
  return data.login;
}

export const createRepository = defineTool({
  name: 'create_repository',
  title: 'Create repository',
  description: 'Create a repository in your account.',
  input: z.object({
    name: z.string().describe('Repository name'),
    description: z.string().max(350).optional().describe('Repository description'),
    private: z.boolean().optional().describe('Whether the repository should be private'),
    autoInit: z.boolean().optional().describe('Initialize with README.md'),
  }),
  output: z.object({
    fullName: z.string(),
    private: z.boolean(),
    defaultBranch: z.string(),
    url: z.string(),
  }),
  toolset: ['repos', 'default'],
  annotations: CREATE,
  auditTarget: ['name'],
  async run({ name, description, private: isPrivate, autoInit }, ctx) {
    checkRepo(name, 'name');
    if (ctx.config.allowlist !== undefined)
      await ctx.policy.target(ctx, await myLogin(ctx), name, 'write');
    if (isPrivate !== true) await ctx.policy.guardPublicSink(ctx, 'the new repository');
    const { data } = await call(ctx, (octokit, req) =>
      octokit.rest.repos.createForAuthenticatedUser({
        name,
        ...(description === undefined ? {} : { description }),
        ...(isPrivate === undefined ? {} : { private: isPrivate }),
        ...(autoInit === undefined ? {} : { auto_init: autoInit }),
        ...req,
      }),
    );
    const result = {
      fullName: data.full_name,
      private: data.private,
      defaultBranch: data.default_branch,
      url: data.html_url,
    };
    return structured(
      result,
      `Created ${result.private ? 'private' : 'public'} repository ${result.fullName}: ${result.url}`,
    );
  },
});

export const forkRepository = defineTool({
  name: 'fork_repository',
  title: 'Fork repository',
  description:
    'Fork a repository to your account or an organization (the fork appears after a moment).',
  input: z.object({
    owner,
    repo,
    organization: z.string().optional().describe('Organization to fork into'),
  }),
  output: z.object({ fullName: z.string(), url: z.string(), private: z.boolean() }),
  toolset: ['repos', 'default'],
  annotations: CREATE,
  auditTarget: ['owner', 'repo', 'organization'],
  async run(args, ctx) {
    const source = await ctx.policy.target(ctx, args.owner, args.repo, 'read');
    if (args.organization !== undefined) checkOwner(args.organization, 'organization');
    if (ctx.config.allowlist !== undefined)
      await ctx.policy.target(ctx, args.organization ?? (await myLogin(ctx)), source.repo, 'write');
    const { data } = await call(ctx, (octokit, req) =>
      octokit.rest.repos.createFork({
        ...source,
        ...(args.organization === undefined ? {} : { organization: args.organization }),
        ...req,
      }),
    );
    return structured(
      { fullName: data.full_name, url: data.html_url, private: data.private },
      `Forking ${source.owner}/${source.repo} to ${data.full_name}: ${data.html_url}`,
    );
  },
});

export const createBranch = defineTool({
  name: 'create_branch',
  title: 'Create branch',
  description: 'Create a branch from another branch (default: the default branch).',
  input: z.object({
    owner,
    repo,
    branch: z.string().describe('Name for the new branch'),
    from_branch: z.string().optional().describe('Source branch'),
  }),
  output: z.object({ branch: z.string(), sha: z.string() }),
  toolset: ['repos', 'default'],
  annotations: CREATE,
  auditTarget: ['owner', 'repo', 'branch', 'from_branch'],
  async run(args, ctx) {
    const target = await ctx.policy.target(ctx, args.owner, args.repo, 'write');
    const branch = checkRef(args.branch, 'branch');
    const from =
      args.from_branch === undefined
        ? (await ctx.policy.info(ctx, target)).defaultBranch
        : checkRef(args.from_branch, 'from_branch');
    const { data: source } = await call(ctx, (octokit, req) =>
      octokit.rest.git.getRef({ ...target, ref: `heads/${from}`, ...req }),
    );
    await call(ctx, (octokit, req) =>
      octokit.rest.git.createRef({
        ...target,
        ref: `refs/heads/${branch}`,
        sha: source.object.sha,
        ...req,
      }),
    );
    return structured(
      { branch, sha: source.object.sha },
      `Created branch ${branch} from ${from} at ${shortSha(source.object.sha)}.`,
    );
  },
});

const branchItem = z.object({ name: z.string(), sha: z.string(), protected: z.boolean() });

export const listBranches = defineTool({
  name: 'list_branches',
  title: 'List branches',
  description: 'List the branches of a repository with their head commits.',
  input: z.object({ owner, repo, ...pageInput }),
  output: z.object({ branches: listOf(branchItem), ...pagedShape }),
  toolset: 'repos',
  annotations: READ,
  auditTarget: ['owner', 'repo'],
  async run(args, ctx) {
    const target = await ctx.policy.target(ctx, args.owner, args.repo, 'read');
    const paged = await listPage(
      ctx,
      startAt(args),
      (octokit, req) => octokit.rest.repos.listBranches({ ...target, ...req }),
      (branch) => ({
        name: sanitizeLine(branch.name),
        sha: branch.commit.sha,
        protected: branch.protected,
      }),
    );
    const lines = paged.items.map(
      (branch) => `${branch.name} ${shortSha(branch.sha)}${branch.protected ? ' (protected)' : ''}`,
    );
    return structured(
      { branches: paged.items, ...pageFields(paged) },
      listingText(lines, 'No branches.', paged, 'branches'),
    );
  },
});

export const commitItem = z.object({
  sha: z.string(),
  message: z.string(),
  author: z.string().optional(),
  date: z.string().optional(),
  url: z.string(),
});

interface RawCommit {
  sha: string;
  html_url: string;
  author: { login?: string } | null;
  commit: { message: string; author?: { name?: string; date?: string } | null };
}

/** A commit of a listing: the first line of its message, its author and day. */
export function toCommitItem(item: RawCommit): z.infer<typeof commitItem> {
  return defined({
    sha: item.sha,
    message: sanitizeLine(item.commit.message.split('\n')[0] ?? ''),
    author:
      login(item.author) ??
      (item.commit.author?.name === undefined
        ? undefined
        : sanitizeLine(item.commit.author.name, 100)),
    date: item.commit.author?.date,
    url: item.html_url,
  });
}

export function commitLine(item: z.infer<typeof commitItem>): string {
  return `${shortSha(item.sha)} ${day(item.date)} ${item.author ?? '?'}: ${item.message}`;
}

export const listCommits = defineTool({
  name: 'list_commits',
  title: 'List commits',
  description: 'Commits of a branch, tag or SHA, newest first, by path, author or date.',
  input: z.object({
    owner,
    repo,
    sha: z.string().optional().describe('Branch, tag or SHA to start from'),
    page: pageField,
    perPage: perPageField,
    path: z.string().optional().describe('Only commits touching this path'),
    author: z.string().optional().describe('Author login or email'),
    since: z.string().optional().describe('After (ISO 8601)'),
    until: z.string().optional().describe('Before (ISO 8601)'),
    cursor: cursorField,
  }),
  output: z.object({ commits: listOf(commitItem), ...pagedShape }),
  toolset: ['repos', 'default'],
  annotations: READ,
  auditTarget: ['owner', 'repo', 'path'],
  async run(args, ctx) {
    const target = await ctx.policy.target(ctx, args.owner, args.repo, 'read');
    const filters = defined({
      sha: args.sha === undefined ? undefined : checkRef(args.sha, 'sha'),
      path: args.path === undefined ? undefined : checkRepoPath(args.path),
      author: args.author,
      since: args.since,
      until: args.until,
    });
    const paged = await listPage(
      ctx,
      startAt(args),
      (octokit, req) => octokit.rest.repos.listCommits({ ...target, ...filters, ...req }),
      toCommitItem,
    );
    return structured(
      { commits: paged.items, ...pageFields(paged) },
      listingText(paged.items.map(commitLine), 'No commits.', paged, 'commits'),
    );
  },
});

const fileChange = z.object({
  filename: z.string(),
  status: z.string(),
  additions: z.number(),
  deletions: z.number(),
  patch: z.string().optional(),
});

export const getCommit = defineTool({
  name: 'get_commit',
  title: 'Get commit',
  description:
    'One commit: full message, author, parents, stats and changed files (with patches when includePatch is true).',
  input: z.object({
    owner,
    repo,
    sha: z.string().describe('Commit SHA, branch or tag'),
    includePatch: z.boolean().optional().describe("Include each file's diff (default false)"),
    ...pageInput,
  }),
  output: z.object({
    sha: z.string(),
    message: z.string(),
    author: z.string().optional(),
    date: z.string().optional(),
    parents: z.array(z.string()),
    additions: z.number(),
    deletions: z.number(),
    files: listOf(fileChange),
    url: z.string(),
    ...pagedShape,
  }),
  toolset: 'repos',
  annotations: READ,
  auditTarget: ['owner', 'repo'],
  async run(args, ctx) {
    const target = await ctx.policy.target(ctx, args.owner, args.repo, 'read');
    const ref = checkRef(args.sha, 'sha');
    let header:
      | {
          sha: string;
          message: string;
          author?: string;
          date?: string;
          parents: string[];
          additions: number;
          deletions: number;
          url: string;
        }
      | undefined;
    const paged = await listPage(
      ctx,
      startAt(args, 100),
      async (octokit, req) => {
        const response = await octokit.rest.repos.getCommit({ ...target, ref, ...req });
        const data = response.data;
        header = defined({
          sha: data.sha,
          message: body(data.commit.message, { trusted: true }),
          author: login(data.author) ?? data.commit.author?.name,
          date: data.commit.author?.date,
          parents: data.parents.map((parent) => parent.sha),
          additions: data.stats?.additions ?? 0,
          deletions: data.stats?.deletions ?? 0,
          url: data.html_url,
        });
        return { data: data.files ?? [], headers: response.headers };
      },
      (file) =>
        defined({
          filename: sanitizeLine(file.filename, 1000),
          status: file.status,
          additions: file.additions,
          deletions: file.deletions,
          patch: args.includePatch === true ? file.patch : undefined,
        }),
    );
    if (header === undefined) throw new ToolError('GitHub returned no commit.');
    const files = paged.items.map(
      (file) =>
        `  ${file.status} ${file.filename} +${file.additions} -${file.deletions}${file.patch === undefined ? '' : `\n${file.patch}`}`,
    );
    return structured(
      { ...header, files: paged.items, ...pageFields(paged) },
      `${header.sha} by ${header.author ?? '?'} on ${day(header.date)} (+${header.additions} -${header.deletions})\n` +
        `${header.message}\n${files.join('\n')}${continuation(paged, 'files')}`,
    );
  },
});

const treeEntry = z.object({ path: z.string(), type: z.string(), size: z.number().optional() });

export const getRepositoryTree = defineTool({
  name: 'get_repository_tree',
  title: 'Get repository tree',
  description:
    'The files and directories of a repository at a branch, tag or SHA, optionally recursive and limited to a path prefix. Paged for large trees.',
  input: z.object({
    owner,
    repo,
    treeSha: z.string().optional().describe('Branch, tag or tree SHA (default: default branch)'),
    recursive: z
      .boolean()
      .optional()
      .describe('Include everything below, not just the top level (default false)'),
    pathFilter: z.string().optional().describe('Only entries under this path prefix, e.g. "src/"'),
    cursor: cursorField,
  }),
  output: z.object({
    entries: listOf(treeEntry),
    total: z.number(),
    githubTruncated: z
      .boolean()
      .optional()
      .describe(
        'GitHub itself cut the tree (over 100,000 entries); use pathFilter or a subtree SHA',
      ),
    ...pagedShape,
  }),
  toolset: 'repos',
  annotations: READ,
  auditTarget: ['owner', 'repo'],
  async run(args, ctx) {
    const target = await ctx.policy.target(ctx, args.owner, args.repo, 'read');
    const treeSha =
      args.treeSha === undefined
        ? (await ctx.policy.info(ctx, target)).defaultBranch
        : checkRef(args.treeSha, 'treeSha');
    const prefix =
      args.pathFilter === undefined ? '' : checkRepoPath(args.pathFilter, 'pathFilter', true);
    const { data } = await call(ctx, (octokit, req) =>
      octokit.rest.git.getTree({
        ...target,
        tree_sha: treeSha,
        ...(args.recursive === true ? { recursive: 'true' } : {}),
        ...req,
      }),
    );
    const all = data.tree
      .filter((item) => prefix === '' || item.path === prefix || item.path.startsWith(`${prefix}/`))
      .map((item) =>
        defined({ path: sanitizeLine(item.path, 1000), type: item.type, size: item.size }),
      );
    const paged = sliceWithin(all, decodeOffset(args.cursor), itemBudget(ctx), sizeOf);
    const lines = paged.items.map(
      (item) =>
        `${item.type === 'tree' ? `${item.path}/` : item.path}${item.size === undefined ? '' : ` (${item.size} B)`}`,
    );
    return structured(
      {
        entries: paged.items,
        total: all.length,
        ...(data.truncated ? { githubTruncated: true } : {}),
        ...pageFields(paged),
      },
      `${lines.length === 0 ? 'No entries.' : lines.join('\n')}${data.truncated ? '\n(GitHub cut this tree; narrow it with pathFilter or a subtree SHA)' : ''}${continuation(paged, 'entries')}`,
    );
  },
});
