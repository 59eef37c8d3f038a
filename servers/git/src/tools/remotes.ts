/**
 * @module
 * Remotes: configuring them (`git_remote`, local only) and talking to them (`git_fetch`,
 * `git_pull`, `git_push`, `git_clone`), which is off until the operator passes --allow-remote.
 * Only configured remote names are accepted for fetch/pull/push, and every URL they resolve to
 * (after `insteadOf` rewriting) is checked like a URL the model gave. Credentials in URLs never
 * appear in results.
 */
import { dirname } from 'node:path';
import { structured, ToolError } from '@plugboard/protocol';
import { z } from 'zod';
import { newDirectoryInside } from '../boundary.js';
import {
  currentAreas,
  defineTool,
  openRepo,
  requireDestructive,
  requireRemote,
  type GitContext,
} from '../context.js';
import type { Repository } from '../repository.js';
import { checkLocalRemote, checkRemoteUrl } from '../remote-url.js';
import { safeLine, shortHash, splitNul } from '../render.js';
import { checkRefName } from '../validate.js';
import { currentBranch } from './branches.js';
import { check, repoPath, LOCAL, REMOTE } from './common.js';
import { runGit } from '../git-runner.js';

/** A URL without the credentials it may embed (`https://user:token@host` → `https://[redacted]@host`). */
export function redactUrl(url: string): string {
  return url.replace(
    /^([A-Za-z][A-Za-z0-9+.-]*:\/\/)([^@/]*)@/,
    (whole, scheme: string, userinfo: string) => {
      const secret = userinfo.includes(':') || /^https?:\/\/$/i.test(scheme);
      return secret ? `${scheme}[redacted]@` : whole;
    },
  );
}

async function remoteNames(repo: Repository): Promise<string[]> {
  const output = check(await repo.run(['remote']), 'git remote');
  return output.stdout
    .toString('utf8')
    .split('\n')
    .filter((name) => name !== '');
}

/** Checks that `name` is a configured remote and that every URL it uses is allowed. */
async function checkRemote(
  ctx: GitContext,
  repo: Repository,
  name: string,
  pushing: boolean,
): Promise<void> {
  checkRefName(name, 'remote');
  if (!(await remoteNames(repo)).includes(name)) {
    throw new ToolError(
      `There is no remote named ${JSON.stringify(name)}; see git_remote (action "list") or add one.`,
    );
  }
  const areas = await currentAreas(ctx);
  const urls = new Set<string>();
  for (const push of pushing ? [false, true] : [false]) {
    const command = ['remote', 'get-url', '--all', ...(push ? ['--push'] : []), name];
    for (const url of check(await repo.run(command), 'git remote get-url')
      .stdout.toString('utf8')
      .split('\n')) {
      if (url !== '') urls.add(url);
    }
  }
  for (const url of urls) {
    const checked = await checkRemoteUrl(
      url,
      { allowLocalRemotes: ctx.config.allowLocalRemotes, areas, base: repo.dir },
      `remote ${name} URL`,
    );
    if (checked.kind === 'local') {
      await checkLocalRemote(checked, { areas, settings: ctx.runner, signal: ctx.signal, pushing });
    }
  }
}

/** The `remote` argument of a pull or push. */
const remoteField = z
  .string()
  .optional()
  .describe('Configured remote name (default: the branch\'s upstream remote, else "origin")');

/** The remote a pull or push uses when none is named: the branch's upstream remote, else origin. */
async function defaultRemote(repo: Repository, branch: string | undefined): Promise<string> {
  if (branch === undefined) return 'origin';
  const configured = await repo.run(['config', '--get', `branch.${branch}.remote`]);
  const name = configured.stdout.toString('utf8').trim();
  return configured.exitCode === 0 && name !== '' && name !== '.' ? name : 'origin';
}

function progressReporter(ctx: GitContext): (stage: string, percent: number) => void {
  return (stage, percent) => {
    void ctx.progress(percent, 100, stage).catch(() => undefined);
  };
}

const remoteSchema = z.object({ name: z.string(), fetch_url: z.string(), push_url: z.string() });

