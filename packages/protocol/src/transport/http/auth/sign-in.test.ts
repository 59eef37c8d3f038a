import { base64url, exportSPKI, generateKeyPair, importJWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  INITIALIZE_BODY as INIT,
  JSON_HEADERS,
  raw,
  rawSocket,
} from '../../../../test/support/http-raw.js';
import { startTestServer, type TestServer } from '../../../../test/support/http-server.js';
import { CLIENT, ISSUER_SCOPES, startTestIssuer, type TestIssuer } from '@plugboard/test-issuer';
import { serveHttp } from '../index.js';
import { createServer } from '../../../mcp/server.js';

let issuer: TestIssuer;
let subject: TestServer;
let resource: string;

beforeAll(async () => {
  issuer = await startTestIssuer();
  subject = await startTestServer({
    signIn: { issuer: issuer.issuer, scopesSupported: [...ISSUER_SCOPES] },
  });
  resource = subject.listening.url;
});
afterAll(async () => {
  await subject.close();
  await issuer.close();
});

function post(url: string, token: string | undefined, headers: Record<string, string> = {}) {
  return raw(url, {
    headers: {
      ...JSON_HEADERS,
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
      ...headers,
    },
    body: INIT,
  });
}

/** A token like the issuer's own, signed with its key, with `claims` changed. */
async function forged(
  claims: Record<string, unknown>,
  header: { alg?: string; kid?: string } = {},
  key?: Parameters<SignJWT['sign']>[0],
) {
  const now = Math.floor(Date.now() / 1000);
  const payload: Record<string, unknown> = {
    sub: 'mallory',
    scope: 'echo:read echo:write',
    iss: issuer.issuer,
    aud: resource,
    iat: now,
    exp: now + 300,
    ...claims,
  };
  const present = Object.fromEntries(
    Object.entries(payload).filter(([, value]) => value !== undefined),
  );
  return new SignJWT(present)
    .setProtectedHeader({ alg: 'ES256', kid: 'es-1', ...header })
    .sign(key ?? (await importJWK(issuer.signingKey, 'ES256')));
}

function challengeOf(response: { headers: Record<string, unknown> }): string {
  return String(response.headers['www-authenticate']);
}

describe('protected-resource metadata (RFC 9728) with sign-in', () => {
  it.each(['/.well-known/oauth-protected-resource', '/.well-known/oauth-protected-resource/mcp'])(
    'is served at %s, naming the issuer, the resource, the scopes and header tokens only',
    async (path) => {
      const response = await raw(resource.replace('/mcp', path), { method: 'GET' });
      expect(response.status).toBe(200);
      expect(response.json()).toEqual({
        resource,
        authorization_servers: [issuer.issuer],
        bearer_methods_supported: ['header'],
        scopes_supported: ['echo:read', 'echo:write'],
      });
    },
  );

  it('answers a request without a token with 401 pointing to the metadata and the scopes', async () => {
    const response = await post(resource, undefined);
    expect(response.status).toBe(401);
    expect(challengeOf(response)).toBe(
      `Bearer scope="echo:read echo:write", resource_metadata="${resource.replace('/mcp', '/.well-known/oauth-protected-resource/mcp')}"`,
    );
  });
});

describe('access tokens from the issuer', () => {
  it('accepts a JWT issued for this server', async () => {
    const token = await issuer.clientToken(resource, 'echo:read');
    const response = await post(resource, token);
    expect(response.status).toBe(200);
    expect(response.body).toContain('"serverInfo"');
  });

  it('refuses a JWT issued for another resource (audience)', async () => {
    const token = await issuer.clientToken('http://127.0.0.1:9/mcp', 'echo:read');
    const response = await post(resource, token);
    expect(response.status).toBe(401);
    expect(challengeOf(response)).toContain('error="invalid_token"');
    expect(challengeOf(response)).toContain('audience');
  });

  it('accepts a token forged by the test with the right key and claims (the forgeries below differ in one way)', async () => {
    expect((await post(resource, await forged({}))).status).toBe(200);
  });

  it.each<[string, () => Promise<string>, string]>([
    ['another issuer', () => forged({ iss: 'http://127.0.0.1:9' }), 'not issued by'],
    ['an expired token', () => forged({ exp: Math.floor(Date.now() / 1000) - 120 }), 'expired'],
    [
      'a token not valid yet',
      () => forged({ nbf: Math.floor(Date.now() / 1000) + 600 }),
      'not valid yet',
    ],
    ['a token without exp', () => forged({ exp: undefined }), 'exp'],
    [
      'an unsigned token (alg none)',
      () => {
        const header = base64url.encode(JSON.stringify({ alg: 'none', kid: 'es-1' }));
        const body = base64url.encode(
          JSON.stringify({ sub: 'mallory', iss: issuer.issuer, aud: resource, exp: 4102444800 }),
        );
        return Promise.resolve(`${header}.${body}.`);
      },
      'algorithm',
    ],
    [
      'a token signed with an unknown key',
      async () => forged({}, { kid: 'es-unknown' }, (await generateKeyPair('ES256')).privateKey),
      'key',
    ],
    [
      'a token signed with another key under the known kid',
      async () => forged({}, {}, (await generateKeyPair('ES256')).privateKey),
      'signature',
    ],
    [
      'an HMAC-confused token (HS256 with the public key as secret)',
      async () => {
        const publicKey = await importJWK(issuer.publicKey, 'ES256');
        const pem = await exportSPKI(publicKey as Parameters<typeof exportSPKI>[0]);
        return forged({}, { alg: 'HS256' }, new TextEncoder().encode(pem));
      },
      'algorithm',
    ],
  ])('refuses %s with 401 invalid_token', async (_name, make, reason) => {
    const token = await make();
    const response = await post(resource, token);
    expect(response.status).toBe(401);
    expect(challengeOf(response)).toContain('error="invalid_token"');
    expect(challengeOf(response)).toContain(reason);
    expect(response.body).not.toContain(token);
    expect(challengeOf(response)).not.toContain(token);
  });

  it('refuses a token in the query string, even a valid one', async () => {
    const token = await issuer.clientToken(resource, 'echo:read');
    const response = await post(`${resource}?access_token=${token}`, undefined);
    expect(response.status).toBe(400);
    expect(response.body).toContain('query string');
  });

  it('refuses two Authorization headers, even when one carries a valid token', async () => {
    const token = await issuer.clientToken(resource, 'echo:read');
    const reply = await rawSocket(
      resource,
      [
        'POST /mcp HTTP/1.1',
        'Content-Type: application/json',
        'Accept: application/json, text/event-stream',
        `Host: ${new URL(resource).host}`,
        `Authorization: Bearer ${token}`,
        'Authorization: Bearer other',
      ],
      INIT,
    );
    expect(reply).toMatch(/^HTTP\/1\.1 400 /);
  });

  it('refuses a scheme other than Bearer with 400', async () => {
    const response = await post(resource, undefined, { authorization: 'Basic dXNlcjpwYXNz' });
    expect(response.status).toBe(400);
    expect(challengeOf(response)).toContain('error="invalid_request"');
  });
});

