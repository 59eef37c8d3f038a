/**
 * @module
 * The OAuth v2 side of the Slack fake, as slack.com speaks it: the consent page
 * `GET /oauth/v2/authorize` (approving at once as the person the test signed in, then
 * redirecting to `redirect_uri` with `code` and `state`), the Web API method `oauth.v2.access`
 * (client id and secret in the form or HTTP Basic, the code, the redirect URI, the PKCE
 * verifier when a challenge was sent; user tokens under `authed_user`; with token rotation,
 * expiring tokens and one-use refresh tokens) and `auth.revoke`. Tokens it issues are added to
 * the fake's token table, so the rest of the Web API answers as the person they belong to.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { FakeHandler } from '@plugboard/testing';

/** The Slack app the operator registered. */
export interface FakeSlackApp {
  readonly clientId: string;
  readonly clientSecret: string;
  /** Token rotation on: access tokens expire after this many seconds and come with refresh tokens. */
  readonly expiresIn?: number;
}

/** What the fake's Web API knows of a token. */
export interface IssuedToken {
  readonly kind: 'bot' | 'user';
  readonly scopes: readonly string[];
  readonly userId: string;
  readonly teamId?: string;
  /** The conversations this person is a member of, when not everyone's (`is_member`). */
  readonly channels?: readonly string[];
  /** Milliseconds since the epoch, by the real clock; Slack answers `token_expired` after. */
  expiresAt?: number;
}

/** A person who can sign in to the fake's consent page. */
export interface FakeSlackPerson {
  readonly userId: string;
  /** Conversations they are a member of (see {@link IssuedToken.channels}). */
  readonly channels?: readonly string[];
}

export interface FakeSlackOAuth {
  /** Whom the consent page approves as (the browser's Slack session). */
  signInAs(userId: string): void;
  /** The person at the consent page declines: Slack redirects with `error=access_denied`. */
  decline(): void;
  /** Access tokens issued to `userId`, oldest first. */
  tokensOf(userId: string): string[];
  /** Expires every access token of `userId` now. */
  expire(userId: string): void;
  /** Revokes everything `userId` granted, as removing the app on Slack's app page does. */
  revokeAll(userId: string): void;
  /** Codes exchanged, refreshes and revocations, for tests to count. */
  readonly counts: { exchanges: number; refreshes: number; revocations: number };
  readonly authorize: FakeHandler;
  /** `oauth.v2.access`: the answer's body, `ok: false` included (Slack answers HTTP 200). */
  access(args: Readonly<Record<string, string>>, authorization: string | undefined): object;
  /** `auth.revoke` for the bearer token `raw`. */
  revoke(raw: string): object;
}

interface PendingCode {
  readonly userId: string;
  readonly userScopes: readonly string[];
  readonly botScopes: readonly string[];
  readonly redirectUri: string;
  readonly challenge: string | undefined;
  used: boolean;
}

interface RefreshGrant {
  readonly userId: string;
  readonly kind: 'bot' | 'user';
  readonly scopes: readonly string[];
  used: boolean;
}

const random = (): string => randomBytes(12).toString('hex');

function page(status: number, text: string) {
  return { status, headers: { 'content-type': 'text/html' }, body: `<p>${text}</p>` };
}

function basicCredentials(header: string | undefined): [string, string] | undefined {
  if (header?.startsWith('Basic ') !== true) return undefined;
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0
    ? undefined
    : [decodeURIComponent(decoded.slice(0, colon)), decodeURIComponent(decoded.slice(colon + 1))];
}

