/**
 * @module
 * The one place where failures of Google's client become messages the model (and the person
 * behind it) can act on: which command to run when the sign-in is gone, which flag when a scope
 * is missing, what to read instead when a file is too large to export. Upstream bodies are never
 * passed through: only Drive's `reason` identifiers and OAuth's `error` codes are read, and
 * nothing from a request's headers (where the token travels).
 */
import { ToolError } from '@plugboard/protocol';
import { SCOPES, type Scope } from './scopes.js';
import { AUTH_COMMAND } from './spec.js';

/** Drive said the file (or drive) does not exist for this account; resources answer -32002. */
export class NotFoundError extends ToolError {}

/**
 * An error status on a streamed download. Google's client loses the body of those, so downloads
 * accept 4xx answers and read the (small) error body themselves; this carries it in the shape
 * {@link describeFailure} reads.
 */
export class DownloadFailure extends Error {
  override readonly name = 'DownloadFailure';
  readonly response: { readonly status: number; readonly data: string };
  readonly config: { readonly url: string };

  constructor(status: number, body: string, url: string) {
    super(`download failed with HTTP ${status}`);
    this.response = { status, data: body };
    this.config = { url };
  }
}

/** What the failed call was about, for the message. */
export interface FailureContext {
  /** "file 1AbC…", "Shared Drive 0AbC…", "the search" */
  readonly subject: string;
  /** Whether the identity is a service account (different advice for auth failures). */
  readonly serviceAccount: boolean;
  /** Whether the call changes something (scope advice). */
  readonly write?: boolean;
  /** The smallest scope the call needs, when not Drive's own (read-only, or full to write). */
  readonly scope?: Scope;
  /** The scopes the sign-in was granted, when known. */
  readonly granted?: readonly string[] | undefined;
  /** Hosted mode: the token is the caller's own, from the Google account they connected. */
  readonly account?: boolean;
}

interface Failure {
  readonly status: number | undefined;
  /** Drive's errors[0].reason, or OAuth's error code. */
  readonly reason: string | undefined;
  readonly oauth: boolean;
  /** The network error code when no response came. */
  readonly code: string | undefined;
  readonly host: string | undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function identifier(value: unknown): string | undefined {
  return typeof value === 'string' && /^[A-Za-z0-9_.:-]{1,80}$/.test(value) ? value : undefined;
}

/** Error bodies of streamed responses arrive as text. */
function body(data: unknown): unknown {
  if (typeof data !== 'string') return data;
  try {
    return JSON.parse(data) as unknown;
  } catch {
    return undefined;
  }
}

/** The parts of a gaxios error worth reading, or undefined when `error` is something else. */
export function describeFailure(error: unknown): Failure | undefined {
  if (!(error instanceof Error) || !isObject(error)) return undefined;
  const { response, config, code } = error as {
    response?: unknown;
    config?: unknown;
    code?: unknown;
  };
  if (!isObject(config)) return undefined;
  let host: string | undefined;
  try {
    host = new URL(String(config.url)).host;
  } catch {
    host = undefined;
  }
  if (!isObject(response))
    return {
      status: undefined,
      reason: undefined,
      oauth: false,
      code: identifier(code) ?? identifier((error.cause as { code?: unknown } | undefined)?.code),
      host,
    };
  const status = typeof response.status === 'number' ? response.status : undefined;
  const data = body(response.data);
  if (isObject(data) && typeof data.error === 'string')
    return { status, reason: identifier(data.error), oauth: true, code: undefined, host };
  let reason: string | undefined;
  if (isObject(data) && isObject(data.error)) {
    const { errors, details } = data.error;
    const first: unknown = Array.isArray(errors) ? errors[0] : undefined;
    reason = isObject(first) ? identifier(first.reason) : undefined;
    // The Sheets and Docs APIs say why in an ErrorInfo detail rather than errors[].
    const info: unknown = Array.isArray(details)
      ? details.find((detail) => isObject(detail) && typeof detail.reason === 'string')
      : undefined;
    reason ??= isObject(info) ? identifier(info.reason) : undefined;
    reason ??= identifier(data.error.status);
  }
  return { status, reason, oauth: false, code: undefined, host };
}

/**
 * True when gaxios stopped reading an answer at `maxContentLength`: its own check of a declared
 * Content-Length, or node-fetch's `max-size` error while streaming an undeclared one.
 */
export function isOverSizeLimit(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.message === "Response's `Content-Length` is over the limit.") return true;
  const cause = error.cause as { type?: unknown } | undefined;
  return typeof cause === 'object' && cause !== null && cause.type === 'max-size';
}

