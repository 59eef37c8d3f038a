/**
 * @module
 * One request to an OAuth token endpoint (RFC 6749 section 3.2): a code or a refresh token
 * exchanged with the operator's client credentials, within a deadline, the answer read under a
 * byte cap, JSON asked for (GitHub answers form-encoded otherwise). The provider's own fields
 * are read into a grant by {@link readGrant} or the provider's `readGrant`.
 */
import { capBody } from '../upstream/body-cap.js';
import { TokenEndpointError } from './errors.js';
import type { UpstreamClient, UpstreamGrant } from './types.js';

const DEADLINE_MS = 15_000;
const MAX_ANSWER_BYTES = 64 * 1024;

export interface TokenRequest {
  readonly endpoint: string;
  /** Whose endpoint, for messages: `GitHub`, `the sign-in server`. */
  readonly upstream: string;
  readonly client: UpstreamClient;
  /**
   * `basic`: HTTP Basic (`client_secret_basic`, what OpenID providers expect by default);
   * `post`: in the form (`client_secret_post`, what GitHub, Slack and Google take).
   */
  readonly clientAuth: 'basic' | 'post';
  readonly parameters: Readonly<Record<string, string>>;
  readonly signal: AbortSignal;
}

function basic({ clientId, clientSecret }: UpstreamClient): string {
  const encode = (value: string) => encodeURIComponent(value);
  return `Basic ${Buffer.from(`${encode(clientId)}:${encode(clientSecret)}`).toString('base64')}`;
}

/** The endpoint's JSON answer; a {@link TokenEndpointError} when it cannot be had. */
export async function requestToken(request: TokenRequest): Promise<Record<string, unknown>> {
  const { client, clientAuth, upstream } = request;
  const form = new URLSearchParams(request.parameters);
  if (clientAuth === 'post') {
    form.set('client_id', client.clientId);
    form.set('client_secret', client.clientSecret);
  }
  const signal = AbortSignal.any([request.signal, AbortSignal.timeout(DEADLINE_MS)]);
  let response: Response;
  try {
    response = await fetch(request.endpoint, {
      method: 'POST',
      headers: {
        Accept: 'application/json',
        'Content-Type': 'application/x-www-form-urlencoded',
        ...(clientAuth === 'basic' ? { Authorization: basic(client) } : {}),
      },
      body: form.toString(),
      redirect: 'error',
      signal,
    });
  } catch {
    throw new TokenEndpointError(
      `${upstream}'s token endpoint could not be reached${signal.aborted ? ' in time' : ''}`,
      false,
    );
  }
  let body: unknown;
  try {
    body = await capBody(response, { upstream, maxBytes: MAX_ANSWER_BYTES }, signal).json();
  } catch {
    throw new TokenEndpointError(
      `${upstream}'s token endpoint answered HTTP ${response.status} with no JSON`,
      response.status >= 400 && response.status < 500,
    );
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new TokenEndpointError(`${upstream}'s token endpoint answered no JSON object`, false);
  const fields = body as Record<string, unknown>;
  if (!response.ok && fields.error === undefined)
    throw new TokenEndpointError(
      `${upstream}'s token endpoint answered HTTP ${response.status}`,
      response.status < 500,
    );
  return fields;
}

function text(value: unknown, length = 200): string {
  return String(value)
    .slice(0, length)
    .replace(/[^\x20-\x7e]/g, '?');
}

/**
 * The RFC 6749 fields of a token answer (section 5.1) as a grant, or the error of section 5.2
 * thrown as a refusal. Some providers (GitHub) answer errors with status 200.
 */
export function readGrant(
  body: Readonly<Record<string, unknown>>,
  now = Date.now(),
): UpstreamGrant {
  if (body.error !== undefined)
    throw new TokenEndpointError(
      `the token endpoint refused: ${text(body.error, 60)}${
        typeof body.error_description === 'string' ? ` (${text(body.error_description)})` : ''
      }`,
      true,
    );
  const { access_token: accessToken, refresh_token: refreshToken, expires_in: expiresIn } = body;
  if (typeof accessToken !== 'string' || accessToken === '')
    throw new TokenEndpointError('the token endpoint answered no access_token', false);
  const seconds = typeof expiresIn === 'string' ? Number(expiresIn) : expiresIn;
  return {
    accessToken,
    ...(typeof refreshToken === 'string' && refreshToken !== '' ? { refreshToken } : {}),
    ...(typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0
      ? { expiresAt: now + seconds * 1000 }
      : {}),
    ...(typeof body.scope === 'string' ? { scope: body.scope } : {}),
  };
}