export function fakeSlackOAuth(
  app: FakeSlackApp,
  people: readonly FakeSlackPerson[],
  team: { readonly id: string; readonly name: string },
  tokens: Map<string, IssuedToken>,
): FakeSlackOAuth {
  const codes = new Map<string, PendingCode>();
  const refreshes = new Map<string, RefreshGrant>();
  const counts = { exchanges: 0, refreshes: 0, revocations: 0 };
  let signedIn: string | undefined;
  let declines = false;

  const person = (userId: string): FakeSlackPerson => {
    const found = people.find((candidate) => candidate.userId === userId);
    if (found === undefined) throw new Error(`the fake knows no person ${userId}`);
    return found;
  };

  /** An access token (and, with rotation, its refresh token) for one person. */
  const issue = (userId: string, kind: 'bot' | 'user', scopes: readonly string[]) => {
    const prefix = kind === 'user' ? 'xoxp' : 'xoxb';
    const accessToken = `${app.expiresIn === undefined ? '' : 'xoxe.'}${prefix}-${userId}-${random()}`;
    tokens.set(accessToken, {
      kind,
      scopes,
      userId: kind === 'user' ? userId : 'U0BOT',
      teamId: team.id,
      ...(kind === 'user' && person(userId).channels !== undefined
        ? { channels: person(userId).channels! }
        : {}),
      ...(app.expiresIn === undefined ? {} : { expiresAt: Date.now() + app.expiresIn * 1000 }),
    });
    if (app.expiresIn === undefined) return { access_token: accessToken };
    const refreshToken = `xoxe-1-${random()}`;
    refreshes.set(refreshToken, { userId, kind, scopes, used: false });
    return { access_token: accessToken, refresh_token: refreshToken, expires_in: app.expiresIn };
  };

  const clientOf = (
    args: Readonly<Record<string, string>>,
    authorization: string | undefined,
  ): string | undefined => {
    const [id, secret] = basicCredentials(authorization) ?? [args.client_id, args.client_secret];
    if (id !== app.clientId) return 'invalid_client_id';
    if (secret !== app.clientSecret) return 'bad_client_secret';
    return undefined;
  };

  const failure = (error: string) => ({ ok: false, error });
  const teamJson = { id: team.id, name: team.name };

  return {
    counts,
    signInAs(userId) {
      person(userId);
      signedIn = userId;
      declines = false;
    },
    decline() {
      declines = true;
    },
    tokensOf: (userId) =>
      [...tokens.entries()]
        .filter(([, info]) => info.kind === 'user' && info.userId === userId)
        .map(([token]) => token),
    expire(userId) {
      for (const info of tokens.values())
        if (info.userId === userId) info.expiresAt = Date.now() - 1000;
    },
    revokeAll(userId) {
      for (const [token, info] of tokens)
        if (info.kind === 'user' && info.userId === userId) tokens.delete(token);
      for (const [token, grant] of refreshes) if (grant.userId === userId) refreshes.delete(token);
    },

    authorize(request) {
      const query = request.searchParams;
      if (query.get('client_id') !== app.clientId) return page(400, 'Invalid client_id parameter');
      const redirectUri = query.get('redirect_uri');
      if (redirectUri === null) return page(400, 'Missing redirect_uri');
      const split = (name: string) =>
        (query.get(name) ?? '').split(',').filter((scope) => scope !== '');
      const userScopes = split('user_scope');
      const botScopes = split('scope');
      if (userScopes.length === 0 && botScopes.length === 0)
        return page(400, 'Invalid permissions requested');
      const target = new URL(redirectUri);
      const state = query.get('state');
      if (state !== null) target.searchParams.set('state', state);
      if (signedIn === undefined) return page(401, 'Sign in to your workspace');
      if (declines) {
        target.searchParams.set('error', 'access_denied');
        return { status: 302, headers: { location: target.href }, body: '' };
      }
      const method = query.get('code_challenge_method');
      const challenge = query.get('code_challenge') ?? undefined;
      if (challenge !== undefined && method !== 'S256')
        return page(400, 'Unsupported code_challenge_method');
      const code = `${team.id}.${random()}`;
      codes.set(code, {
        userId: signedIn,
        userScopes,
        botScopes,
        redirectUri,
        challenge,
        used: false,
      });
      target.searchParams.set('code', code);
      return { status: 302, headers: { location: target.href }, body: '' };
    },

    access(args, authorization) {
      const refused = clientOf(args, authorization);
      if (refused !== undefined) return failure(refused);
      const grantType = args.grant_type ?? 'authorization_code';
      if (grantType === 'refresh_token') {
        const grant = refreshes.get(args.refresh_token ?? '');
        if (grant === undefined || grant.used) return failure('invalid_refresh_token');
        grant.used = true;
        counts.refreshes++;
        return {
          ok: true,
          app_id: 'A0FAKEAPP',
          ...issue(grant.userId, grant.kind, grant.scopes),
          token_type: grant.kind,
          scope: grant.scopes.join(','),
          ...(grant.kind === 'user' ? { user_id: grant.userId } : { bot_user_id: 'U0BOT' }),
          team: teamJson,
          enterprise: null,
          is_enterprise_install: false,
        };
      }
      if (grantType !== 'authorization_code') return failure('invalid_grant_type');
      const pending = codes.get(args.code ?? '');
      if (pending === undefined) return failure('invalid_code');
      if (pending.used) return failure('code_already_used');
      if (args.redirect_uri !== pending.redirectUri) return failure('bad_redirect_uri');
      if (pending.challenge !== undefined) {
        const verifier = args.code_verifier ?? '';
        const digest = createHash('sha256').update(verifier).digest('base64url');
        if (digest !== pending.challenge) return failure('invalid_code_verifier');
      }
      pending.used = true;
      counts.exchanges++;
      const bot =
        pending.botScopes.length === 0
          ? {}
          : {
              ...issue(pending.userId, 'bot', pending.botScopes),
              token_type: 'bot',
              scope: pending.botScopes.join(','),
              bot_user_id: 'U0BOT',
            };
      // Slack names the installing person even when it granted them no token.
      const user =
        pending.userScopes.length === 0
          ? { authed_user: { id: pending.userId } }
          : {
              authed_user: {
                id: pending.userId,
                scope: pending.userScopes.join(','),
                ...issue(pending.userId, 'user', pending.userScopes),
                token_type: 'user',
              },
            };
      return {
        ok: true,
        app_id: 'A0FAKEAPP',
        ...bot,
        ...user,
        team: teamJson,
        enterprise: null,
        is_enterprise_install: false,
      };
    },

    revoke(raw) {
      if (!tokens.delete(raw)) return failure('invalid_auth');
      counts.revocations++;
      return { ok: true, revoked: true };
    },
  };
}
