/**
 * @module
 * Google's client, built on first use: `@googleapis/drive` and `google-auth-library` are heavy
 * (hundreds of milliseconds to load), so start-up never imports them, and the Sheets and Docs
 * clients load only when a tool first writes to a spreadsheet or document, on the same sign-in.
 * A user sign-in becomes an OAuth2 client that knows its client id and secret, so access tokens
 * renew by themselves (the official server's died after an hour), renews early, and renews on a
 * 401 too; every renewal is saved back with mode 0600. A service account becomes a JWT client for
 * the configured scopes. In hosted mode, a connected account's access token becomes a client that
 * only presents it (the kit renews it). GDRIVE_API_URL is the Drive client's `rootUrl` (and, when set, the
 * Sheets and Docs clients'); GDRIVE_TOKEN_URL is the OAuth client's token endpoint (for service
 * accounts, whose library has Google's endpoint built in, token requests are redirected to it by
 * a request interceptor).
 */
import type { docs_v1 } from '@googleapis/docs';
import type { drive_v3 } from '@googleapis/drive';
import type { sheets_v4 } from '@googleapis/sheets';
import { capResponseBodies } from '@plugboard/kit/upstream';
import type { Logger } from '@plugboard/protocol';
import type { Credentials, JWT, OAuth2Client } from 'google-auth-library';
import { DEFAULT_TOKEN_URL, serviceRoot } from './config.js';
import type { CredentialSource, UserSource } from './credential-source.js';
import { readGrant, writeGrant, type SavedGrant } from './credentials.js';

export type Drive = drive_v3.Drive;
export type Sheets = sheets_v4.Sheets;
export type Docs = docs_v1.Docs;

/** The signed-in client itself, for the requests the Drive client cannot make (resumable uploads). */
export type AuthClient = OAuth2Client | JWT;

export interface GoogleClient {
  /** The Drive API client; the first call loads Google's libraries. */
  drive(): Promise<Drive>;
  /** The Sheets API client, signed in as {@link drive}; the first call loads it. */
  sheets(): Promise<Sheets>;
  /** The Docs API client, signed in as {@link drive}; the first call loads it. */
  docs(): Promise<Docs>;
  /** The authorizing client behind {@link drive}: its `request` adds and renews the token. */
  auth(): Promise<AuthClient>;
  /** The scopes the saved sign-in was granted, when Google said (user sign-ins only). */
  grantedScopes(): readonly string[] | undefined;
  /**
   * After Google refused the grant: adopts a newer sign-in that `auth` saved since, so the
   * server recovers without a restart. True when there was one.
   */
  reloadGrant(): Promise<boolean>;
  readonly serviceAccount: boolean;
  /** Settles once renewed tokens queued for saving are on disk (called on shutdown). */
  flush(): Promise<void>;
}

/**
 * Hosted mode: one user's access token, from the Google account they connected. It is used as
 * it is: the kit renews it before it expires, and a token Google refuses is not renewed here.
 */
export interface AccountToken {
  readonly kind: 'account';
  readonly accessToken: string;
}

export interface GoogleClientOptions {
  readonly apiUrl: string;
  readonly logger: Logger;
}

/**
 * The most a token answer may carry. Google's are under 2 KB; a token endpoint (GDRIVE_TOKEN_URL,
 * a key file's token_uri) that sends more is cut off here rather than read into memory whole.
 */
export const MAX_TOKEN_BODY_BYTES = 64 * 1024;

/**
 * Reads the answers of requests to `tokenUrls` made through `client` (token renewals,
 * service-account exchanges) under {@link MAX_TOKEN_BODY_BYTES}, as the kit caps every other
 * upstream body; Drive API requests through the same client keep their own cap.
 */
/** Google's token answers are a few hundred bytes: one past the cap means the address is wrong. */
const TOKEN_ANSWER_ADVICE =
  "A real token answer is a few hundred bytes: check that --token-url (GDRIVE_TOKEN_URL) or the token_uri of the credentials points at Google's OAuth token endpoint.";

function capTokenAnswers(client: OAuth2Client, tokenUrls: readonly string[]): void {
  client.transporter.interceptors.request.add({
    resolved: (request) => {
      if (tokenUrls.includes(request.url.href))
        request.fetchImplementation = capResponseBodies(request.fetchImplementation ?? fetch, {
          upstream: 'The Google token endpoint',
          maxBytes: MAX_TOKEN_BODY_BYTES,
          advice: TOKEN_ANSWER_ADVICE,
        });
      return Promise.resolve(request);
    },
  });
}

function toCredentials(grant: SavedGrant): Credentials {
  const credentials: Credentials = { token_type: 'Bearer' };
  if (grant.refreshToken !== undefined) credentials.refresh_token = grant.refreshToken;
  if (grant.accessToken !== undefined) credentials.access_token = grant.accessToken;
  if (grant.expiryDate !== undefined) credentials.expiry_date = grant.expiryDate;
  if (grant.scope !== undefined) credentials.scope = grant.scope;
  return credentials;
}

/** The grant after a renewal: Google sends a new access token, rarely a new refresh token. */
export function mergeTokens(grant: SavedGrant, tokens: Credentials): SavedGrant {
  return {
    ...grant,
    accessToken: tokens.access_token ?? grant.accessToken,
    expiryDate: tokens.expiry_date ?? grant.expiryDate,
    refreshToken: tokens.refresh_token ?? grant.refreshToken,
    scope: tokens.scope ?? grant.scope,
  };
}

interface Built {
  readonly drive: Drive;
  readonly auth: AuthClient;
  readonly sheets: () => Promise<Sheets>;
  readonly docs: () => Promise<Docs>;
}

