/**
 * @module
 * The credential files: OAuth client keys (as Google Cloud downloads them), the saved sign-in
 * (ours, or the official server's), and service account keys. The saved sign-in is a secret that
 * refreshes forever, so it is written atomically with mode 0600 in a 0700 directory, and a copy
 * that other users can read is refused rather than used.
 */
import { chmod, mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';

/** A credential file that cannot be used; the message says what to do. */
export class CredentialFileError extends Error {
  override readonly name = 'CredentialFileError';
}

export interface OAuthClientKeys {
  readonly clientId: string;
  readonly clientSecret: string | undefined;
  readonly authUri: string | undefined;
  readonly tokenUri: string | undefined;
  readonly redirectUris: readonly string[];
}

/** A user's grant: the refresh token is what matters; the rest is a cache. */
export interface SavedGrant {
  readonly refreshToken: string | undefined;
  readonly accessToken: string | undefined;
  /** Milliseconds since the epoch. */
  readonly expiryDate: number | undefined;
  readonly scope: string | undefined;
  /** Present in our files (and gcloud's); the official server's files need the keys file. */
  readonly clientId: string | undefined;
  readonly clientSecret: string | undefined;
}

export interface ServiceAccountKey {
  readonly clientEmail: string;
  readonly privateKey: string;
  readonly privateKeyId: string | undefined;
  readonly tokenUri: string | undefined;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalString(object: Json, key: string): string | undefined {
  const value = object[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

async function readJson(path: string, what: string): Promise<Json | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new CredentialFileError(
      `Cannot read the ${what} at ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new CredentialFileError(`The ${what} at ${path} is not JSON`);
  }
  if (!isObject(parsed))
    throw new CredentialFileError(`The ${what} at ${path} is not a JSON object`);
  return parsed;
}

/** Refuses a secret file that group or others can read (POSIX only: Windows has ACLs instead). */
export async function checkPrivate(path: string, what: string): Promise<void> {
  if (process.platform === 'win32') return;
  const { mode } = await stat(path);
  if ((mode & 0o077) !== 0)
    throw new CredentialFileError(
      `The ${what} at ${path} can be read by other users (mode ${(mode & 0o777).toString(8)}); run chmod 600 ${path}`,
    );
}

/** Client keys from `{"installed": {...}}` or `{"web": {...}}`, or undefined when the file is absent. */
export async function readClientKeys(path: string): Promise<OAuthClientKeys | undefined> {
  const json = await readJson(path, 'OAuth client keys file (GDRIVE_OAUTH_PATH)');
  if (json === undefined) return undefined;
  const body = isObject(json.installed) ? json.installed : isObject(json.web) ? json.web : json;
  const clientId = optionalString(body, 'client_id');
  if (clientId === undefined)
    throw new CredentialFileError(
      `The OAuth client keys file at ${path} has no client_id; download the JSON of a "Desktop app" OAuth client from Google Cloud`,
    );
  const redirects = Array.isArray(body.redirect_uris)
    ? body.redirect_uris.filter((uri): uri is string => typeof uri === 'string')
    : [];
  return {
    clientId,
    clientSecret: optionalString(body, 'client_secret'),
    authUri: optionalString(body, 'auth_uri'),
    tokenUri: optionalString(body, 'token_uri'),
    redirectUris: redirects,
  };
}

/** A saved grant (ours, gcloud's authorized_user, or the official server's), or undefined when absent. */
export async function readGrant(path: string): Promise<SavedGrant | undefined> {
  const json = await readJson(path, 'saved sign-in (GDRIVE_CREDENTIALS_PATH)');
  if (json === undefined) return undefined;
  await checkPrivate(path, 'saved sign-in (GDRIVE_CREDENTIALS_PATH)');
  return grantFromJson(json);
}

export function grantFromJson(json: Json): SavedGrant {
  const expiry = json.expiry_date;
  return {
    refreshToken: optionalString(json, 'refresh_token'),
    accessToken: optionalString(json, 'access_token'),
    expiryDate: typeof expiry === 'number' && Number.isFinite(expiry) ? expiry : undefined,
    scope: optionalString(json, 'scope'),
    clientId: optionalString(json, 'client_id'),
    clientSecret: optionalString(json, 'client_secret'),
  };
}

/** The file form: gcloud's `authorized_user` fields plus the token cache the official server kept. */
export function grantToJson(grant: SavedGrant): Json {
  const json: Json = { type: 'authorized_user' };
  if (grant.clientId !== undefined) json.client_id = grant.clientId;
  if (grant.clientSecret !== undefined) json.client_secret = grant.clientSecret;
  if (grant.refreshToken !== undefined) json.refresh_token = grant.refreshToken;
  if (grant.accessToken !== undefined) json.access_token = grant.accessToken;
  if (grant.expiryDate !== undefined) json.expiry_date = grant.expiryDate;
  if (grant.scope !== undefined) json.scope = grant.scope;
  json.token_type = 'Bearer';
  return json;
}

/**
 * Writes `data` as JSON readable only by this user: a 0700 directory, a new 0600 file written
 * in full and synced, then renamed over the old one, so a reader never sees half a file and the
 * secret is never briefly readable by others.
 */
export async function writePrivateJson(
  path: string,
  data: Json,
  /** Checked just before the new file replaces the old; false leaves the old one in place. */
  stillWanted: () => Promise<boolean> = () => Promise.resolve(true),
): Promise<boolean> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temp = `${path}.${randomHex()}.tmp`;
  const handle = await open(temp, 'wx', 0o600);
  try {
    await handle.writeFile(`${JSON.stringify(data, null, 2)}\n`);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temp, { force: true });
    throw error;
  }
  await handle.close();
  // open()'s mode is filtered by the umask, which can only remove bits; chmod makes it exact.
  await chmod(temp, 0o600);
  if (!(await stillWanted())) {
    await rm(temp, { force: true });
    return false;
  }
  await rename(temp, path);
  return true;
}

/**
 * Saves a grant. With `replacing`, only over a file that still holds that refresh token (or
 * none), so a renewal never overwrites a newer sign-in that `auth` saved meanwhile. True when
 * written.
 */
export async function writeGrant(
  path: string,
  grant: SavedGrant,
  replacing?: string,
): Promise<boolean> {
  return writePrivateJson(
    path,
    grantToJson(grant),
    replacing === undefined
      ? undefined
      : async () => {
          const current = await readGrant(path).catch(() => undefined);
          return current === undefined || current.refreshToken === replacing;
        },
  );
}

export type ApplicationCredentials =
  | { readonly kind: 'service_account'; readonly key: ServiceAccountKey }
  | { readonly kind: 'authorized_user'; readonly grant: SavedGrant };

/** The file GOOGLE_APPLICATION_CREDENTIALS names: a service account key or gcloud's user credentials. */
export async function readApplicationCredentials(path: string): Promise<ApplicationCredentials> {
  const what = 'key file GOOGLE_APPLICATION_CREDENTIALS names';
  const json = await readJson(path, what);
  if (json === undefined)
    throw new CredentialFileError(
      `GOOGLE_APPLICATION_CREDENTIALS names ${path}, which does not exist`,
    );
  if (json.type === 'authorized_user')
    return { kind: 'authorized_user', grant: grantFromJson(json) };
  const clientEmail = optionalString(json, 'client_email');
  const privateKey = optionalString(json, 'private_key');
  if (json.type !== 'service_account' || clientEmail === undefined || privateKey === undefined)
    throw new CredentialFileError(
      `The ${what} (${path}) is not a service account key: create a JSON key for the service account in Google Cloud`,
    );
  return {
    kind: 'service_account',
    key: {
      clientEmail,
      privateKey,
      privateKeyId: optionalString(json, 'private_key_id'),
      tokenUri: optionalString(json, 'token_uri'),
    },
  };
}

/**
 * Six random bytes in hex, from the global Web Crypto: unlike an import of `node:crypto`, it
 * loads Node's crypto modules on the first write, not at start-up (a few milliseconds of every
 * cold start).
 */
function randomHex(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(6))).toString('hex');
}
