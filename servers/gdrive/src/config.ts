/**
 * @module
 * The operator's configuration, from flags and environment, checked once at start-up. Pure but
 * for path expansion: the same input gives the same {@link GdriveConfig} or the same
 * {@link UsageError}, which `runServer` prints as one line before exiting with code 2.
 */
import type { UpstreamClient } from '@plugboard/kit/accounts';
import { DEFAULT_OUTPUT_BUDGET } from '@plugboard/protocol';
import { type Flags, integerFlag, stringFlag, UsageError } from '@plugboard/kit/cli';
import { join } from 'node:path';
import {
  configDirectory,
  DEFAULT_CREDENTIALS_FILE,
  DEFAULT_KEYS_FILE,
  expandPath,
  type PathContext,
} from './paths.js';
import { scopesFor } from './scopes.js';
import {
  CHUNK_UNIT,
  DEFAULT_CHUNK_BYTES,
  DEFAULT_MAX_BLOB_BYTES,
  DEFAULT_MAX_FILE_BYTES,
  DEFAULT_MAX_TRANSFER_BYTES,
  DEFAULT_TIMEOUT_SECONDS,
} from './spec.js';

export const DEFAULT_API_URL = 'https://www.googleapis.com/';
export const DEFAULT_TOKEN_URL = 'https://oauth2.googleapis.com/token';
export const DEFAULT_AUTH_URL = 'https://accounts.google.com/o/oauth2/v2/auth';

/** Where the Sheets and Docs APIs live when --api-url is Google's own. */
const SERVICE_ROOTS = {
  sheets: 'https://sheets.googleapis.com/',
  docs: 'https://docs.googleapis.com/',
} as const;

/** Where credentials are and which Google endpoints to use: shared by the server and `auth`. */
export interface CredentialConfig {
  /** OAuth client keys (GDRIVE_OAUTH_PATH). */
  readonly oauthPath: string;
  /** The saved sign-in (GDRIVE_CREDENTIALS_PATH). */
  readonly credentialsPath: string;
  /** GOOGLE_APPLICATION_CREDENTIALS, when set. */
  readonly applicationCredentials: string | undefined;
  /** GDRIVE_TOKEN_URL, when set; otherwise the keys' token_uri or Google's. */
  readonly tokenUrl: string | undefined;
  /** The OAuth scopes of the tool groups this configuration turns on (see `scopes.ts`). */
  readonly scopes: readonly string[];
}

/**
 * Hosted mode's per-user accounts: the operator's web OAuth client (GDRIVE_OAUTH_CLIENT_ID and
 * GDRIVE_OAUTH_CLIENT_SECRET) through which each signed-in user connects their own Google account.
 */
export interface GdriveAccountsConfig {
  readonly client: UpstreamClient;
  /** The consent page (`--auth-url`, or Google's). */
  readonly authorizeUrl: string;
  /** The token endpoint (`--token-url`, or Google's). */
  readonly tokenUrl: string;
}