/** True when Google refused the access token itself (401): revoked, expired, or not Google's. */
export function isTokenRejected(error: unknown): boolean {
  return describeFailure(error)?.status === 401;
}

/** True when Google refused the refresh token or assertion itself (the grant is gone). */
export function isGrantRevoked(error: unknown): boolean {
  const failure = describeFailure(error);
  return failure?.oauth === true && failure.reason === 'invalid_grant';
}

const RESTART = 'then restart the MCP server';

/** A call refused for want of a scope: which one it needs, which the sign-in has, what to run. */
function missingScope(where: FailureContext): string {
  const needed = where.scope ?? (where.write === true ? SCOPES.full : SCOPES.readOnly);
  const either = needed === SCOPES.full ? needed : `${needed}, or ${SCOPES.full} which includes it`;
  if (where.account === true)
    return `The Google account you connected did not grant the scope this needs (${either}). Disconnect it and connect again, allowing every permission the consent page asks for.`;
  if (where.serviceAccount)
    return `The service account's token lacks the scope this needs (${either}); the operator must start the server with --allow-write (or --allow-sharing), and with --impersonate the Workspace admin must delegate that scope.`;
  const has =
    where.granted === undefined
      ? 'it was made without it'
      : `it has ${where.granted.join(' ') || 'no scope'}`;
  return `The saved sign-in lacks the scope this needs (${either}; ${has}). Run \`${AUTH_COMMAND} --allow-write\` (add --allow-sharing for sharing), ${RESTART}.`;
}

function oauthMessage(reason: string | undefined, where: FailureContext): string {
  if (where.serviceAccount) {
    switch (reason) {
      case 'invalid_grant':
        return 'Google refused the service account key (invalid_grant): the key may be deleted or disabled, the clock may be wrong, or --impersonate names a user the service account has no domain-wide delegation for.';
      case 'unauthorized_client':
        return 'The service account is not allowed to act as the --impersonate user: a Workspace admin must grant it domain-wide delegation for the Drive scope.';
      default:
        return `Google refused the service account key (${reason ?? 'error'}); check GOOGLE_APPLICATION_CREDENTIALS.`;
    }
  }
  switch (reason) {
    case 'invalid_grant':
      return `Google no longer accepts the saved sign-in (invalid_grant: it was revoked, expired, or the password changed). Run \`${AUTH_COMMAND}\` to sign in again; the server picks up the new sign-in by itself.`;
    case 'invalid_client':
    case 'unauthorized_client':
      return `Google refused the OAuth client (${reason}): the client was deleted, or the keys in GDRIVE_OAUTH_PATH are not the ones the sign-in was made with. Run \`${AUTH_COMMAND}\` with the right keys.`;
    case 'invalid_scope':
      return `Google refused the requested scope; run \`${AUTH_COMMAND}\` again.`;
    default:
      return `Google's token endpoint refused to renew the sign-in (${reason ?? 'error'}). Run \`${AUTH_COMMAND}\` to sign in again.`;
  }
}

