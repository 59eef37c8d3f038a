/**
 * @module
 * {@link OperatorSignIn}: signs the browser that opened a connect link in at the operator's own
 * authorization server (OpenID Connect, authorization code with PKCE, scope `openid`), so the
 * connect flow knows who is at the browser before anything is granted: the person who completes
 * it must be the one who asked (MCP 2025-11-25, URL-mode elicitation). The issuer is found and
 * the ID token checked by the protocol's own discovery and JWT checks (`@plugboard/protocol/oidc`,
 * loaded on the first connect): issuer, audience (this server's client id), expiry, the
 * asymmetric algorithm allowlist, and the nonce.
 */
import type { JwtVerifier } from '@plugboard/protocol/oidc';
import { pkceChallenge } from './secrets.js';
import { readGrant, requestToken } from './token-endpoint.js';
import type { UpstreamClient } from './types.js';

export interface OperatorIdentity {
  /** The issuer MCP access tokens come from (`--auth-issuer`). */
  readonly issuer: string;
  /** This server's client there (`--auth-client-id`, `MCP_AUTH_CLIENT_SECRET`). */
  readonly client: UpstreamClient;
  readonly clockToleranceSeconds?: number;
}

interface Discovered {
  readonly authorizationEndpoint: string;
  readonly tokenEndpoint: string;
  readonly verify: JwtVerifier;
}

/** The sign-in server, for messages. */
const UPSTREAM = 'The sign-in server';

export class OperatorSignIn {
  readonly #identity: OperatorIdentity;
  readonly #redirectUri: string;
  #discovered: Promise<Discovered> | undefined;

  constructor(identity: OperatorIdentity, redirectUri: string) {
    this.#identity = identity;
    this.#redirectUri = redirectUri;
  }

  /** Where to send the browser to sign in, carrying `state`, `nonce` and the PKCE challenge. */
  async authorizeUrl(state: string, nonce: string, verifier: string): Promise<string> {
    const { authorizationEndpoint } = await this.#discover();
    const url = new URL(authorizationEndpoint);
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: this.#identity.client.clientId,
      redirect_uri: this.#redirectUri,
      scope: 'openid',
      state,
      nonce,
      code_challenge: await pkceChallenge(verifier),
      code_challenge_method: 'S256',
    }).toString();
    return url.href;
  }

  /** The subject of the browser's user: the code exchanged, the ID token checked. Throws otherwise. */
  async subject(
    code: string,
    verifier: string,
    nonce: string,
    signal: AbortSignal,
  ): Promise<string> {
    const { tokenEndpoint, verify } = await this.#discover();
    const body = await requestToken({
      endpoint: tokenEndpoint,
      upstream: UPSTREAM,
      client: this.#identity.client,
      clientAuth: 'basic',
      parameters: {
        grant_type: 'authorization_code',
        code,
        redirect_uri: this.#redirectUri,
        code_verifier: verifier,
      },
      signal,
    });
    readGrant(body);
    if (typeof body.id_token !== 'string') throw new Error(`${UPSTREAM} answered no ID token`);
    const token = await verify(body.id_token, this.#identity.client.clientId);
    if (token.claims.nonce !== nonce) throw new Error(`${UPSTREAM}'s ID token has another nonce`);
    return token.subject;
  }

  #discover(): Promise<Discovered> {
    const found = (this.#discovered ??= this.#load());
    // A failed discovery is tried again on the next connect, not remembered.
    found.catch(() => {
      if (this.#discovered === found) this.#discovered = undefined;
    });
    return found;
  }

  async #load(): Promise<Discovered> {
    const { createJwtVerifier, discoverIssuer } = await import('@plugboard/protocol/oidc');
    const { issuer, clockToleranceSeconds = 30 } = this.#identity;
    const metadata = await discoverIssuer(issuer);
    const { authorizationEndpoint, tokenEndpoint, jwksUri } = metadata;
    if (authorizationEndpoint === undefined || tokenEndpoint === undefined || jwksUri === undefined)
      throw new Error(
        `The issuer ${issuer} publishes no authorization_endpoint, token_endpoint or jwks_uri, which signing a browser in needs`,
      );
    return {
      authorizationEndpoint,
      tokenEndpoint,
      verify: createJwtVerifier({ issuer, jwksUri, clockToleranceSeconds }),
    };
  }
}
