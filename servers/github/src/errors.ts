/**
 * @module
 * The one place where GitHub's failures become messages the model (and the person behind it) can
 * act on: which scope or permission is missing, whether a thing is absent or merely invisible to
 * the token, when a rate limit resets. Upstream bodies are never passed through: at most GitHub's
 * short `message` field, sanitised, cut and fenced as untrusted text like any other text from
 * GitHub, and never anything from the request's headers.
 */
import { fenceUntrusted } from '@plugboard/kit/untrusted';
import { redactText, ToolError } from '@plugboard/protocol';
import { sanitizeLine } from './sanitize.js';

interface HttpFailure {
  readonly status: number;
  readonly message: string;
  readonly request?: { readonly method?: string; readonly url?: string };
  readonly response?: { readonly headers?: Headers; readonly data?: unknown };
}

interface GraphqlFailure {
  readonly name: 'GraphqlResponseError';
  readonly errors?: readonly { readonly type?: string; readonly message?: string }[];
  readonly headers?: Headers;
}

function isHttpFailure(error: unknown): error is HttpFailure {
  return (
    error instanceof Error &&
    typeof (error as { status?: unknown }).status === 'number' &&
    'request' in error
  );
}

function isGraphqlFailure(error: unknown): error is GraphqlFailure {
  return error instanceof Error && error.name === 'GraphqlResponseError';
}

type Headers = Readonly<Record<string, string | number | undefined>> | undefined;

function header(headers: Headers, name: string): string | undefined {
  const value = headers?.[name];
  return value === undefined ? undefined : String(value);
}

/** GitHub's own short explanation, cleaned: one line, no secrets, no links. */
function upstreamMessage(data: unknown): string | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const { message, errors } = data as { message?: unknown; errors?: unknown };
  const parts: string[] = [];
  if (typeof message === 'string' && message.trim() !== '') parts.push(message);
  if (Array.isArray(errors)) {
    for (const item of errors.slice(0, 5)) {
      if (typeof item === 'string') parts.push(item);
      else if (typeof item === 'object' && item !== null) {
        const {
          field,
          code,
          message: detail,
        } = item as { field?: unknown; code?: unknown; message?: unknown };
        if (typeof detail === 'string') parts.push(detail);
        else if (typeof field === 'string' && typeof code === 'string')
          parts.push(`${field}: ${code}`);
      }
    }
  }
  if (parts.length === 0) return undefined;
  return redactText(sanitizeLine(parts.join('; ').replace(/https?:\/\/\S+/g, ''), 300));
}

/**
 * `message` followed by GitHub's own words, fenced: they come from the upstream (a repository's
 * branch protection, an app's check text) and are data, not instructions.
 */
function withUpstream(message: string, detail: string | undefined): ToolError {
  return new ToolError(
    detail === undefined
      ? message
      : `${message}\n${fenceUntrusted('GitHub error message', detail)}`,
  );
}

/** "at 2026-11-21T10:00:00Z (in about 12 minutes)" from an epoch-seconds reset header. */
export function describeReset(resetSeconds: string | undefined, now = Date.now()): string {
  const reset = Number(resetSeconds);
  if (!Number.isFinite(reset) || reset <= 0) return 'soon';
  const wait = Math.max(0, Math.ceil((reset * 1000 - now) / 1000));
  const when = new Date(reset * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const relative = wait < 90 ? `${wait} seconds` : `${Math.ceil(wait / 60)} minutes`;
  return `at ${when} (in about ${relative})`;
}

function route(failure: HttpFailure): string {
  const url = failure.request?.url;
  if (url === undefined) return 'the request';
  try {
    return `${failure.request?.method ?? 'GET'} ${new URL(url).pathname}`;
  } catch {
    return 'the request';
  }
}

function rateLimitError(failure: HttpFailure): ToolError | undefined {
  const headers = failure.response?.headers;
  const remaining = header(headers, 'x-ratelimit-remaining');
  const retryAfter = header(headers, 'retry-after');
  const secondary =
    /secondary rate limit|abuse/i.test(failure.message) ||
    (retryAfter !== undefined && remaining !== '0');
  if (secondary) {
    const wait = Number(retryAfter);
    return new ToolError(
      `GitHub's secondary rate limit stopped this request (too many requests or writes in a short time). ` +
        `Wait ${Number.isFinite(wait) && wait > 0 ? `${wait} seconds` : 'a minute or more'} before retrying, and avoid bursts of writes.`,
    );
  }
  if (remaining === '0') {
    const resource = header(headers, 'x-ratelimit-resource') ?? 'core';
    return new ToolError(
      `GitHub's API rate limit (${resource}) is used up; it resets ${describeReset(header(headers, 'x-ratelimit-reset'))}. ` +
        'Retry after that time.',
    );
  }
  return undefined;
}

function forbidden(failure: HttpFailure, detail: string | undefined): ToolError {
  const headers = failure.response?.headers;
  const accepted = header(headers, 'x-accepted-oauth-scopes');
  const granted = header(headers, 'x-oauth-scopes');
  const permissions = header(headers, 'x-accepted-github-permissions');
  if (accepted !== undefined && accepted.trim() !== '') {
    const have = new Set(
      (granted ?? '')
        .split(',')
        .map((scope) => scope.trim())
        .filter(Boolean),
    );
    const needed = accepted
      .split(',')
      .map((scope) => scope.trim())
      .filter(Boolean);
    if (!needed.some((scope) => have.has(scope))) {
      return new ToolError(
        `The token lacks the scope this call needs: ${needed.map((scope) => `\`${scope}\``).join(' or ')} ` +
          `(it has ${have.size === 0 ? 'no scopes' : [...have].map((scope) => `\`${scope}\``).join(', ')}). The token's owner must add it.`,
      );
    }
  }
  if (permissions !== undefined && permissions.trim() !== '') {
    return new ToolError(
      `The token is not allowed to do this (${route(failure)}). It needs the permission ${permissions.replace(/;/g, ' or ')}` +
        ' on this repository; a fine-grained token must include the repository and grant that permission.',
    );
  }
  return withUpstream(
    `GitHub refused access (403) to ${route(failure)}. ` +
      'The token may lack a permission or scope, or an organisation policy may block it.',
    detail,
  );
}