function driveMessage(failure: Failure, where: FailureContext): string {
  const { status, reason } = failure;
  switch (reason) {
    case 'notFound':
      return `Not found: ${where.subject} does not exist, or the signed-in account cannot see it. Check the id (search or list_folder show ids).`;
    case 'insufficientPermissions':
    case 'ACCESS_TOKEN_SCOPE_INSUFFICIENT':
      return missingScope(where);
    case 'insufficientFilePermissions':
      return `The signed-in account may see ${where.subject} but not change it: it needs edit access (or, for sharing, to be allowed to share).`;
    case 'fileNotDownloadable':
      return `${where.subject} is a Google file that cannot be downloaded as is; read it with read_file, which exports it.`;
    case 'exportSizeLimitExceeded':
      return `${where.subject} is too large for Google to export (its limit is 10 MB of output). For a spreadsheet, read one sheet or a range; otherwise open it in the browser (webViewLink from get_file_metadata).`;
    case 'cannotDownloadAbusiveFile':
      return `Google flagged ${where.subject} as malware or abuse; it cannot be downloaded.`;
    case 'rateLimitExceeded':
    case 'userRateLimitExceeded':
    case 'sharingRateLimitExceeded':
    case 'RESOURCE_EXHAUSTED':
      return `Google Drive is rate-limiting these requests (${reason}). Wait a minute and try again, with fewer or smaller requests.`;
    case 'dailyLimitExceeded':
    case 'quotaExceeded':
      return `The Google Cloud project's Drive API quota is used up (${reason}); it resets daily, or the project owner can raise it.`;
    case 'storageQuotaExceeded':
      return "The Drive owner's storage is full; free space or ask for more before creating or updating files.";
    case 'teamDriveFileLimitExceeded':
    case 'numChildrenInNonRootLimitExceeded':
      return `The destination holds as many items as Drive allows (${reason}).`;
    case 'domainPolicy':
    case 'publishOutNotPermitted':
    case 'cannotShareTeamDriveTopFolderWithAnyoneOrDomains':
    case 'teamDrivesSharingRestrictionNotAllowed':
    case 'shareInNotPermitted':
    case 'shareOutNotPermitted':
    case 'shareOutNotPermittedToUser':
      return `A Google Workspace or Shared Drive policy forbids this (${reason}).`;
    case 'invalidSharingRequest':
      return 'Google refused the sharing request: the address may have no Google account (then sending a notification email is required), or the role is not allowed for this file.';
    case 'cannotModifyInheritedTeamDrivePermission':
    case 'cannotDeletePermission':
      return `That access cannot be removed here (${reason}): it is inherited from a folder or Shared Drive, or belongs to the owner.`;
    case 'cannotMoveTrashedItemIntoTeamDrive':
    case 'teamDrivesParentLimit':
    case 'teamDrivesFolderMoveInNotSupported':
    case 'cannotAddParent':
    case 'shortcutTargetInvalid':
      return `Drive refused the move (${reason}).`;
    case 'authError':
    case 'UNAUTHENTICATED':
      if (where.account === true)
        return 'Google no longer accepts the Google account you connected (its access was removed or expired). The server has forgotten it; call the tool again to connect your Google account anew.';
      return where.serviceAccount
        ? 'Google rejected the service account token; check GOOGLE_APPLICATION_CREDENTIALS.'
        : `Google rejected the access token even after renewing it. Run \`${AUTH_COMMAND}\` to sign in again.`;
    case 'FAILED_PRECONDITION':
      return `${where.subject} changed while this call was writing to it, so Google refused the write (${reason}); read it again and retry.`;
    case 'invalid':
    case 'badRequest':
    case 'INVALID_ARGUMENT':
      return `Google Drive rejected the request for ${where.subject} as invalid (${reason}); check the arguments.`;
    case 'backendError':
    case 'internalError':
      return `Google Drive had a server error (${reason}); try again in a moment.`;
    default:
      if (status !== undefined && status >= 500)
        return `Google Drive had a server error (HTTP ${status}); try again in a moment.`;
      return `Google Drive refused the request for ${where.subject} (HTTP ${status ?? '?'}${reason === undefined ? '' : `, ${reason}`}).`;
  }
}

/**
 * An actionable {@link ToolError} for a failure of Google's client, or undefined for anything
 * else (which then surfaces as a bug).
 */
export function toToolError(error: unknown, where: FailureContext): ToolError | undefined {
  if (
    error instanceof Error &&
    /No refresh token is set|No access, refresh token/.test(error.message)
  )
    return new ToolError(
      `The saved sign-in cannot be renewed. Run \`${AUTH_COMMAND}\` to sign in again.`,
    );
  const failure = describeFailure(error);
  if (failure === undefined) return undefined;
  if (failure.status === undefined)
    return new ToolError(
      `Could not reach Google${failure.host === undefined ? '' : ` (${failure.host})`}${failure.code === undefined ? '' : `: ${failure.code}`}. Check the network, HTTPS_PROXY, and GDRIVE_API_URL / GDRIVE_TOKEN_URL if set.`,
    );
  if (failure.oauth) return new ToolError(oauthMessage(failure.reason, where));
  const message = driveMessage(failure, where);
  return failure.reason === 'notFound' ? new NotFoundError(message) : new ToolError(message);
}
