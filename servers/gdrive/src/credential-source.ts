/**
 * @module
 * Which Google identity the server acts as, decided once at start-up without loading Google's
 * libraries: the saved sign-in from `auth` (GDRIVE_CREDENTIALS_PATH) when there is one, else
 * GOOGLE_APPLICATION_CREDENTIALS (a service account key, or gcloud's user credentials). When
 * neither works the server does not start: it says on stderr which command to run, because a
 * stdio server must never wait for a browser sign-in.
 */
import { UsageError } from '@plugboard/kit/cli';
import { DEFAULT_TOKEN_URL, type CredentialConfig } from './config.js';
import {
  CredentialFileError,
  readApplicationCredentials,
  readClientKeys,
  readGrant,
  type SavedGrant,
  type ServiceAccountKey,
} from './credentials.js';
import { grants, type Scope } from './scopes.js';
import { AUTH_COMMAND } from './spec.js';

export interface UserSource {
  readonly kind: 'user';
  readonly grant: SavedGrant;
  readonly clientId: string;
  readonly clientSecret: string | undefined;
  readonly tokenUrl: string;
  /** Where refreshed tokens are saved back; undefined for files that belong to other tools. */
  readonly savePath: string | undefined;
  /** Where the grant came from, for messages. */
  readonly path: string;
}

export interface ServiceAccountSource {
  readonly kind: 'service_account';
  readonly key: ServiceAccountKey;
  /** Where the signed assertion is sent. */
  readonly tokenUrl: string;
  /** The assertion's audience: Google's token endpoint, even when requests go through a proxy. */
  readonly audience: string;
  readonly subject: string | undefined;
  readonly scopes: readonly string[];
  readonly path: string;
}

export type CredentialSource = UserSource | ServiceAccountSource;

export const NOT_SIGNED_IN = `run \`${AUTH_COMMAND}\` to sign in (GDRIVE_OAUTH_PATH names your OAuth client keys), or set GOOGLE_APPLICATION_CREDENTIALS to a service account key`;

function usable(grant: SavedGrant, path: string, now: number): void {
  if (grant.refreshToken !== undefined) return;
  if (grant.accessToken !== undefined && (grant.expiryDate ?? 0) > now + 60_000) return;
  throw new UsageError(
    `The saved sign-in at ${path} has no refresh token, so it cannot be renewed; run \`${AUTH_COMMAND}\` to sign in again`,
  );
}

async function userSource(
  config: CredentialConfig,
  grant: SavedGrant,
  path: string,
  savePath: string | undefined,
  now: number,
): Promise<UserSource> {
  usable(grant, path, now);
  // Our files carry the client they belong to; the official server's need the keys file.
  const keys = grant.clientId === undefined ? await readClientKeys(config.oauthPath) : undefined;
  const clientId = grant.clientId ?? keys?.clientId;
  if (clientId === undefined)
    throw new UsageError(
      `The saved sign-in at ${path} does not name its OAuth client (the official server's format): set GDRIVE_OAUTH_PATH to that client's keys file (none at ${config.oauthPath}), or run \`${AUTH_COMMAND}\` again`,
    );
  return {
    kind: 'user',
    grant,
    clientId,
    clientSecret: grant.clientId === undefined ? keys?.clientSecret : grant.clientSecret,
    tokenUrl: config.tokenUrl ?? keys?.tokenUri ?? DEFAULT_TOKEN_URL,
    savePath,
    path,
  };
}

/** Resolves the identity, or throws a UsageError that says what to do. */
export async function resolveCredentials(
  config: CredentialConfig,
  options: { impersonate?: string | undefined; now?: number } = {},
): Promise<CredentialSource> {
  const now = options.now ?? Date.now();
  try {
    const grant = await readGrant(config.credentialsPath);
    if (grant !== undefined)
      return await userSource(config, grant, config.credentialsPath, config.credentialsPath, now);
    const application = config.applicationCredentials;
    if (application === undefined)
      throw new UsageError(
        `Not signed in to Google Drive (no saved sign-in at ${config.credentialsPath}): ${NOT_SIGNED_IN}`,
      );
    const found = await readApplicationCredentials(application);
    if (found.kind === 'authorized_user')
      return await userSource(config, found.grant, application, undefined, now);
    const audience = found.key.tokenUri ?? DEFAULT_TOKEN_URL;
    return {
      kind: 'service_account',
      key: found.key,
      tokenUrl: config.tokenUrl ?? audience,
      audience,
      subject: options.impersonate,
      scopes: config.scopes,
      path: application,
    };
  } catch (error) {
    if (error instanceof CredentialFileError) throw new UsageError(error.message);
    throw error;
  }
}

/** Whether a user grant's scopes cover what this configuration needs. */
export function grantCovers(source: CredentialSource, needed: readonly string[]): boolean {
  if (source.kind === 'service_account') return true;
  // An unknown scope (old files) is given the benefit of the doubt; Drive will say if not.
  if (source.grant.scope === undefined) return true;
  const granted = source.grant.scope.split(/\s+/);
  return needed.every((scope) => grants(granted, scope as Scope));
}
