/**
 * @module
 * A real authorization server for the sign-in tests: `oidc-provider` (the certified OpenID
 * provider) on a free loopback port, issuing access tokens bound to a resource (RFC 8707) as
 * JWTs signed with its ES256 key, or as opaque tokens for resources whose path has `/opaque/`.
 * It has a registered confidential client (client credentials and authorization code), allows
 * dynamic registration, and answers introspection. Its login form (oidc-provider's development
 * interactions) signs anyone in under the login they type: the test browser (`browser.ts`) types one. The signing keys are kept here so attack
 * tests can forge tokens that differ from a real one in exactly one way.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import Provider from 'oidc-provider';

export const ISSUER_SCOPES = ['echo:read', 'echo:write'] as const;

export const CLIENT = {
  id: 'plugboard-test',
  secret: 'plugboard-test-secret-0123456789abcdef',
  redirectUri: 'http://127.0.0.1:1/callback',
} as const;

/** A second registered client: another caller, for tests where one must not reach the other's state. */
export const OTHER_CLIENT = {
  id: 'plugboard-other',
  secret: 'plugboard-other-secret-0123456789abcdef',
} as const;

type ClientCredentials = { readonly id: string; readonly secret: string };

export interface TestIssuer {
  /** The issuer identifier, `http://127.0.0.1:<port>`. */
  issuer: string;
  /** The private signing key (ES256) and its public half, as published. */
  signingKey: JWK;
  publicKey: JWK;
  /** A token for `resource` by client credentials, with `scope` (space-separated); its `sub` is the client's id. */
  clientToken(resource: string, scope: string, client?: ClientCredentials): Promise<string>;
  close(): Promise<void>;
}

export interface TestIssuerOptions {
  /**
   * More redirect URIs for {@link CLIENT}: where a server signs a browser in (the connect flow of
   * upstream accounts, `<public-url>/connect/<provider>/signin`).
   */
  redirectUris?: readonly string[];
}

export async function startTestIssuer(options: TestIssuerOptions = {}): Promise<TestIssuer> {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const signingKey: JWK = {
    ...(await exportJWK(privateKey)),
    kid: 'es-1',
    alg: 'ES256',
    use: 'sig',
  };
  const { d: _private, ...publicKey } = signingKey;
  const httpServer: Server = createServer();
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT.id,
        client_secret: CLIENT.secret,
        grant_types: ['client_credentials', 'authorization_code'],
        response_types: ['code'],
        redirect_uris: [CLIENT.redirectUri, ...(options.redirectUris ?? [])],
        scope: `openid ${ISSUER_SCOPES.join(' ')}`,
      },
      {
        client_id: OTHER_CLIENT.id,
        client_secret: OTHER_CLIENT.secret,
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
        scope: ISSUER_SCOPES.join(' '),
      },
    ],
    jwks: { keys: [signingKey] },
    clientDefaults: { id_token_signed_response_alg: 'ES256' },
    scopes: ['openid', ...ISSUER_SCOPES],
    findAccount: (_ctx, id) => ({
      accountId: id,
      claims: () => ({ sub: id, name: `User ${id}` }),
    }),
    features: {
      devInteractions: { enabled: true },
      clientCredentials: { enabled: true },
      introspection: { enabled: true },
      registration: { enabled: true },
      resourceIndicators: {
        enabled: true,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, resource) => ({
          scope: ISSUER_SCOPES.join(' '),
          audience: resource,
          accessTokenTTL: 300,
          ...(resource.includes('/opaque/')
            ? { accessTokenFormat: 'opaque' as const }
            : { accessTokenFormat: 'jwt' as const, jwt: { sign: { alg: 'ES256' } } }),
        }),
      },
    },
  });
  // oidc-provider logs what it finds odd on stderr; the tests read the server's stderr, not this.
  provider.on('server_error', () => undefined);
  const callback = provider.callback();
  httpServer.on('request', (request, response) => void callback(request, response));

  return {
    issuer,
    signingKey,
    publicKey,
    async clientToken(resource, scope, client = CLIENT) {
      const response = await fetch(`${issuer}/token`, {
        method: 'POST',
        headers: {
          Authorization: `Basic ${Buffer.from(`${client.id}:${client.secret}`).toString('base64')}`,
          'Content-Type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({ grant_type: 'client_credentials', resource, scope }).toString(),
      });
      const body = (await response.json()) as { access_token?: string; error_description?: string };
      if (body.access_token === undefined)
        throw new Error(`token request failed: ${body.error_description ?? response.status}`);
      return body.access_token;
    },
    close: () =>
      new Promise<void>((resolve) => {
        httpServer.close(() => resolve());
        httpServer.closeAllConnections();
      }),
  };
}
