/**
 * @module
 * A signed-in user of a hosted server, for end-to-end tests of per-user upstream accounts: the
 * official SDK client with a bearer token the test issuer would issue to that user
 * ({@link signedAccessToken}), declaring URL-mode elicitation, and accepting each connect link
 * by opening it in the user's browser (`browse`), as a person following the link does.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { importJWK, SignJWT, type JWK } from 'jose';

export interface AccessTokenClaims {
  readonly issuer: string;
  /** The issuer's private signing key (the test issuer's `signingKey`). */
  readonly signingKey: JWK;
  /** The server's resource URI: `<public URL>/mcp`. */
  readonly audience: string;
  readonly subject: string;
  readonly clientId: string;
  readonly scope?: string;
}

/** An access token as the issuer signs them at sign-in (ES256, five minutes). */
export async function signedAccessToken(claims: AccessTokenClaims): Promise<string> {
  const key = await importJWK(claims.signingKey, 'ES256');
  return new SignJWT({ scope: claims.scope ?? '', client_id: claims.clientId })
    .setProtectedHeader({ alg: 'ES256', kid: claims.signingKey.kid! })
    .setIssuer(claims.issuer)
    .setAudience(claims.audience)
    .setSubject(claims.subject)
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(key);
}

export interface HostedUser {
  readonly client: Client;
  /** The connect links the server asked this user to open, in order. */
  readonly links: string[];
  /** What the browser ended on for each link (its promise settles when the flow is done). */
  readonly pages: Promise<unknown>[];
  /** Calls a tool: whether it failed, its first text, its structured content. */
  call(
    name: string,
    args?: Record<string, unknown>,
  ): Promise<{ isError: boolean; text: string; structured: Record<string, unknown> | undefined }>;
  close(): Promise<void>;
}

/** Connects to `url` as the holder of `token`; each connect link is opened with `browse`. */
export async function connectHostedUser(options: {
  readonly url: string;
  readonly token: string;
  readonly browse: (url: string) => Promise<unknown>;
}): Promise<HostedUser> {
  const client = new Client(
    { name: 'hosted-user', version: '1' },
    { capabilities: { elicitation: { url: {} } } },
  );
  const links: string[] = [];
  const pages: Promise<unknown>[] = [];
  client.setRequestHandler(ElicitRequestSchema, (request) => {
    const { url } = request.params as { url?: string };
    if (url === undefined) return { action: 'decline' };
    links.push(url);
    pages.push(options.browse(url));
    return { action: 'accept' };
  });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(options.url), {
      requestInit: { headers: { Authorization: `Bearer ${options.token}` } },
    }),
  );
  return {
    client,
    links,
    pages,
    async call(name, args = {}) {
      const result = (await client.callTool({ name, arguments: args })) as {
        isError?: boolean;
        content: { type: string; text?: string }[];
        structuredContent?: Record<string, unknown>;
      };
      return {
        isError: result.isError === true,
        text: result.content.find((part) => part.type === 'text')?.text ?? '',
        structured: result.structuredContent,
      };
    },
    close: () => client.close(),
  };
}
