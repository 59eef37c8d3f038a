/**
 * @module
 * A hosted server and its signed-in users, for end-to-end tests of per-user upstream accounts:
 * {@link startHostedServer} runs a built server on `--transport http` with sign-in at a test
 * issuer and the accounts' settings; a user is the official SDK client with a bearer token the
 * issuer would issue them ({@link signedAccessToken}), declaring URL-mode elicitation, and
 * accepting each connect link by opening it in their browser (`browse`), as a person following
 * the link does.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { importJWK, SignJWT, type JWK } from 'jose';
import { waitFor } from '@plugboard/peers';

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

/** The test issuer as far as a hosted server and its users need it. */
export interface HostedIssuer {
  readonly issuer: string;
  readonly signingKey: JWK;
  /** The client the server signs browsers in with (`MCP_AUTH_CLIENT_ID` and its secret). */
  readonly client: { readonly id: string; readonly secret: string };
}

export interface HostedServer {
  /** `http://127.0.0.1:<port>`: the public URL. */
  readonly origin: string;
  /** What the server wrote on stderr so far. */
  stderr(): string;
  /** Connects `subject`, whose browser is `browse`. */
  user(subject: string, browse: (url: string) => Promise<unknown>): Promise<HostedUser>;
  close(): Promise<void>;
}

/**
 * Starts the built server at `entry` on `port` (registered at the issuer beforehand, since the
 * connect flow's redirect URIs are made from it), signing users in at `issuer`, with the
 * accounts key and `env` (the server's own upstream settings).
 */
export async function startHostedServer(options: {
  readonly entry: string;
  readonly port: number;
  readonly issuer: HostedIssuer;
  readonly env: Readonly<Record<string, string>>;
}): Promise<HostedServer> {
  const { issuer, port } = options;
  const origin = `http://127.0.0.1:${port}`;
  const child = spawn(
    process.execPath,
    [options.entry, '--transport', 'http', '--port', String(port), '--auth-issuer', issuer.issuer],
    {
      env: {
        PATH: process.env.PATH,
        MCP_PUBLIC_URL: origin,
        MCP_AUTH_CLIENT_ID: issuer.client.id,
        MCP_AUTH_CLIENT_SECRET: issuer.client.secret,
        PLUGBOARD_ACCOUNTS_KEY: 'accounts-key-for-hosted-tests-0123456789',
        ...options.env,
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  await waitFor(() => /listening on (\S+)/.test(stderr) || child.exitCode !== null, {
    timeoutMs: 30_000,
  });
  if (child.exitCode !== null) throw new Error(`server exited: ${stderr}`);
  return {
    origin,
    stderr: () => stderr,
    async user(subject, browse) {
      const token = await signedAccessToken({
        issuer: issuer.issuer,
        signingKey: issuer.signingKey,
        audience: `${origin}/mcp`,
        subject,
        clientId: issuer.client.id,
      });
      return connectHostedUser({ url: `${origin}/mcp`, token, browse });
    },
    async close() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}