export const gitRemote = defineTool({
  name: 'git_remote',
  title: 'Manage remotes',
  description:
    'Lists the configured remotes with their URLs (credentials redacted), or adds, removes or re-points one. URLs must ' +
    'use https, ssh or git (local paths only if the operator allowed them). Does not contact the remote.',
  input: z.object({
    repo_path: repoPath,
    action: z
      .enum(['list', 'add', 'remove', 'set_url'])
      .optional()
      .describe('list (default), add, remove or set_url'),
    name: z.string().optional().describe('Remote name, e.g. "origin" (for add, remove, set_url)'),
    url: z
      .string()
      .optional()
      .describe(
        'Remote URL (for add and set_url), e.g. "https://github.com/o/r.git" or "git@github.com:o/r.git"',
      ),
  }),
  output: z.object({ remotes: z.array(remoteSchema) }),
  auditTarget: ['repo_path', 'url', 'name'],
  annotations: LOCAL.UPDATE,
  async run({ repo_path, action = 'list', name, url }, ctx) {
    const repo = await openRepo(ctx, repo_path);
    if (action !== 'list') {
      if (name === undefined)
        throw new ToolError(`name is required to ${action.replace('_', ' ')} a remote.`);
      checkRefName(name, 'name');
      if (action === 'remove')
        check(await repo.run(['remote', 'remove', name]), 'git remote remove');
      else {
        if (url === undefined)
          throw new ToolError(`url is required to ${action.replace('_', ' ')} a remote.`);
        const areas = await currentAreas(ctx);
        await checkRemoteUrl(
          url,
          { allowLocalRemotes: ctx.config.allowLocalRemotes, areas, base: repo.dir },
          'url',
        );
        const verb = action === 'add' ? 'add' : 'set-url';
        check(await repo.run(['remote', verb, name, url]), `git remote ${verb}`);
      }
    }
    const listing = check(await repo.run(['remote', '-v']), 'git remote -v').stdout.toString(
      'utf8',
    );
    const byName = new Map<string, { name: string; fetch_url: string; push_url: string }>();
    for (const line of listing.split('\n')) {
      const match = /^(\S+)\t(.*) \((fetch|push)\)$/.exec(line);
      if (match === null) continue;
      const entry = byName.get(match[1]!) ?? { name: match[1]!, fetch_url: '', push_url: '' };
      entry[match[3] === 'fetch' ? 'fetch_url' : 'push_url'] = redactUrl(match[2]!);
      byName.set(entry.name, entry);
    }
    const remotes = [...byName.values()];
    const lines = remotes.map((remote) =>
      remote.fetch_url === remote.push_url
        ? `${safeLine(remote.name)}\t${safeLine(remote.fetch_url)}`
        : `${safeLine(remote.name)}\t${safeLine(remote.fetch_url)} (push: ${safeLine(remote.push_url)})`,
    );
    return structured(
      { remotes },
      lines.length === 0 ? 'No remotes configured.' : lines.join('\n'),
    );
  },
});

async function refSnapshot(
  repo: Repository,
  patterns: readonly string[],
): Promise<Map<string, string>> {
  const format = '--format=%(refname)%00%(objectname)%00%(symref)';
  const output = await repo.run(['for-each-ref', format, ...patterns]);
  const refs = new Map<string, string>();
  for (const line of output.stdout.toString('utf8').split('\n')) {
    const [ref, oid, symref] = line.split('\0');
    // Symbolic refs such as origin/HEAD only mirror another ref.
    if (ref !== undefined && oid !== undefined && symref === '') refs.set(ref, oid);
  }
  return refs;
}

const refUpdateSchema = z.object({
  ref: z.string(),
  old: z.string().nullable().describe('Previous commit, null for a new ref'),
  new: z.string().nullable().describe('New commit, null for a deleted ref'),
});

function compareRefs(
  before: Map<string, string>,
  after: Map<string, string>,
): z.infer<typeof refUpdateSchema>[] {
  const updates: z.infer<typeof refUpdateSchema>[] = [];
  for (const [ref, oid] of after)
    if (before.get(ref) !== oid) updates.push({ ref, old: before.get(ref) ?? null, new: oid });
  for (const [ref, oid] of before) if (!after.has(ref)) updates.push({ ref, old: oid, new: null });
  return updates;
}

