/**
 * @module
 * The Octokit client, built on first use so that start-up never pays for it. Requests go through
 * a fetch that refuses any URL outside the configured API root and drops the token when GitHub
 * redirects to another host (job logs live on blob storage), and every response body is read
 * under the kit's byte cap. Retries are bounded: server errors
 * twice, rate limits once and only when the wait is short; writes and searches are paced the way
 * GitHub asks integrators to.
 */
import type { Octokit } from '@octokit/rest';
import type { UpstreamAccounts } from '@plugboard/kit/accounts';
import type { Logger, RequestContext } from '@plugboard/protocol';
import { UserClients } from '@plugboard/kit/sessions';
import { capResponseBodies, DEFAULT_MAX_BODY_BYTES } from '@plugboard/kit/upstream';
import type { GithubConfig } from './config.js';
import { VERSION } from './spec.js';

/**
 * Gives the Octokit for one request: the shared one (the operator's token), created on the first
 * call; or, hosted with per-user accounts, one acting with the caller's own token.
 */
export interface GithubClient {
  octokit(ctx: RequestContext): Promise<Octokit>;
}

/** Minimum spacing between requests of a kind, in milliseconds (GitHub's guidance by default). */
export interface Pacing {
  readonly writeMs: number;
  readonly searchMs: number;
  readonly notificationsMs: number;
}

export const GITHUB_PACING: Pacing = { writeMs: 1000, searchMs: 2000, notificationsMs: 3000 };

export interface ClientOptions {
  readonly logger: Logger;
  readonly pacing?: Pacing;
  /** The underlying fetch (tests may wrap it); defaults to the global one. */
  readonly fetch?: typeof fetch;
  /** Unit of the retry waits after server errors (1 s, then 4 s); tests shorten it. */
  readonly retryBaseMs?: number;
  /** Most bytes one response body may have (default the kit's {@link DEFAULT_MAX_BODY_BYTES}). */
  readonly maxBodyBytes?: number;
}

/** Longest rate-limit wait a call sits through before it reports the limit instead. */
export const MAX_RATE_LIMIT_WAIT_SECONDS = 15;
const MAX_REDIRECTS = 5;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

function withinRoot(url: URL, root: URL): boolean {
  if (url.origin !== root.origin) return false;
  const base = root.pathname.replace(/\/+$/, '');
  return base === '' || url.pathname === base || url.pathname.startsWith(`${base}/`);
}

/**
 * A fetch that only sends requests under `roots`, follows redirects itself and never carries the
 * Authorization header to another origin or from https down to http.
 */
export function createGuardedFetch(
  roots: readonly string[],
  base: typeof fetch = fetch,
): typeof fetch {
  const allowed = roots.map((root) => new URL(root));
  return async (input, init) => {
    let url = new URL(input instanceof Request ? input.url : String(input));
    if (!allowed.some((root) => withinRoot(url, root)))
      throw new Error(
        `Refusing a request outside the configured GitHub API root (${url.origin}${url.pathname})`,
      );
    const { body: initialBody, ...rest } = init ?? {};
    const headers = new Headers(rest.headers);
    let method = rest.method ?? 'GET';
    let body = initialBody ?? undefined;
    for (let hop = 0; ; hop++) {
      const response = await base(url, {
        ...rest,
        method,
        headers,
        redirect: 'manual',
        ...(body === undefined ? {} : { body }),
      });
      const location = response.headers.get('location');
      if (!REDIRECTS.has(response.status) || location === null || hop >= MAX_REDIRECTS)
        return response;
      await response.body?.cancel();
      const next = new URL(location, url);
      if (next.protocol !== 'https:' && next.protocol !== 'http:')
        throw new Error('Refusing a redirect to a non-HTTP URL');
      if (url.protocol === 'https:' && next.protocol !== 'https:')
        throw new Error('Refusing a redirect from https to http');
      if (next.origin !== url.origin) headers.delete('authorization');
      if (
        response.status === 303 ||
        (method === 'POST' && response.status !== 307 && response.status !== 308)
      ) {
        method = 'GET';
        body = undefined;
        headers.delete('content-type');
      }
      url = next;
    }
  };
}

