/**
 * @module
 * {@link ConnectFlow}: the browser's side of connecting an upstream account, three GET routes
 * under `/connect/<provider>/`:
 *
 * 1. `<id>`, the link the user was given: the pending connect must exist; a cookie marks this
 *    browser, and the browser is sent to sign in at the operator's authorization server.
 * 2. `signin`, where it comes back: the `state` is claimed (once), the cookie must match, and the
 *    signed-in subject must be the pending connect's. Anyone else is refused, the pending
 *    connect is used up and nothing is stored (a link forwarded to, or phished by, another
 *    user connects nobody). Then the browser goes to the provider with a new `state` and the
 *    PKCE challenge.
 * 3. `callback`, the provider's redirect: the `state` is claimed (forged or replayed: refused,
 *    nothing stored), the code exchanged with the verifier and the operator's client, and the
 *    grant stored for the subject, sealed.
 *
 * Every answer is a page or a redirect; codes, states and tokens are never logged.
 */
import { redirectAnswer, type Answer, type RouteRequest } from '@plugboard/protocol/http';
import type { Logger } from '@plugboard/protocol';
import { TokenEndpointError } from './errors.js';
import type { OperatorSignIn } from './operator-sign-in.js';
import { connectedPage, refusedPage } from './pages.js';
import type { ConnectRecords, ConnectState, PendingConnect } from './records.js';
import { isToken, pkceChallenge, randomToken, subjectKey } from './secrets.js';
import { readGrant, requestToken } from './token-endpoint.js';
import type { UpstreamClient, UpstreamProvider } from './types.js';
import type { GrantVault } from './vault.js';

const COOKIE = 'plugboard_connect';
const MAX_CODE = 2048;

export interface ConnectFlowParts {
  readonly provider: UpstreamProvider;
  readonly client: UpstreamClient;
  readonly records: ConnectRecords;
  readonly vault: GrantVault;
  readonly signIn: OperatorSignIn;
  /** `https://mcp.example.com`: the routes' origin, without a trailing slash. */
  readonly publicUrl: string;
  readonly ttlMs: number;
  readonly logger: Logger;
}

/** The connect routes' paths for one provider. */
export function connectPaths(publicUrl: string, provider: string) {
  const base = `${publicUrl}/connect/${provider}`;
  return {
    link: (id: string) => `${base}/${id}`,
    signin: `${base}/signin`,
    callback: `${base}/callback`,
  };
}

function cookieOf(request: RouteRequest): string | undefined {
  for (const part of (request.header('cookie') ?? '').split(';')) {
    const [name, value] = part.trim().split('=');
    if (name === COOKIE && isToken(value)) return value;
  }
  return undefined;
}

const EXPIRED_LINK =
  'This connect link is unknown, used up or expired. Call the tool again for a new one.';
const STALE_STATE =
  'This sign-in answer is unknown or was already used (a page reloaded, or a link that was not made for this browser). Call the tool again for a new link.';

export class ConnectFlow {
  readonly #parts: ConnectFlowParts;
  readonly #paths: ReturnType<typeof connectPaths>;

  constructor(parts: ConnectFlowParts) {
    this.#parts = parts;
    this.#paths = connectPaths(parts.publicUrl, parts.provider.id);
  }

  /** Answers `/connect/<provider>/<rest>`; `rest` is the path after the provider. */
  handle(rest: string, request: RouteRequest): Promise<Answer> {
    if (rest === 'signin') return this.#signedIn(request);
    if (rest === 'callback') return this.#callback(request);
    if (isToken(rest)) return this.#open(rest);
    return Promise.resolve(refusedPage(404, 'There is no such connect page.'));
  }

