/**
 * @module
 * The operator's configuration, from flags and environment, checked once at start-up. Pure: the
 * same input always gives the same {@link GithubConfig} or the same {@link UsageError}, which
 * `runServer` prints as one line before exiting with code 2.
 */
import { DEFAULT_OUTPUT_BUDGET } from '@plugboard/protocol';
import { type Flags, listFlag, stringFlag, UsageError } from '@plugboard/kit/cli';
import { parseAllowlist, type RepoAllowlist } from './allowlist.js';
import { DEFAULT_TIMEOUT_SECONDS } from './spec.js';

export const DEFAULT_API_URL = 'https://api.github.com';

/** Everything the operator decides; nothing a client sends can change it. */
export interface GithubConfig {
  /** Undefined means anonymous requests (public data only, 60 requests an hour). */
  readonly token: string | undefined;
  /** REST API root without a trailing slash. Requests never leave it (or {@link graphqlUrl}). */
  readonly apiUrl: string;
  readonly graphqlUrl: string;
  /** The web root OAuth runs on (`https://github.com`, or the GitHub Enterprise host). */
  readonly webUrl: string;
  /**
   * The operator's OAuth app (`GITHUB_OAUTH_CLIENT_ID`, `GITHUB_OAUTH_CLIENT_SECRET`): hosted, each
   * signed-in user connects their own GitHub account and every call uses their token.
   */
  readonly oauth: { readonly clientId: string; readonly clientSecret: string } | undefined;
  /**
   * Toolsets chosen explicitly (`default` and `all` among them; checked against the toolsets the
   * tools declare), or undefined for the default preset.
   */
  readonly toolsets: readonly string[] | undefined;
  readonly allowlist: RepoAllowlist | undefined;
  readonly lockdown: boolean;
  readonly allowWorkflowWrites: boolean;
  readonly allowDefaultBranchWrites: boolean;
  readonly allowPrivateToPublic: boolean;
  /** Deadline for all GitHub requests of one tool call. */
  readonly timeoutMs: number;
  /** Most bytes of text one tool result may carry. */
  readonly outputBudget: number;
}

type Env = Readonly<Record<string, string | undefined>>;

/** Turns `--api-url` into a canonical API root, refusing anything that is not a plain http(s) URL. */
export function parseApiUrl(raw: string, source = '--api-url'): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`${source} must be a URL such as https://api.github.com, got "${raw}"`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new UsageError(
      `${source} must use https (or http for a local test server), got ${url.protocol}`,
    );
  if (url.username !== '' || url.password !== '')
    throw new UsageError(
      `${source} must not contain credentials; put the token in GITHUB_PERSONAL_ACCESS_TOKEN`,
    );
  if (url.search !== '' || url.hash !== '')
    throw new UsageError(`${source} must not have a query or fragment`);
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** The API root for a host name the way github/github-mcp-server's `--gh-host` reads it. */
export function apiUrlForHost(raw: string): string {
  const host = raw
    .replace(/^https?:\/\//, '')
    .replace(/\/+$/, '')
    .toLowerCase();
  if (!/^[a-z0-9.-]+(?::\d+)?$/.test(host))
    throw new UsageError(`--gh-host must be a host name such as github.example.com, got "${raw}"`);
  if (host === 'github.com' || host === 'api.github.com') return DEFAULT_API_URL;
  if (host.endsWith('.ghe.com')) return `https://${host.startsWith('api.') ? host : `api.${host}`}`;
  return `https://${host}/api/v3`;
}

/** GitHub Enterprise Server serves GraphQL at /api/graphql beside /api/v3; elsewhere at /graphql. */
export function graphqlUrlFor(apiUrl: string): string {
  return /\/api\/v3$/.test(apiUrl)
    ? apiUrl.replace(/\/api\/v3$/, '/api/graphql')
    : `${apiUrl}/graphql`;
}

/** The web root beside an API root: `api.github.com` is `github.com`, `HOST/api/v3` is `HOST`. */
export function webUrlFor(apiUrl: string): string {
  if (apiUrl === DEFAULT_API_URL) return 'https://github.com';
  if (/\/api\/v3$/.test(apiUrl)) return apiUrl.replace(/\/api\/v3$/, '');
  return apiUrl.replace(/^(https?:\/\/)api\./, '$1');
}

function oauthApp(env: Env): GithubConfig['oauth'] {
  const clientId = env.GITHUB_OAUTH_CLIENT_ID?.trim() ?? '';
  const clientSecret = env.GITHUB_OAUTH_CLIENT_SECRET?.trim() ?? '';
  if (clientId === '' && clientSecret === '') return undefined;
  if (clientId === '' || clientSecret === '')
    throw new UsageError(
      'A GitHub OAuth app needs both GITHUB_OAUTH_CLIENT_ID and GITHUB_OAUTH_CLIENT_SECRET',
    );
  return { clientId, clientSecret };
}

function nonEmpty(list: readonly string[]): readonly string[] | undefined {
  return list.length === 0 ? undefined : list;
}

function positive(flags: Flags, name: string, fallback: number): number {
  const value = flags.get(name);
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || value < 1)
    throw new UsageError(`--${name} must be a positive whole number`);
  return value;
}

export function parseConfig(flags: Flags, env: Env): GithubConfig {
  const explicitUrl = stringFlag(flags, 'api-url');
  const host = stringFlag(flags, 'gh-host');
  const apiUrl =
    explicitUrl !== undefined
      ? parseApiUrl(explicitUrl)
      : host !== undefined
        ? apiUrlForHost(host)
        : DEFAULT_API_URL;
  const token = [env.GITHUB_PERSONAL_ACCESS_TOKEN, env.GITHUB_TOKEN]
    .map((value) => value?.trim())
    .find((value) => value !== undefined && value !== '');
  if (token !== undefined && /\s/.test(token))
    throw new UsageError('GITHUB_PERSONAL_ACCESS_TOKEN contains whitespace; paste the token alone');
  const outputBudget = positive(flags, 'output-budget', DEFAULT_OUTPUT_BUDGET);
  if (outputBudget < 4096) throw new UsageError('--output-budget must be at least 4096 bytes');
  const webUrl = stringFlag(flags, 'web-url');
  return {
    token,
    apiUrl,
    graphqlUrl: graphqlUrlFor(apiUrl),
    webUrl: webUrl === undefined ? webUrlFor(apiUrl) : parseApiUrl(webUrl, '--web-url'),
    oauth: oauthApp(env),
    toolsets: nonEmpty(listFlag(flags, 'toolsets')),
    allowlist: parseAllowlist(listFlag(flags, 'repos')),
    lockdown: flags.get('lockdown') === true,
    allowWorkflowWrites: flags.get('allow-workflow-writes') === true,
    allowDefaultBranchWrites: flags.get('allow-default-branch-writes') === true,
    allowPrivateToPublic: flags.get('allow-private-to-public') === true,
    timeoutMs: positive(flags, 'timeout', DEFAULT_TIMEOUT_SECONDS) * 1000,
    outputBudget,
  };
}
