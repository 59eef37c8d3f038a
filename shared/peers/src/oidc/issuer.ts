/**
 * @module
 * A real authorization server for the sign-in tests (`@plugboard/peers/oidc`, kept out of the
 * main entry so that the bench never loads it): `oidc-provider` (the certified OpenID provider)
 * on a free loopback port, issuing access tokens bound to a resource (RFC 8707) as
 * JWTs signed with its ES256 key, or as opaque tokens for resources whose path has `/opaque/`.
 * It has a registered confidential client (client credentials and authorization code), allows
 * dynamic registration, and answers introspection. Its login form (oidc-provider's development
 * interactions) signs anyone in under the login they type: the test browser (`browser.ts`) types one. The signing keys are kept here so attack
 * tests can forge tokens that differ from a real one in exactly one way.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, importJWK, SignJWT, type JWK } from 'jose';
import Provider from 'oidc-provider';

/** The scopes it grants unless told others. */
export const ISSUER_SCOPES = ['echo:read', 'echo:write'] as const;

export interface TestIssuerOptions {
  /** The scopes it knows and grants to both clients (default {@link ISSUER_SCOPES}). */
  readonly scopes?: readonly string[];
  /**
   * More redirect URIs for {@link CLIENT}: where a server signs a browser in (the connect flow of
   * upstream accounts, `<public-url>/connect/<provider>/signin`).
   */
  readonly redirectUris?: readonly string[];
}

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
  /** The public half of an RSA key it also publishes (kid `rs-1`), for key-confusion attacks. */
  rsaPublicKey: JWK;
  /** A token for `resource` by client credentials, with `scope` (space-separated); its `sub` is the client's id. */
  clientToken(resource: string, scope: string, client?: ClientCredentials): Promise<string>;
  /**
   * A JWT access token for the user `subject` and `resource`, signed with the issuer's key as its
   * sign-in would issue it (five minutes, `client_id` the registered client): a signed-in user
   * without driving the MCP client's own OAuth flow.
   */
  userToken(subject: string, resource: string, scope?: string): Promise<string>;
  close(): Promise<void>;
}

export async function startTestIssuer(options: TestIssuerOptions = {}): Promise<TestIssuer> {
  const scopes = options.scopes ?? ISSUER_SCOPES;
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const signingKey: JWK = {
    ...(await exportJWK(privateKey)),
    kid: 'es-1',
    alg: 'ES256',
    use: 'sig',
  };
  const { d: _private, ...publicKey } = signingKey;
  const rsa = await generateKeyPair('RS256', { extractable: true });
  const rsaKey: JWK = {
    ...(await exportJWK(rsa.privateKey)),
    kid: 'rs-1',
    alg: 'RS256',
    use: 'sig',
  };
  const rsaPublicKey: JWK = {
    ...(await exportJWK(rsa.publicKey)),
    kid: 'rs-1',
    alg: 'RS256',
    use: 'sig',
  };
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
        scope: `openid ${scopes.join(' ')}`,
      },
      {
        client_id: OTHER_CLIENT.id,
        client_secret: OTHER_CLIENT.secret,
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
        scope: scopes.join(' '),
      },
    ],
    jwks: { keys: [signingKey, rsaKey] },
    clientDefaults: { id_token_signed_response_alg: 'ES256' },
    scopes: ['openid', ...scopes],
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
          scope: scopes.join(' '),
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
    rsaPublicKey,
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
    async userToken(subject, resource, scope = ISSUER_SCOPES[0]) {
      return new SignJWT({ scope, client_id: CLIENT.id })
        .setProtectedHeader({ alg: 'ES256', kid: signingKey.kid! })
        .setIssuer(issuer)
        .setAudience(resource)
        .setSubject(subject)
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(await importJWK(signingKey, 'ES256'));
    },
    close: () =>
      new Promise<void>((resolve) => {
        httpServer.close(() => resolve());
        httpServer.closeAllConnections();
      }),
  };
}