function updateLine(update: z.infer<typeof refUpdateSchema>): string {
  const ref = safeLine(update.ref.replace(/^refs\/(remotes|tags|heads)\//, ''));
  if (update.old === null) return ` * [new] ${ref} ${shortHash(update.new ?? '')}`;
  if (update.new === null) return ` - [deleted] ${ref}`;
  return `   ${shortHash(update.old)}..${shortHash(update.new)} ${ref}`;
}

export const gitFetch = defineTool({
  name: 'git_fetch',
  title: 'Fetch from a remote',
  description:
    'Downloads new commits, branches and tags from a configured remote without changing local branches, and reports which ' +
    'remote-tracking refs moved. Needs a server started with --allow-remote.',
  input: z.object({
    repo_path: repoPath,
    remote: z.string().optional().describe('Configured remote name (default "origin")'),
    branch: z.string().optional().describe('Fetch only this branch or tag of the remote'),
    prune: z
      .boolean()
      .optional()
      .describe('Delete remote-tracking branches that no longer exist on the remote'),
    tags: z.boolean().optional().describe('Fetch all tags as well'),
  }),
  output: z.object({ remote: z.string(), updated: z.array(refUpdateSchema) }),
  requires: ['allowRemote'],
  taskSupport: 'optional',
  annotations: REMOTE.SET,
  auditTarget: ['repo_path', 'remote', 'branch'],
  async run(args, ctx) {
    requireRemote(ctx, 'git_fetch');
    const repo = await openRepo(ctx, args.repo_path, 'remote');
    const remote = args.remote ?? 'origin';
    await checkRemote(ctx, repo, remote, false);
    const command = ['fetch', '--progress', '--no-recurse-submodules'];
    if (args.prune === true) command.push('--prune');
    if (args.tags === true) command.push('--tags');
    command.push('--end-of-options', remote);
    if (args.branch !== undefined) command.push(checkRefName(args.branch, 'branch'));
    const patterns = [`refs/remotes/${remote}/`, 'refs/tags/'];
    const before = await refSnapshot(repo, patterns);
    check(await repo.run(command, { onProgress: progressReporter(ctx) }), 'git fetch');
    const updated = compareRefs(before, await refSnapshot(repo, patterns));
    const text =
      updated.length === 0
        ? `Fetched ${remote}: everything up to date.`
        : `Fetched ${remote}:\n${updated.map(updateLine).join('\n')}`;
    return structured({ remote, updated }, text);
  },
});

export const gitPull = defineTool({
  name: 'git_pull',
  title: 'Pull from a remote',
  description:
    'Fetches from a remote and merges (or only fast-forwards) its branch into the current branch; conflicts stop the merge ' +
    'and are listed (finish with git_merge). Needs --allow-remote; rebase=true also needs --allow-destructive.',
  input: z.object({
    repo_path: repoPath,
    remote: remoteField,
    branch: z
      .string()
      .optional()
      .describe("Remote branch to pull (default: the current branch's upstream)"),
    ff_only: z.boolean().optional().describe('Only fast-forward; fail if the branches diverged'),
    rebase: z
      .boolean()
      .optional()
      .describe(
        'Rebase local commits onto the remote branch instead of merging (needs --allow-destructive)',
      ),
  }),
  output: z.object({
    status: z.enum(['up_to_date', 'fast_forward', 'merged', 'rebased', 'conflicts']),
    head: z.string().nullable(),
    conflicts: z.array(z.string()).optional(),
  }),
  requires: ['allowRemote'],
  annotations: REMOTE.CREATE,
  auditTarget: ['repo_path', 'remote', 'branch'],
  async run(args, ctx) {
    requireRemote(ctx, 'git_pull');
    if (args.rebase === true) requireDestructive(ctx, 'git_pull with rebase');
    if (args.rebase === true && args.ff_only === true)
      throw new ToolError('rebase and ff_only contradict each other.');
    const repo = await openRepo(ctx, args.repo_path, 'remote');
    const branch = await currentBranch(repo);
    const remote = args.remote ?? (await defaultRemote(repo, branch));
    await checkRemote(ctx, repo, remote, false);
    const mode =
      args.ff_only === true ? '--ff-only' : args.rebase === true ? '--rebase' : '--no-rebase';
    const command = [
      'pull',
      '--progress',
      '--no-recurse-submodules',
      '--no-edit',
      '--no-verify',
      mode,
      '--end-of-options',
      remote,
    ];
    if (args.branch !== undefined) command.push(checkRefName(args.branch, 'branch'));
    const before =
      (await repo.run(['rev-parse', '--verify', '--quiet', 'HEAD'])).stdout
        .toString('utf8')
        .trim() || null;
    const result = await repo.run(command, { onProgress: progressReporter(ctx) });
    const conflicts = splitNul(
      (await repo.run(['diff', '--name-only', '--diff-filter=U', '-z'])).stdout.toString('utf8'),
    );
    const head =
      (await repo.run(['rev-parse', '--verify', '--quiet', 'HEAD'])).stdout
        .toString('utf8')
        .trim() || null;
    if (conflicts.length > 0) {
      return structured(
        { status: 'conflicts' as const, head, conflicts },
        `CONFLICT in:\n${conflicts.map((file) => `  ${safeLine(file)}`).join('\n')}\n` +
          'Edit the files, stage them with git_add, then git_merge with action "continue" (or "abort").',
      );
    }
    check(result, 'git pull');
    if (head === before)
      return structured({ status: 'up_to_date' as const, head }, 'Already up to date.');
    const parents = (await repo.run(['rev-list', '--parents', '-n', '1', head ?? 'HEAD'])).stdout
      .toString('utf8')
      .trim()
      .split(' ');
    const status =
      args.rebase === true
        ? ('rebased' as const)
        : parents.length > 2
          ? ('merged' as const)
          : ('fast_forward' as const);
    return structured(
      { status, head },
      `Pulled from ${remote}: ${status.replace('_', ' ')}; HEAD is ${shortHash(head ?? '')}.`,
    );
  },
});

const pushResultSchema = z.object({
  ref: z.string(),
  status: z.enum(['fast_forward', 'forced', 'new', 'deleted', 'rejected', 'up_to_date']),
  summary: z.string(),
});

const PUSH_FLAGS = {
  ' ': 'fast_forward',
  '+': 'forced',
  '*': 'new',
  '-': 'deleted',
  '!': 'rejected',
  '=': 'up_to_date',
} as const;

/** Parses `git push --porcelain`: `flag TAB from:to TAB summary` per ref. */
export function parsePush(output: string): z.infer<typeof pushResultSchema>[] {
  const results: z.infer<typeof pushResultSchema>[] = [];
  for (const line of output.split('\n')) {
    const match = /^([ +*\-!=])\t([^\t]*)\t(.*)$/.exec(line);
    if (match === null) continue;
    const target = match[2]!.split(':').at(-1) ?? match[2]!;
    results.push({
      ref: target,
      status: PUSH_FLAGS[match[1] as keyof typeof PUSH_FLAGS],
      summary: match[3]!,
    });
  }
  return results;
}

const pushInput = z.object({
  repo_path: repoPath,
  remote: remoteField,
  branch: z
    .string()
    .optional()
    .describe('Local branch to push (default: the current branch); pushed to the same name'),
  set_upstream: z
    .boolean()
    .optional()
    .describe('Make the remote branch the upstream of the local one'),
  force: z
    .boolean()
    .optional()
    .describe(
      'Overwrite the remote branch if it has commits you do not have (needs --allow-destructive)',
    ),
  tags: z
    .boolean()
    .optional()
    .describe('Also push annotated tags that point into the pushed commits'),
});

/** Most commits a force-push summary lists on each side. */
const SUMMARY_COMMITS = 20;

/**
 * What a force push would do, for the person approving it: which branch goes where, the commit
 * it puts there, and the commits of the remote branch (as last fetched) it throws away.
 */
async function forcePushSummary(args: z.infer<typeof pushInput>, ctx: GitContext): Promise<string> {
  const repo = await openRepo(ctx, args.repo_path, 'remote');
  const branch =
    args.branch === undefined ? await currentBranch(repo) : checkRefName(args.branch, 'branch');
  if (branch === undefined) throw new ToolError('HEAD is detached: name the branch to push.');
  const remote = args.remote ?? (await defaultRemote(repo, await currentBranch(repo)));
  const commits = async (range: string): Promise<string[]> => {
    const output = await repo.run([
      'log',
      `--max-count=${SUMMARY_COMMITS}`,
      '--format=%h %s',
      '--end-of-options',
      range,
    ]);
    return output.exitCode === 0 ? splitLines(output.stdout.toString('utf8')) : [];
  };
  const tracking = `refs/remotes/${remote}/${branch}`;
  const local = `refs/heads/${branch}`;
  const [head] = await commits(local);
  const dropped = await commits(`${local}..${tracking}`);
  return [
    `Force-push ${branch} of ${args.repo_path} to ${remote}/${branch} (--force-with-lease: refused if ${remote} moved since the last fetch).`,
    `${remote}/${branch} will point at: ${safeLine(head ?? '(no commit)')}`,
    dropped.length === 0
      ? `Commits of ${remote}/${branch} thrown away: none known (fetch first to see them).`
      : `Commits of ${remote}/${branch} thrown away (${dropped.length === SUMMARY_COMMITS ? `the last ${SUMMARY_COMMITS}` : dropped.length}):\n${dropped.map((line) => `  ${safeLine(line)}`).join('\n')}`,
  ].join('\n');
}

function splitLines(text: string): string[] {
  return text.split('\n').filter((line) => line !== '');
}

export const gitPush = defineTool({
  name: 'git_push',
  title: 'Push to a remote',
  description:
    'Pushes a local branch (default: the current one) to a configured remote, optionally setting it as upstream. Needs ' +
    '--allow-remote; force=true (as --force-with-lease) also needs --allow-destructive.',
  input: pushInput,
  output: z.object({ remote: z.string(), results: z.array(pushResultSchema) }),
  requires: ['allowRemote'],
  auditTarget: ['repo_path', 'remote', 'branch'],
  taskSupport: 'optional',
  approval: { class: 'force-push', when: (args) => args.force === true, summary: forcePushSummary },
  annotations: REMOTE.REPLACE,
  async run(args, ctx) {
    requireRemote(ctx, 'git_push');
    if (args.force === true) requireDestructive(ctx, 'git_push with force');
    const repo = await openRepo(ctx, args.repo_path, 'remote');
    const branch =
      args.branch === undefined ? await currentBranch(repo) : checkRefName(args.branch, 'branch');
    if (branch === undefined) throw new ToolError('HEAD is detached: name the branch to push.');
    const remote = args.remote ?? (await defaultRemote(repo, await currentBranch(repo)));
    await checkRemote(ctx, repo, remote, true);
    const command = ['push', '--porcelain', '--progress', '--no-verify', '--no-recurse-submodules'];
    if (args.set_upstream === true) command.push('--set-upstream');
    if (args.force === true) command.push('--force-with-lease');
    if (args.tags === true) command.push('--follow-tags');
    command.push('--end-of-options', remote, `refs/heads/${branch}:refs/heads/${branch}`);
    const result = check(
      await repo.run(command, { onProgress: progressReporter(ctx) }),
      'git push',
    );
    const results = parsePush(result.stdout.toString('utf8'));
    const lines = results.map(
      (entry) =>
        `${entry.status.replace('_', ' ')}: ${safeLine(entry.ref)} ${safeLine(entry.summary)}`,
    );
    return structured({ remote, results }, `Pushed to ${remote}:\n${lines.join('\n')}`);
  },
});

export const gitClone = defineTool({
  name: 'git_clone',
  title: 'Clone a repository',
  description:
    'Clones a remote repository into a new directory inside the repositories this server may use, then returns its path ' +
    'for the other tools. Needs a server started with --allow-remote.',
  input: z.object({
    url: z
      .string()
      .min(1)
      .describe('Repository URL: https://..., ssh://..., git@host:owner/repo.git or git://...'),
    directory: z
      .string()
      .min(1)
      .describe('New directory to clone into; must be inside an allowed repository directory'),
    branch: z
      .string()
      .optional()
      .describe("Branch or tag to check out (default: the remote's default branch)"),
    depth: z
      .number()
      .int()
      .min(1)
      .max(1_000_000)
      .optional()
      .describe('Shallow clone with only this many recent commits'),
  }),
  output: z.object({
    path: z.string(),
    branch: z.string().nullable(),
    commit: z.string().nullable(),
  }),
  requires: ['allowRemote'],
  taskSupport: 'optional',
  annotations: REMOTE.CREATE,
  auditTarget: ['directory', 'url', 'branch'],
  async run(args, ctx) {
    requireRemote(ctx, 'git_clone');
    const areas = await currentAreas(ctx);
    const destination = await newDirectoryInside(
      areas,
      args.directory,
      areas.length === 1 ? areas[0]! : ctx.cwd,
      'directory',
    );
    const parent = dirname(destination);
    const source = await checkRemoteUrl(
      args.url,
      { allowLocalRemotes: ctx.config.allowLocalRemotes, areas, base: parent },
      'url',
    );
    if (source.kind === 'local')
      await checkLocalRemote(source, {
        areas,
        settings: ctx.runner,
        signal: ctx.signal,
        pushing: false,
      });
    const command = ['clone', '--progress', '--no-recurse-submodules'];
    if (args.branch !== undefined) command.push(`--branch=${checkRefName(args.branch, 'branch')}`);
    if (args.depth !== undefined) command.push(`--depth=${args.depth}`);
    command.push('--', args.url, destination);
    const result = await runGit(ctx.runner, parent, command, {
      signal: ctx.signal,
      onProgress: progressReporter(ctx),
    });
    check(result, 'git clone');
    const repo = await openRepo(ctx, destination);
    const branch = (await currentBranch(repo)) ?? null;
    const head = await repo.run(['rev-parse', '--verify', '--quiet', 'HEAD']);
    const commit = head.exitCode === 0 ? head.stdout.toString('utf8').trim() : null;
    return structured(
      { path: destination, branch, commit },
      `Cloned ${redactUrl(args.url)} into ${destination}${branch === null ? '' : ` (${safeLine(branch)} at ${shortHash(commit ?? '')})`}.`,
    );
  },
});