  async #open(id: string): Promise<Answer> {
    const pending = await this.#parts.records.find(id);
    if (pending === undefined) return refusedPage(404, EXPIRED_LINK);
    const browser = randomToken();
    const nonce = randomToken();
    const verifier = randomToken();
    const state = await this.#parts.records.issueState({
      kind: 'signin',
      pendingId: id,
      browser: await subjectKey(browser),
      nonce,
      verifier,
    });
    const secure = this.#parts.publicUrl.startsWith('https:') ? '; Secure' : '';
    return redirectAnswer(await this.#parts.signIn.authorizeUrl(state, nonce, verifier), {
      'Set-Cookie': `${COOKIE}=${browser}; Path=/connect/${this.#parts.provider.id}/; HttpOnly; SameSite=Lax; Max-Age=${Math.ceil(this.#parts.ttlMs / 1000)}${secure}`,
    });
  }

  /** The state of `kind` this request carries, claimed, and its pending connect; or a refusal. */
  async #claim(
    request: RouteRequest,
    kind: ConnectState['kind'],
  ): Promise<{ state: ConnectState; pending: PendingConnect } | Answer> {
    const value = request.query.get('state');
    const state = isToken(value) ? await this.#parts.records.claimState(kind, value) : undefined;
    if (state === undefined) return refusedPage(400, STALE_STATE);
    const cookie = cookieOf(request);
    if (cookie === undefined || (await subjectKey(cookie)) !== state.browser)
      return refusedPage(
        400,
        'This browser did not open the connect link: finish the flow in the browser that started it.',
      );
    const pending = await this.#parts.records.find(state.pendingId);
    if (pending === undefined) return refusedPage(404, EXPIRED_LINK);
    return { state, pending };
  }

  async #signedIn(request: RouteRequest): Promise<Answer> {
    const claimed = await this.#claim(request, 'signin');
    if (!('pending' in claimed)) return claimed;
    const { state, pending } = claimed;
    const code = request.query.get('code');
    if (code === null || code.length > MAX_CODE)
      return this.#refuse(pending, 'The sign-in did not complete.', 400);
    let subject: string;
    try {
      subject = await this.#parts.signIn.subject(
        code,
        state.verifier ?? '',
        state.nonce ?? '',
        request.signal,
      );
    } catch (error) {
      this.#parts.logger.warn('connect sign-in failed', { error: messageOf(error) });
      return refusedPage(502, 'The sign-in could not be checked. Open the connect link again.');
    }
    if (subject !== pending.subject) {
      this.#parts.logger.warn('connect link opened by another user: refused', {
        user: pending.subject,
        browserUser: subject,
        provider: pending.provider,
      });
      return this.#refuse(
        pending,
        'You are signed in as someone other than the person this link was made for.',
        403,
      );
    }
    const upstreamState = await this.#parts.records.issueState({
      kind: 'upstream',
      pendingId: pending.id,
      browser: state.browser,
    });
    return redirectAnswer(await this.#authorizeUrl(upstreamState, pending));
  }

  async #authorizeUrl(state: string, pending: PendingConnect): Promise<string> {
    const { provider, client } = this.#parts;
    const url = new URL(provider.authorizationEndpoint);
    const parameters = new URLSearchParams(url.search);
    parameters.set('response_type', 'code');
    parameters.set('client_id', client.clientId);
    parameters.set('redirect_uri', this.#paths.callback);
    parameters.set(
      provider.scopeParameter ?? 'scope',
      provider.scopes.join(provider.scopeSeparator ?? ' '),
    );
    parameters.set('state', state);
    parameters.set('code_challenge', await pkceChallenge(pending.verifier));
    parameters.set('code_challenge_method', 'S256');
    for (const [name, value] of Object.entries(provider.authorizeParameters ?? {}))
      parameters.set(name, value);
    url.search = parameters.toString();
    return url.href;
  }

  async #callback(request: RouteRequest): Promise<Answer> {
    const claimed = await this.#claim(request, 'upstream');
    if (!('pending' in claimed)) return claimed;
    const { pending } = claimed;
    const { provider, records, vault, logger } = this.#parts;
    const code = request.query.get('code');
    if (code === null || code.length > MAX_CODE)
      return this.#refuse(pending, `${provider.title} did not grant access.`, 400);
    if (!(await records.burn(pending))) return refusedPage(400, STALE_STATE);
    let grant;
    try {
      const body = await requestToken({
        endpoint: provider.tokenEndpoint,
        upstream: provider.title,
        client: this.#parts.client,
        clientAuth: 'post',
        parameters: {
          grant_type: 'authorization_code',
          code,
          redirect_uri: this.#paths.callback,
          code_verifier: pending.verifier,
        },
        signal: request.signal,
      });
      grant = (provider.readGrant ?? readGrant)(body);
    } catch (error) {
      const message = `${provider.title} did not exchange the code: ${messageOf(error)}.`;
      await records.settle(pending.id, { kind: 'refused', reason: message });
      logger.warn('connect code exchange failed', {
        user: pending.subject,
        provider: provider.id,
        error: messageOf(error),
      });
      return refusedPage(error instanceof TokenEndpointError && error.refused ? 400 : 502, message);
    }
    await vault.put(pending.subject, grant);
    await records.settle(pending.id, { kind: 'connected' });
    logger.info('upstream account connected', {
      user: pending.subject,
      provider: provider.id,
      ...(grant.account === undefined ? {} : { account: grant.account }),
    });
    return connectedPage(provider.title, grant.account);
  }

  /** Uses `pending` up with `reason`, so the waiting call ends too, and answers the refusal. */
  async #refuse(pending: PendingConnect, reason: string, status: 400 | 403): Promise<Answer> {
    if (await this.#parts.records.burn(pending))
      await this.#parts.records.settle(pending.id, { kind: 'refused', reason });
    return refusedPage(status, reason);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
