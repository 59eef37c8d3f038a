/**
 * @module
 * The deterministic controls around every repository a tool touches, applied before any request
 * is sent:
 * - names are validated so no argument can change the route (validate.ts);
 * - the operator's allowlist (`--repos`) bounds reads, writes and search results;
 * - the private-to-public guard: once private repository content has been read, writes to a
 *   public repository or a public gist are refused (the "toxic agent flow", where an injected
 *   issue makes an agent copy private code into a public pull request), unless the operator
 *   allows it;
 * - lockdown mode decides whose text is shown on public repositories.
 * It remembers what was read and each repository's visibility for the life of the process.
 */
import { ToolError } from '@plugboard/protocol';
import type { GithubConfig } from './config.js';
import { call, type GithubContext } from './context.js';
import { checkOwner, checkRepo } from './validate.js';

export interface RepoRef {
  readonly owner: string;
  readonly repo: string;
}

export interface RepoInfo {
  readonly private: boolean;
  readonly defaultBranch: string;
}

export type Access = 'read' | 'write';

/** Author associations that imply push access (or ownership) of the repository. */
const TRUSTED_ASSOCIATIONS = new Set(['OWNER', 'MEMBER', 'COLLABORATOR']);

const INFO_TTL_MS = 10 * 60 * 1000;
const MAX_VISIBILITY_LOOKUPS = 20;
const MAX_REMEMBERED = 2000;

export interface RepoPolicy {
  /** Validates, checks the allowlist and (for writes) the private-to-public guard; records reads. */
  target(ctx: GithubContext, owner: string, repo: string, access: Access): Promise<RepoRef>;
  /** For search and listing results: is this repository inside the allowlist? Records it as read when so. */
  admit(owner: string, repo: string, isPrivate?: boolean): boolean;
  /** Visibility and default branch, cached. */
  info(ctx: GithubContext, ref: RepoRef): Promise<RepoInfo>;
  /** Refuses a write that would publish something (a public gist, a new public repository) after private reads. */
  guardPublicSink(ctx: GithubContext, what: string): Promise<void>;
  /** Whether text by an author with this association may be shown (lockdown mode on public repositories). */
  trust(ctx: GithubContext, ref: RepoRef): Promise<(association: string | undefined) => boolean>;
}

const key = (owner: string, repo: string): string => `${owner}/${repo}`.toLowerCase();

function outsideAllowlist(config: GithubConfig, owner: string, repo: string): ToolError {
  return new ToolError(
    `${owner}/${repo} is outside the repositories this server may use (${config.allowlist?.entries.join(', ') ?? ''}). ` +
      'The operator sets them with --repos; nothing in a conversation can widen them.',
  );
}

export function createRepoPolicy(config: GithubConfig): RepoPolicy {
  const read = new Map<string, RepoRef>();
  const infos = new Map<string, { info: RepoInfo; at: number }>();
  const visibility = new Map<string, boolean>();

  const remember = (ref: RepoRef, isPrivate?: boolean): void => {
    if (read.size >= MAX_REMEMBERED && !read.has(key(ref.owner, ref.repo)))
      read.delete(read.keys().next().value!);
    read.set(key(ref.owner, ref.repo), ref);
    if (isPrivate !== undefined) visibility.set(key(ref.owner, ref.repo), isPrivate);
  };

  const info = async (ctx: GithubContext, ref: RepoRef): Promise<RepoInfo> => {
    const cached = infos.get(key(ref.owner, ref.repo));
    if (cached !== undefined && Date.now() - cached.at < INFO_TTL_MS) return cached.info;
    const { data } = await call(ctx, (octokit, req) =>
      octokit.rest.repos.get({ owner: ref.owner, repo: ref.repo, ...req }),
    );
    const fresh: RepoInfo = { private: data.private, defaultBranch: data.default_branch };
    infos.set(key(ref.owner, ref.repo), { info: fresh, at: Date.now() });
    visibility.set(key(ref.owner, ref.repo), fresh.private);
    return fresh;
  };

  /** True when the repository is private, or its visibility cannot be learned (the safe answer). */
  const isPrivate = async (ctx: GithubContext, ref: RepoRef): Promise<boolean> => {
    const known = visibility.get(key(ref.owner, ref.repo));
    if (known !== undefined) return known;
    try {
      return (await info(ctx, ref)).private;
    } catch (error) {
      // A repository that does not exist (404) had nothing to read.
      if (error instanceof ToolError && error.message.startsWith('Not found')) return false;
      return true;
    }
  };

  /** The private repositories read so far, other than `except`. */
  const privateReads = async (ctx: GithubContext, except?: RepoRef): Promise<RepoRef[]> => {
    const others = [...read.entries()]
      .filter(([name]) => except === undefined || name !== key(except.owner, except.repo))
      .map(([, ref]) => ref);
    const unknown = others.filter((ref) => !visibility.has(key(ref.owner, ref.repo)));
    if (unknown.length > MAX_VISIBILITY_LOOKUPS) return unknown;
    const flags = await Promise.all(others.map((ref) => isPrivate(ctx, ref)));
    return others.filter((_ref, index) => flags[index]);
  };

  const refuse = (privates: readonly RepoRef[], sink: string): ToolError =>
    new ToolError(
      `Refused: this session has read private repository content (${privates
        .slice(0, 3)
        .map((ref) => `${ref.owner}/${ref.repo}`)
        .join(
          ', ',
        )}${privates.length > 3 ? ', …' : ''}), and ${sink} is public, so this write could publish it. ` +
        'If the user really wants this, the operator can start the server with --allow-private-to-public (GITHUB_ALLOW_PRIVATE_TO_PUBLIC=1).',
    );

  return {
    async target(ctx, owner, repo, access) {
      const ref = { owner: checkOwner(owner), repo: checkRepo(repo) };
      if (config.allowlist !== undefined && !config.allowlist.allows(ref.owner, ref.repo))
        throw outsideAllowlist(config, ref.owner, ref.repo);
      if (access === 'read') {
        remember(ref);
        return ref;
      }
      if (!config.allowPrivateToPublic) {
        const privates = await privateReads(ctx, ref);
        if (privates.length > 0 && !(await isPrivate(ctx, ref)))
          throw refuse(privates, `${ref.owner}/${ref.repo}`);
      }
      return ref;
    },
    admit(owner, repo, isPrivateRepo) {
      if (config.allowlist !== undefined && !config.allowlist.allows(owner, repo)) return false;
      remember({ owner, repo }, isPrivateRepo);
      return true;
    },
    info,
    async guardPublicSink(ctx, what) {
      if (config.allowPrivateToPublic) return;
      const privates = await privateReads(ctx);
      if (privates.length > 0) throw refuse(privates, what);
    },
    async trust(ctx, ref) {
      if (!config.lockdown) return () => true;
      // Unlike the guard, lockdown errs towards "public": when visibility is unknown, text is withheld.
      const known = visibility.get(key(ref.owner, ref.repo));
      const privateRepo =
        known ??
        (await info(ctx, ref).then(
          (found) => found.private,
          () => false,
        ));
      if (privateRepo) return () => true;
      return (association) => association !== undefined && TRUSTED_ASSOCIATIONS.has(association);
    },
  };
}