/** Two quick retries of idempotent requests on 429 and 5xx; the call's deadline still rules. */
const RETRY = { retry: 2, noResponseRetries: 1 };

/** `make` run on the first call only; a failure is retried by the next call, not remembered. */
function once<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () => {
    if (made === undefined) {
      const attempt = make();
      made = attempt;
      attempt.catch(() => {
        if (made === attempt) made = undefined;
      });
    }
    return made;
  };
}

export function createGoogleClient(
  source: CredentialSource | AccountToken,
  options: GoogleClientOptions,
): GoogleClient {
  const { logger } = options;
  let user: UserSource | undefined = source.kind === 'user' ? source : undefined;
  // Saves are queued so that two renewals never write the file at the same time.
  let saving: Promise<void> = Promise.resolve();

  function save(grant: SavedGrant): void {
    const path = user?.savePath;
    if (path === undefined) return;
    saving = saving.then(async () => {
      try {
        // A newer `auth` run may have replaced the file: never overwrite it with the old grant.
        await writeGrant(path, grant, grant.refreshToken);
      } catch (error) {
        logger.warn('could not save the renewed access token', {
          path,
          error: error instanceof Error ? error.message : String(error),
        });
      }
    });
  }

  async function userClient(current: UserSource): Promise<OAuth2Client> {
    const { OAuth2Client } = await import('google-auth-library');
    const client = new OAuth2Client({
      clientId: current.clientId,
      ...(current.clientSecret === undefined ? {} : { clientSecret: current.clientSecret }),
      endpoints: { oauth2TokenUrl: current.tokenUrl },
      // Renew on a 401 even when the token should still be valid (revoked early, clock skew).
      forceRefreshOnFailure: true,
    });
    capTokenAnswers(client, [new URL(current.tokenUrl).href]);
    client.setCredentials(toCredentials(current.grant));
    client.on('tokens', (tokens: Credentials) => {
      if (user === undefined) return;
      user = { ...user, grant: mergeTokens(user.grant, tokens) };
      logger.debug('access token renewed', { expires: tokens.expiry_date ?? undefined });
      save(user.grant);
    });
    return client;
  }

  async function serviceAccountClient(): Promise<JWT> {
    if (source.kind !== 'service_account') throw new Error('not a service account');
    const { JWT } = await import('google-auth-library');
    const client = new JWT({
      email: source.key.clientEmail,
      key: source.key.privateKey,
      ...(source.key.privateKeyId === undefined ? {} : { keyId: source.key.privateKeyId }),
      scopes: [...source.scopes],
      ...(source.subject === undefined ? {} : { subject: source.subject }),
      forceRefreshOnFailure: true,
    });
    const tokenUrl = new URL(source.tokenUrl);
    capTokenAnswers(client, [DEFAULT_TOKEN_URL, tokenUrl.href]);
    if (tokenUrl.href !== DEFAULT_TOKEN_URL) {
      client.transporter.interceptors.request.add({
        resolved: (request) => {
          if (request.url.href === DEFAULT_TOKEN_URL) request.url = new URL(tokenUrl.href);
          return Promise.resolve(request);
        },
      });
    }
    return client;
  }

  async function accountClient(token: AccountToken): Promise<OAuth2Client> {
    const { OAuth2Client } = await import('google-auth-library');
    const client = new OAuth2Client();
    client.setCredentials({ access_token: token.accessToken, token_type: 'Bearer' });
    return client;
  }

  async function build(): Promise<Built> {
    const [{ drive }, auth] = await Promise.all([
      import('@googleapis/drive'),
      source.kind === 'account'
        ? accountClient(source)
        : user === undefined
          ? serviceAccountClient()
          : userClient(user),
    ]);
    return {
      auth,
      drive: drive({ version: 'v3', auth, rootUrl: options.apiUrl, retryConfig: RETRY }),
      sheets: once(async () =>
        (await import('@googleapis/sheets')).sheets({
          version: 'v4',
          auth,
          rootUrl: serviceRoot(options.apiUrl, 'sheets'),
          retryConfig: RETRY,
        }),
      ),
      docs: once(async () =>
        (await import('@googleapis/docs')).docs({
          version: 'v1',
          // @googleapis/docs is built on the previous google-auth-library; the client is the same.
          auth: auth as unknown as NonNullable<docs_v1.Options['auth']>,
          rootUrl: serviceRoot(options.apiUrl, 'docs'),
          retryConfig: RETRY,
        }),
      ),
    };
  }

  // Rebuilt after reloadGrant (the next call signs in with the new grant).
  let built = once(build);

  return {
    serviceAccount: source.kind === 'service_account',
    flush: () => saving,
    drive: async () => (await built()).drive,
    sheets: async () => (await built()).sheets(),
    docs: async () => (await built()).docs(),
    auth: async () => (await built()).auth,
    grantedScopes: () => user?.grant.scope?.split(/\s+/).filter((scope) => scope !== ''),
    async reloadGrant() {
      if (user?.savePath === undefined) return false;
      let onDisk: SavedGrant | undefined;
      try {
        onDisk = await readGrant(user.savePath);
      } catch {
        return false;
      }
      if (onDisk?.refreshToken === undefined || onDisk.refreshToken === user.grant.refreshToken)
        return false;
      user = {
        ...user,
        grant: onDisk,
        clientId: onDisk.clientId ?? user.clientId,
        clientSecret: onDisk.clientId === undefined ? user.clientSecret : onDisk.clientSecret,
      };
      logger.info('using the new sign-in saved by auth', { path: user.savePath });
      built = once(build);
      return true;
    },
  };
}
