/**
 * @module
 * The OAuth sign-in for installed apps (RFC 8252): a one-shot HTTP listener on 127.0.0.1, the
 * consent page opened in the browser with PKCE (S256) and a random `state`, and the code that
 * comes back exchanged at the token endpoint for a refresh token. The listener answers only the
 * redirect path, only with the right state, and closes as soon as the sign-in ends.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { OAuthClientKeys, SavedGrant } from '../credentials.js';
import { safeBrowserUrl } from './browser.js';

/** A sign-in that did not complete; the message says what happened and what to do. */
export class AuthError extends Error {
  override readonly name = 'AuthError';
}

export interface SignInOptions {
  readonly keys: OAuthClientKeys;
  /** Google's consent page. */
  readonly authUrl: string;
  readonly tokenUrl: string;
  readonly scopes: readonly string[];
  /** Port for the loopback listener; 0 picks a free one. */
  readonly port: number;
  readonly waitMs: number;
  /** Shows a line to the person signing in. */
  readonly print: (line: string) => void;
  /** Opens the consent page; false when it could not (the address has been printed). */
  readonly open: ((url: string) => Promise<boolean>) | undefined;
}

function base64url(bytes: Buffer): string {
  return bytes.toString('base64url');
}

/** The path Google redirects to: the one in the client's loopback redirect URI, or "/". */
export function redirectPath(keys: OAuthClientKeys): string {
  for (const raw of keys.redirectUris) {
    try {
      const url = new URL(raw);
      if (url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname))
        return url.pathname;
    } catch {
      // not a URL; ignore
    }
  }
  return '/';
}

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function page(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': "default-src 'none'",
    'referrer-policy': 'no-referrer',
  });
  res.end(`<!doctype html><meta charset="utf-8"><title>mcp-server-gdrive</title><p>${message}</p>`);
}

interface Listener {
  readonly redirectUri: string;
  readonly code: Promise<string>;
  close(): void;
}

async function listen(
  path: string,
  port: number,
  state: string,
  waitMs: number,
): Promise<Listener> {
  let settle: { resolve: (code: string) => void; reject: (error: Error) => void } | undefined;
  const code = new Promise<string>((resolve, reject) => {
    settle = { resolve, reject };
  });
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method !== 'GET' || url.pathname !== path) {
      page(res, 404, 'Not found.');
      return;
    }
    const returned = url.searchParams.get('state') ?? '';
    if (!sameSecret(returned, state)) {
      // Not our sign-in (an old tab, or another page guessing): keep waiting for the real one.
      page(res, 400, 'This sign-in link is not the current one. Start again from the terminal.');
      return;
    }
    const error = url.searchParams.get('error');
    if (error !== null) {
      page(res, 200, 'Sign-in was not completed. You can close this tab.');
      const reason = /^[a-z_]{1,60}$/.test(error) ? error : 'error';
      settle?.reject(new AuthError(`Google did not grant access (${reason}).`));
      return;
    }
    const value = url.searchParams.get('code');
    if (value === null || value === '') {
      page(res, 400, 'The redirect carried no code. Start again from the terminal.');
      return;
    }
    page(res, 200, 'Signed in to Google Drive. You can close this tab and return to the terminal.');
    settle?.resolve(value);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const timer = setTimeout(() => {
    settle?.reject(
      new AuthError(
        `No sign-in arrived within ${Math.round(waitMs / 1000)} seconds; run auth again.`,
      ),
    );
  }, waitMs);
  timer.unref();
  const { port: bound } = server.address() as AddressInfo;
  return {
    redirectUri: `http://127.0.0.1:${bound}${path}`,
    code,
    close() {
      clearTimeout(timer);
      server.closeAllConnections();
      server.close();
    },
  };
}

/** The token endpoint's refusal, as an identifier (never its description or body). */
function tokenError(error: unknown): string {
  const data = (error as { response?: { data?: unknown } }).response?.data;
  const code =
    typeof data === 'object' && data !== null ? (data as { error?: unknown }).error : undefined;
  if (typeof code === 'string' && /^[a-z_]{1,60}$/.test(code)) return code;
  const network = (error as { code?: unknown }).code;
  return typeof network === 'string' && /^[A-Z_]{1,40}$/.test(network) ? network : 'error';
}

/** Runs the whole sign-in; returns the grant to save. */
export async function signIn(options: SignInOptions): Promise<SavedGrant> {
  const consent = safeBrowserUrl(options.authUrl);
  const state = base64url(randomBytes(32));
  const verifier = base64url(randomBytes(48));
  const challenge = base64url(createHash('sha256').update(verifier).digest());
  const listener = await listen(redirectPath(options.keys), options.port, state, options.waitMs);
  try {
    const url = new URL(consent.href);
    url.searchParams.set('client_id', options.keys.clientId);
    url.searchParams.set('redirect_uri', listener.redirectUri);
    url.searchParams.set('response_type', 'code');
    url.searchParams.set('scope', options.scopes.join(' '));
    // offline + consent: Google returns a refresh token every time, not only the first.
    url.searchParams.set('access_type', 'offline');
    url.searchParams.set('prompt', 'consent');
    url.searchParams.set('code_challenge', challenge);
    url.searchParams.set('code_challenge_method', 'S256');
    url.searchParams.set('state', state);
    options.print(
      `Sign in to Google in your browser. If it does not open, visit:\n\n  ${url.href}\n`,
    );
    if (options.open !== undefined && !(await options.open(url.href)))
      options.print('(Could not start a browser; open the address above yourself.)');
    const code = await listener.code;
    const { OAuth2Client } = await import('google-auth-library');
    const client = new OAuth2Client({
      clientId: options.keys.clientId,
      ...(options.keys.clientSecret === undefined
        ? {}
        : { clientSecret: options.keys.clientSecret }),
      redirectUri: listener.redirectUri,
      endpoints: { oauth2TokenUrl: options.tokenUrl },
    });
    let tokens;
    try {
      ({ tokens } = await client.getToken({
        code,
        codeVerifier: verifier,
        redirect_uri: listener.redirectUri,
      }));
    } catch (error) {
      throw new AuthError(
        `Google refused to exchange the sign-in code (${tokenError(error)}). Check that GDRIVE_OAUTH_PATH holds the keys of a "Desktop app" OAuth client, then run auth again.`,
      );
    }
    if (tokens.refresh_token == null)
      throw new AuthError(
        'Google returned no refresh token, so the sign-in could not be kept. Remove the app at https://myaccount.google.com/permissions and run auth again.',
      );
    return {
      refreshToken: tokens.refresh_token,
      accessToken: tokens.access_token ?? undefined,
      expiryDate: tokens.expiry_date ?? undefined,
      scope: tokens.scope ?? options.scopes.join(' '),
      clientId: options.keys.clientId,
      clientSecret: options.keys.clientSecret,
    };
  } finally {
    listener.close();
  }
}
