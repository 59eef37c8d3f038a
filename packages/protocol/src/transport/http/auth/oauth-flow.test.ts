import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  UnauthorizedError,
  type OAuthClientProvider,
} from '@modelcontextprotocol/sdk/client/auth.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type {
  OAuthClientInformationMixed,
  OAuthClientMetadata,
  OAuthTokens,
} from '@modelcontextprotocol/sdk/shared/auth.js';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestIssuer, type TestIssuer } from '@plugboard/test-issuer';
import { structured } from '../../../mcp/features/content.js';
import { defineTool } from '../../../mcp/features/tool.js';
import { createServer } from '../../../mcp/server.js';
import { serveHttp, type HttpListening } from '../index.js';

const REDIRECT = 'http://127.0.0.1:1/callback';

const whoami = defineTool({
  name: 'whoami',
  description: 'Says who is calling.',
  input: z.object({}),
  output: z.object({ subject: z.string(), name: z.string() }),
  annotations: {
    readOnlyHint: true,
    destructiveHint: false,
    idempotentHint: true,
    openWorldHint: false,
  },
  run: (_args, ctx) => {
    const seen = { subject: ctx.auth!.subject, name: ctx.auth!.displayName ?? '' };
    return structured(seen, seen.subject);
  },
});

/** The SDK's OAuth client provider, as an app keeps it: in memory, the browser left to the test. */
class AppProvider implements OAuthClientProvider {
  information: OAuthClientInformationMixed | undefined;
  saved: OAuthTokens | undefined;
  verifier = '';
  authorizationUrl: URL | undefined;

  get redirectUrl(): string {
    return REDIRECT;
  }

  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: 'oauth-flow-test',
      redirect_uris: [REDIRECT],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    };
  }

  clientInformation() {
    return this.information;
  }

  saveClientInformation(information: OAuthClientInformationMixed): void {
    this.information = information;
  }

  tokens() {
    return this.saved;
  }

  saveTokens(tokens: OAuthTokens): void {
    this.saved = tokens;
  }

  redirectToAuthorization(url: URL): void {
    this.authorizationUrl = url;
  }

  saveCodeVerifier(verifier: string): void {
    this.verifier = verifier;
  }

  codeVerifier(): string {
    return this.verifier;
  }
}

/**
 * The user's browser at the provider's own (development) login and consent pages: follows the
 * redirects with its cookies, signs in as `login`, consents, and returns the code sent back.
 */
async function signInAt(authorizationUrl: URL, login: string): Promise<string> {
  const cookies = new Map<string, string>();
  const send = async (url: URL, init: RequestInit = {}): Promise<Response> => {
    const response = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: {
        ...(init.headers as Record<string, string> | undefined),
        cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join('; '),
      },
    });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const [name, ...value] = pair!.split('=');
      cookies.set(name!.trim(), value.join('='));
    }
    return response;
  };
  let url = authorizationUrl;
  for (let step = 0; step < 12; step++) {
    const response = await send(url);
    const location = response.headers.get('location');
    if (location === null) throw new Error(`no redirect from ${url.pathname}: ${response.status}`);
    const next = new URL(location, url);
    if (next.href.startsWith(REDIRECT)) {
      const code = next.searchParams.get('code');
      if (code === null) throw new Error(`no code: ${next.search}`);
      return code;
    }
    if (next.pathname.startsWith('/interaction/')) {
      const page = await (await send(next)).text();
      const prompt = page.includes('name="login"') ? 'login' : 'consent';
      const submitted = await send(next, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ prompt, login, password: 'any' }).toString(),
      });
      url = new URL(submitted.headers.get('location')!, next);
      continue;
    }
    url = next;
  }
  throw new Error('the sign-in did not finish');
}

let issuer: TestIssuer;
let listening: HttpListening;

beforeAll(async () => {
  issuer = await startTestIssuer();
  const server = createServer({ name: 'oauth-flow', version: '1.0.0', tools: [whoami] });
  listening = await serveHttp(server, {
    host: '127.0.0.1',
    port: 0,
    signIn: { issuer: issuer.issuer, scopesSupported: ['echo:read', 'echo:write'] },
  });
});
afterAll(async () => {
  await listening.close();
  await issuer.close();
});

describe('the full OAuth flow with the SDK client', () => {
  it('discovers the issuer from the 401, registers, signs the user in with PKCE, and calls as that user', async () => {
    const provider = new AppProvider();
    const url = new URL(listening.url);
    const first = new Client({ name: 'oauth-flow-test', version: '1.0.0' });
    // No token yet: the 401 and its resource_metadata lead the SDK to the issuer.
    await expect(
      first.connect(new StreamableHTTPClientTransport(url, { authProvider: provider })),
    ).rejects.toBeInstanceOf(UnauthorizedError);
    expect(provider.information?.client_id).toBeTruthy(); // dynamically registered
    const authorization = provider.authorizationUrl!;
    expect(authorization.origin).toBe(issuer.issuer);
    expect(authorization.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorization.searchParams.get('resource')).toBe(listening.url);

    const code = await signInAt(authorization, 'alice');
    const transport = new StreamableHTTPClientTransport(url, { authProvider: provider });
    await transport.finishAuth(code);
    expect(provider.saved?.access_token).toBeTruthy();

    const client = new Client({ name: 'oauth-flow-test', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(url, { authProvider: provider }));
    try {
      const result = await client.callTool({ name: 'whoami', arguments: {} });
      expect(result.structuredContent).toEqual({ subject: 'alice', name: '' });
    } finally {
      await client.close();
    }
  });
});