interface LimitOptions {
  readonly method?: string;
  readonly url?: string;
  readonly request?: { readonly signal?: AbortSignal | null };
}

async function buildOctokit(
  config: GithubConfig,
  options: ClientOptions,
  token: string | undefined,
): Promise<Octokit> {
  const [{ Octokit: Rest }, { retry }, { throttling }, { default: Bottleneck }] = await Promise.all(
    [
      import('@octokit/rest'),
      import('@octokit/plugin-retry'),
      import('@octokit/plugin-throttling'),
      import('bottleneck/light.js'),
    ],
  );
  const { logger } = options;
  const pacing = options.pacing ?? GITHUB_PACING;
  const group = (minTime: number) => new Bottleneck.Group({ maxConcurrent: 1, minTime });
  const onLimit =
    (kind: string) =>
    (retryAfter: number, request: LimitOptions, _octokit: unknown, retryCount: number): boolean => {
      const retrying =
        retryCount === 0 &&
        retryAfter <= MAX_RATE_LIMIT_WAIT_SECONDS &&
        request.request?.signal?.aborted !== true;
      logger.warn(`GitHub ${kind} rate limit`, {
        request: `${request.method ?? ''} ${request.url ?? ''}`,
        retryAfterSeconds: retryAfter,
        retrying,
      });
      return retrying;
    };
  const Client = Rest.plugin(retry, throttling);
  return new Client({
    ...(token === undefined ? {} : { auth: token }),
    baseUrl: config.apiUrl,
    userAgent: `plugboard-server-github/${VERSION}`,
    // Octokit reports every failed request at error level; the tool result already says what failed.
    log: {
      debug: (message: string) => logger.debug(message),
      info: (message: string) => logger.debug(message),
      warn: (message: string) => logger.warn(message),
      error: (message: string) => logger.debug(message),
    },
    request: {
      fetch: capResponseBodies(
        createGuardedFetch([config.apiUrl, config.graphqlUrl], options.fetch),
        { upstream: 'GitHub', maxBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES },
      ),
    },
    retry: {
      retries: 2,
      retryAfterBaseValue: options.retryBaseMs ?? 1000,
      doNotRetry: [400, 401, 403, 404, 405, 409, 410, 422, 429, 451],
    },
    throttle: {
      id: 'plugboard-server-github',
      write: group(pacing.writeMs),
      search: group(pacing.searchMs),
      notifications: group(pacing.notificationsMs),
      onRateLimit: onLimit('primary'),
      onSecondaryRateLimit: onLimit('secondary'),
    },
  });
}

/**
 * The lazily created client; a failed import is retried on the next call. With `accounts`, each
 * caller's requests use their own token (asked for by the accounts, which connect the account
 * first when needed), through the kit's {@link UserClients}: one client per user and token, keyed
 * by a hash, never the token.
 */
export function createGithubClient(
  config: GithubConfig,
  options: ClientOptions & { readonly accounts?: UpstreamAccounts | undefined },
): GithubClient {
  const { accounts } = options;
  if (accounts !== undefined) return perUserClient(config, options, accounts);
  let loading: Promise<Octokit> | undefined;
  return {
    octokit() {
      loading ??= buildOctokit(config, options, config.token).catch((error: unknown) => {
        loading = undefined;
        throw error;
      });
      return loading;
    },
  };
}

function perUserClient(
  config: GithubConfig,
  options: ClientOptions,
  accounts: UpstreamAccounts,
): GithubClient {
  const clients = new UserClients((token) => buildOctokit(config, options, token));
  return {
    async octokit(ctx) {
      const token = await accounts.accessToken(ctx);
      // accessToken refuses a caller who is not signed in, so the subject is there.
      const subject = ctx.auth?.subject ?? '';
      try {
        return await clients.get(subject, token);
      } catch (error) {
        // A failed import is tried again on the next call, as for the shared client.
        await clients.forget(subject, token);
        throw error;
      }
    },
  };
}