function httpError(failure: HttpFailure, hasToken: boolean): ToolError {
  const detail = upstreamMessage(failure.response?.data);
  const { status } = failure;
  if (status === 403 || status === 429) {
    const limited = rateLimitError(failure);
    if (limited !== undefined) return limited;
    if (status === 403) return forbidden(failure, detail);
  }
  switch (status) {
    case 401:
      return new ToolError(
        hasToken
          ? 'GitHub rejected the token (401): it is expired, revoked or mistyped. The operator must set a valid GITHUB_PERSONAL_ACCESS_TOKEN.'
          : 'GitHub requires authentication for this (401). The operator must set GITHUB_PERSONAL_ACCESS_TOKEN.',
      );
    case 404:
      return new ToolError(
        `Not found (${route(failure)}): it does not exist, or the token cannot see it. ` +
          'Check the owner, repository, number or path; private repositories need a token that includes them.',
      );
    case 409:
      return withUpstream(
        'Conflict (409). Refresh what you know (for example the branch head or file sha) and try again.',
        detail,
      );
    case 410:
      return withUpstream('Gone (410). The feature may be disabled for this repository.', detail);
    case 405:
    case 422:
    case 400:
      return withUpstream(`GitHub refused the request (${status}).`, detail);
    case 451:
      return new ToolError('This resource is unavailable for legal reasons (451).');
    default:
      break;
  }
  if (failure.response === undefined) {
    const cause = failure.message.replace(/https?:\/\/\S+/g, '').trim();
    return new ToolError(
      `Could not reach the GitHub API${cause === '' ? '' : `: ${redactText(sanitizeLine(cause, 200))}`}. Check GITHUB_API_URL and the network.`,
    );
  }
  if (status >= 500)
    return new ToolError(
      `GitHub had a server error (${status}) and retries did not help. Try again later.`,
    );
  return withUpstream(`GitHub answered ${status}.`, detail);
}

function graphqlError(failure: GraphqlFailure): ToolError {
  const first = failure.errors?.[0];
  const detail =
    first?.message === undefined ? undefined : redactText(sanitizeLine(first.message, 300));
  switch (first?.type) {
    case 'NOT_FOUND':
      return withUpstream('Not found. It does not exist, or the token cannot see it.', detail);
    case 'FORBIDDEN':
      return withUpstream(
        'GitHub refused access. The token may lack a permission or scope.',
        detail,
      );
    case 'RATE_LIMITED':
      return new ToolError(
        `GitHub's GraphQL rate limit is used up; it resets ${describeReset(header(failure.headers, 'x-ratelimit-reset'))}.`,
      );
    default:
      return withUpstream("GitHub's GraphQL API reported an error.", detail);
  }
}

/**
 * Converts a failure from Octokit (REST or GraphQL) into a {@link ToolError}; returns undefined
 * for anything else, which then surfaces as a bug.
 */
export function toToolError(error: unknown, hasToken: boolean): ToolError | undefined {
  if (error instanceof ToolError) return error;
  if (isGraphqlFailure(error)) return graphqlError(error);
  if (isHttpFailure(error)) return httpError(error, hasToken);
  if (error instanceof Error && error.message === 'GraphQL Rate Limit Exceeded') {
    // Octokit's throttling plugin throws this with the answer attached.
    const { response } = error as { response?: { headers?: Headers } };
    return new ToolError(
      `GitHub's GraphQL rate limit is used up; it resets ${describeReset(header(response?.headers, 'x-ratelimit-reset'))}. Retry after that time.`,
    );
  }
  return undefined;
}