describe('required scopes', () => {
  let strict: TestServer;
  beforeAll(async () => {
    strict = await startTestServer({
      signIn: { issuer: issuer.issuer, requiredScopes: ['echo:write'] },
    });
  });
  afterAll(() => strict.close());

  it('answers a token without them with 403 insufficient_scope naming the scope', async () => {
    const token = await issuer.clientToken(strict.listening.url, 'echo:read');
    const response = await post(strict.listening.url, token);
    expect(response.status).toBe(403);
    expect(challengeOf(response)).toMatch(
      /^Bearer error="insufficient_scope", scope="echo:write", resource_metadata="/,
    );
  });

  it('lets a token with them through', async () => {
    const token = await issuer.clientToken(strict.listening.url, 'echo:read echo:write');
    expect((await post(strict.listening.url, token)).status).toBe(200);
  });
});

describe('opaque tokens by introspection (RFC 7662)', () => {
  const opaqueResource = 'http://127.0.0.1:1/opaque/mcp';
  let opaque: TestServer;
  beforeAll(async () => {
    opaque = await startTestServer({
      signIn: {
        issuer: issuer.issuer,
        resource: opaqueResource,
        introspection: { clientId: CLIENT.id, clientSecret: CLIENT.secret },
      },
    });
  });
  afterAll(() => opaque.close());

  it('accepts an active opaque token issued for this resource', async () => {
    const token = await issuer.clientToken(opaqueResource, 'echo:read');
    expect(token).not.toContain('.');
    expect((await post(opaque.listening.url, token)).status).toBe(200);
    // Answered again from the cache, with the same result.
    expect((await post(opaque.listening.url, token)).status).toBe(200);
  });

  it('refuses an opaque token the issuer does not know', async () => {
    const response = await post(opaque.listening.url, 'made-up-token-0123456789');
    expect(response.status).toBe(401);
    expect(challengeOf(response)).toContain('not active');
  });

  it('refuses an opaque token issued for another resource', async () => {
    const token = await issuer.clientToken('http://127.0.0.1:2/opaque/mcp', 'echo:read');
    const response = await post(opaque.listening.url, token);
    expect(response.status).toBe(401);
    expect(challengeOf(response)).toContain('audience');
  });

  it('publishes the configured resource and serves its metadata at its own path', async () => {
    const response = await raw(
      opaque.listening.url.replace('/mcp', '/.well-known/oauth-protected-resource/opaque/mcp'),
      { method: 'GET' },
    );
    expect(response.json()).toMatchObject({ resource: opaqueResource });
  });
});

describe('configuration', () => {
  it('refuses a static token and sign-in together', async () => {
    const server = createServer({ name: 'x', version: '1' });
    await expect(
      serveHttp(server, {
        host: '127.0.0.1',
        port: 0,
        authToken: 't',
        signIn: { issuer: issuer.issuer },
      }),
    ).rejects.toThrow('either a static auth token or sign-in');
  });

  it('refuses an issuer that is neither https nor loopback', async () => {
    const server = createServer({ name: 'x', version: '1' });
    await expect(
      serveHttp(server, {
        host: '127.0.0.1',
        port: 0,
        signIn: { issuer: 'http://auth.example.com' },
      }),
    ).rejects.toThrow('https');
  });

  it('answers 503 naming the cause while the issuer cannot be reached', async () => {
    const server = await startTestServer({ signIn: { issuer: 'http://127.0.0.1:1' } });
    try {
      const response = await post(server.listening.url, 'a.b.c');
      expect(response.status).toBe(503);
      expect(response.body).toContain('No authorization server metadata');
    } finally {
      await server.close();
    }
  });
});