/** Everything the operator decides; nothing a client sends can change it. */
export interface GdriveConfig extends CredentialConfig {
  /**
   * Set when each user acts with their own Google account (hosted mode); the saved sign-in and
   * service account are then not used.
   */
  readonly accounts: GdriveAccountsConfig | undefined;
  /** Drive API root: scheme, host and port, ending in "/". */
  readonly apiUrl: string;
  readonly allowWrite: boolean;
  readonly allowSharing: boolean;
  readonly allowPublicSharing: boolean;
  /** Service accounts: the Workspace user to act as. */
  readonly impersonate: string | undefined;
  /** Deadline for all Drive requests of one tool call. */
  readonly timeoutMs: number;
  /** Most bytes of text one result may carry. */
  readonly outputBudget: number;
  /** Largest file downloaded to extract text from it. */
  readonly maxFileBytes: number;
  /** Largest binary returned whole. */
  readonly maxBlobBytes: number;
  /** --local-dir: the one directory of uploads and downloads; both are off without it. */
  readonly localDir: string | undefined;
  /** Largest file uploaded or downloaded. */
  readonly maxTransferBytes: number;
  /** Bytes per resumable upload chunk; uploads up to this size go in one request. */
  readonly chunkBytes: number;
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * A Google endpoint URL from the operator: https, or http only for a loopback test server or a
 * local proxy; no credentials, query or fragment.
 */
export function parseEndpoint(raw: string, label: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`${label} must be a URL, got "${raw.slice(0, 100)}"`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new UsageError(
      `${label} must use https (or http for a local server), got ${url.protocol}`,
    );
  if (url.username !== '' || url.password !== '')
    throw new UsageError(`${label} must not contain credentials`);
  if (url.search !== '' || url.hash !== '')
    throw new UsageError(`${label} must not have a query or fragment`);
  return url;
}

/** `--api-url` as `scheme://host[:port]/`. Google's client drops any path, so one is refused. */
export function parseApiUrl(raw: string): string {
  const url = parseEndpoint(raw, '--api-url (GDRIVE_API_URL)');
  if (url.pathname !== '/')
    throw new UsageError(
      `--api-url (GDRIVE_API_URL) must be a scheme, host and port such as ${DEFAULT_API_URL}; Google's client ignores a path (${url.pathname})`,
    );
  return `${url.origin}/`;
}

/**
 * The root of the Sheets or Docs API: Google's own host for each when --api-url is the default,
 * otherwise --api-url itself (a proxy or a local test server answers every Google API there).
 */
export function serviceRoot(apiUrl: string, service: keyof typeof SERVICE_ROOTS): string {
  return apiUrl === DEFAULT_API_URL ? SERVICE_ROOTS[service] : apiUrl;
}

export function parseCredentialConfig(
  flags: Flags,
  env: Env,
  paths: PathContext,
): CredentialConfig {
  const dir = configDirectory(paths);
  const oauth = stringFlag(flags, 'oauth-path');
  const credentials = stringFlag(flags, 'credentials-path');
  const application = env.GOOGLE_APPLICATION_CREDENTIALS?.trim();
  const tokenUrl = stringFlag(flags, 'token-url');
  return {
    oauthPath: oauth === undefined ? join(dir, DEFAULT_KEYS_FILE) : expandPath(oauth, paths),
    credentialsPath:
      credentials === undefined
        ? join(dir, DEFAULT_CREDENTIALS_FILE)
        : expandPath(credentials, paths),
    applicationCredentials:
      application === undefined || application === '' ? undefined : expandPath(application, paths),
    tokenUrl:
      tokenUrl === undefined
        ? undefined
        : parseEndpoint(tokenUrl, '--token-url (GDRIVE_TOKEN_URL)').href,
    scopes: scopesFor({
      allowWrite: flags.get('allow-write') === true,
      allowSharing: flags.get('allow-sharing') === true,
      readOnly: flags.get('read-only') === true,
    }),
  };
}

/** The per-user accounts, when the operator gave a web OAuth client for them: both halves or neither. */
function parseAccounts(
  flags: Flags,
  env: Env,
  tokenUrl: string | undefined,
): GdriveAccountsConfig | undefined {
  const clientId = env.GDRIVE_OAUTH_CLIENT_ID?.trim() || undefined;
  const clientSecret = env.GDRIVE_OAUTH_CLIENT_SECRET?.trim() || undefined;
  if (clientId === undefined && clientSecret === undefined) return undefined;
  if (clientId === undefined || clientSecret === undefined)
    throw new UsageError(
      `${clientId === undefined ? 'GDRIVE_OAUTH_CLIENT_ID' : 'GDRIVE_OAUTH_CLIENT_SECRET'} is not set; per-user Google accounts need both, from a "Web application" OAuth client in Google Cloud`,
    );
  const authUrl = stringFlag(flags, 'auth-url');
  return {
    client: { clientId, clientSecret },
    authorizeUrl:
      authUrl === undefined
        ? DEFAULT_AUTH_URL
        : parseEndpoint(authUrl, '--auth-url (GDRIVE_AUTH_URL)').href,
    tokenUrl: tokenUrl ?? DEFAULT_TOKEN_URL,
  };
}

export function parseConfig(flags: Flags, env: Env, paths: PathContext): GdriveConfig {
  const allowSharing = flags.get('allow-sharing') === true;
  const allowPublicSharing = flags.get('allow-public-sharing') === true;
  if (allowPublicSharing && !allowSharing)
    throw new UsageError(
      '--allow-public-sharing needs --allow-sharing (GDRIVE_ALLOW_SHARING=1) too',
    );
  const impersonate = stringFlag(flags, 'impersonate');
  if (impersonate !== undefined && !/^[^\s@]+@[^\s@]+$/.test(impersonate))
    throw new UsageError(
      `--impersonate (GDRIVE_IMPERSONATE) must be an email address, got "${impersonate}"`,
    );
  const apiUrl = stringFlag(flags, 'api-url');
  const localDir = stringFlag(flags, 'local-dir');
  const chunkBytes = integerFlag(flags, 'upload-chunk-bytes', {
    fallback: DEFAULT_CHUNK_BYTES,
    min: CHUNK_UNIT,
  });
  if (chunkBytes % CHUNK_UNIT !== 0)
    throw new UsageError(
      `--upload-chunk-bytes (GDRIVE_UPLOAD_CHUNK_BYTES) must be a multiple of ${CHUNK_UNIT} (256 KiB), as Drive requires; got ${chunkBytes}`,
    );
  const credentials = parseCredentialConfig(flags, env, paths);
  return {
    ...credentials,
    accounts: parseAccounts(flags, env, credentials.tokenUrl),
    apiUrl: apiUrl === undefined ? DEFAULT_API_URL : parseApiUrl(apiUrl),
    allowWrite: flags.get('allow-write') === true,
    allowSharing,
    allowPublicSharing,
    impersonate,
    timeoutMs: integerFlag(flags, 'timeout', { fallback: DEFAULT_TIMEOUT_SECONDS, min: 1 }) * 1000,
    outputBudget: integerFlag(flags, 'output-budget', {
      fallback: DEFAULT_OUTPUT_BUDGET,
      min: 4096,
    }),
    maxFileBytes: integerFlag(flags, 'max-file-bytes', {
      fallback: DEFAULT_MAX_FILE_BYTES,
      min: 1024,
    }),
    maxBlobBytes: integerFlag(flags, 'max-blob-bytes', {
      fallback: DEFAULT_MAX_BLOB_BYTES,
      min: 1024,
    }),
    localDir: localDir === undefined ? undefined : expandPath(localDir, paths),
    maxTransferBytes: integerFlag(flags, 'max-transfer-bytes', {
      fallback: DEFAULT_MAX_TRANSFER_BYTES,
      min: 1,
    }),
    chunkBytes,
  };
}
