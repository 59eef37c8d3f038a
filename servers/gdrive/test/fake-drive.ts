/**
 * @module
 * A local stand-in for Google Drive v3 and Google's OAuth endpoints that speaks their wire
 * format, for the real `@googleapis/drive` and `google-auth-library` to talk to through
 * GDRIVE_API_URL and GDRIVE_TOKEN_URL. It keeps files, Shared Drives, revisions and permissions
 * in memory and behaves like Drive where it matters to the server: `q` is parsed and evaluated,
 * `fields` masks responses, Shared Drive items stay invisible without `supportsAllDrives` and
 * `includeItemsFromAllDrives`, pages come with `nextPageToken`, `alt=media` honours `Range`,
 * Google files export and refuse direct download, errors carry `{error:{code,message,errors:[{reason}]}}`,
 * and every request needs a live access token. The token endpoint issues access tokens for
 * refresh tokens, authorization codes (with PKCE) and service-account assertions (signature
 * checked), and answers `invalid_grant` for revoked grants. The Sheets v4 and Docs v1 endpoints
 * (`fake-sheets.ts`, `fake-docs.ts`) answer on the same host, over the same files and tokens.
 * Every request is recorded.
 */
import { createHash, createVerify, randomBytes } from 'node:crypto';
import {
  fakeHttp,
  type FakeHttp,
  type FakeResponse,
  type RecordedRequest,
} from '@plugboard/testing';
import { evaluate, parseQuery, QuerySyntaxError } from './drive-query.js';
import { docsRoutes } from './fake-docs.js';
import { sheetsRoutes } from './fake-sheets.js';
import type { FakeSheet, WorkspaceState } from './fake-workspace.js';

export const GOOGLE_TOKEN_AUDIENCE = 'https://oauth2.googleapis.com/token';
export const FULL_SCOPE = 'https://www.googleapis.com/auth/drive';
export const READ_SCOPE = 'https://www.googleapis.com/auth/drive.readonly';
export const FOLDER = 'application/vnd.google-apps.folder';
export const DOC = 'application/vnd.google-apps.document';
export const SHEET = 'application/vnd.google-apps.spreadsheet';
export const SLIDES = 'application/vnd.google-apps.presentation';
export const DRAWING = 'application/vnd.google-apps.drawing';

export interface FakePermission {
  id: string;
  type: 'user' | 'group' | 'domain' | 'anyone';
  role: string;
  emailAddress?: string;
  domain?: string;
  displayName?: string;
  inherited?: boolean;
}

export interface FakeRevision {
  id: string;
  modifiedTime: string;
  size?: number;
  lastModifyingUser?: { displayName: string; emailAddress: string };
}

export interface FakeFile {
  id: string;
  name: string;
  mimeType: string;
  parents: string[];
  driveId?: string;
  trashed: boolean;
  starred: boolean;
  description?: string;
  owners: { displayName: string; emailAddress: string }[];
  createdTime: string;
  modifiedTime: string;
  version: number;
  /** Bytes for alt=media (files with content). */
  content?: Buffer;
  /** Export formats of a Google file, by MIME type. */
  exports?: Record<string, Buffer>;
  /** Answer exports with exportSizeLimitExceeded. */
  exportTooLarge?: boolean;
  /** Claimed size, when it must differ from the content (a 4 GB video). */
  size?: number;
  /** alt=media streams this many bytes, whatever the metadata says (a size that lies). */
  streamBytes?: number;
  shortcutDetails?: { targetId: string; targetMimeType?: string };
  revisions: FakeRevision[];
  permissions: FakePermission[];
  /** The signed-in account may read but not change it. */
  readOnly?: boolean;
  /** Comments with their replies, oldest first. */
  comments?: FakeComment[];
  /** The owner turned copying, downloading and printing off for readers (capabilities.canCopy false). */
  noCopy?: boolean;
  /** A Google Sheet's sheets and cells, for the Sheets API. */
  sheets?: FakeSheet[];
  /** A Google Doc's body text for the Docs API, ending with a newline. */
  docText?: string;
  /** The accounts (emails) that see this file; every account when undefined. */
  viewers?: string[];
}

export interface FakeReply {
  id: string;
  content: string;
  author: { displayName: string; emailAddress: string };
  createdTime: string;
  action?: 'resolve' | 'reopen';
  deleted?: boolean;
}

export interface FakeComment {
  id: string;
  content: string;
  author: { displayName: string; emailAddress: string };
  createdTime: string;
  modifiedTime: string;
  resolved: boolean;
  deleted?: boolean;
  anchor?: string;
  quotedFileContent?: { mimeType: string; value: string };
  replies: FakeReply[];
}

export interface FakeUploadSession {
  readonly metadata: Record<string, unknown>;
  readonly total: number;
  bytes: Buffer;
  readonly fields: string | string[] | undefined;
  state: 'open' | 'done' | 'cancelled';
}

export interface FakeSharedDrive {
  id: string;
  name: string;
  createdTime: string;
  hidden?: boolean;
}

export interface ServiceAccount {
  readonly email: string;
  readonly publicKey: string;
  /** Users the account may act as (domain-wide delegation). */
  readonly delegates: readonly string[];
}

interface AccessToken {
  readonly scope: string;
  readonly expiresAt: number;
  readonly subject: string;
}

interface IssuedCode {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly challenge: string;
  readonly scope: string;
  /** The account that consented. */
  readonly subject: string;
}

/** The account a sign-in belongs to unless a test signs someone else in. */
export const DEFAULT_ACCOUNT = 'user@example.com';

/** "Alice" for alice@example.com: the display name the fake gives an account. */
function nameOf(email: string): string {
  if (email === DEFAULT_ACCOUNT) return 'Test User';
  const local = email.split('@')[0] ?? email;
  return local.charAt(0).toUpperCase() + local.slice(1);
}

export interface FakeDriveOptions {
  /** Seconds each access token lives (Google: 3599). */
  readonly tokenLifetime?: number;
  /** Mark allDrives searches incomplete, as Drive does for large domains. */
  readonly incompleteSearch?: boolean;
}

export interface FakeDrive {
  readonly url: string;
  /** Drive API root for GDRIVE_API_URL. */
  readonly apiUrl: string;
  readonly tokenUrl: string;
  readonly authUrl: string;
  readonly http: FakeHttp;
  readonly requests: readonly RecordedRequest[];
  readonly files: Map<string, FakeFile>;
  readonly drives: FakeSharedDrive[];
  readonly rootId: string;
  /** Registers an OAuth client. */
  addClient(clientId: string, clientSecret: string): void;
  /** A refresh token for a registered client, as if the user had signed in before. */
  grant(clientId: string, scope?: string): string;
  /** Revokes a refresh token (the user removed the app, or changed their password). */
  revoke(refreshToken: string): void;
  /** Removes everything `account` granted, as on Google's account permissions page. */
  revokeAccount(account: string): void;
  /** Makes every access token issued so far (to `account` only, when given) invalid, as an hour passing does. */
  expireAccessTokens(account?: string): void;
  /** Issues an access token directly (for credentials files that carry one). */
  accessToken(scope?: string, lifetimeSeconds?: number): string;
  addServiceAccount(account: ServiceAccount): void;
  /** Adds a file; `content` strings become UTF-8. */
  add(
    file: Partial<Omit<FakeFile, 'content' | 'exports'>> & {
      name: string;
      content?: string | Buffer;
      exports?: Record<string, string | Buffer>;
    },
  ): FakeFile;
  addDrive(name: string, id?: string): FakeSharedDrive;
  /** Requests to the Drive API (not the token endpoint). */
  apiRequests(): RecordedRequest[];
  tokenRequests(): RecordedRequest[];
  /** Resumable upload sessions by upload_id. */
  readonly uploadSessions: ReadonlyMap<string, FakeUploadSession>;
  /** Chunk start offsets whose next PUT fails with 503 after Drive kept 256 KiB of it. */
  failUploadAt: number[];
  /** Answer the consent page with error=access_denied. */
  denyConsent: boolean;
  /** The account the consent page approves as (the browser's Google session). */
  signedIn: string;
  /** Calls of the revocation endpoint, by the token they named. */
  readonly revocations: string[];
  /** Bytes of JSON whitespace after each successful token answer (an endpoint that never stops). */
  tokenPadding: number;
  /** Runs after each Docs documents.get: a collaborator's edit between read and write. */
  afterDocumentRead: ((file: FakeFile) => void) | undefined;
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

const NOW = '2026-11-20T10:00:00.000Z';

/** An id in Drive's alphabet, 33 characters like real file ids. */
export function driveId(prefix = '1'): string {
  return `${prefix}${randomBytes(24).toString('base64url')}`.slice(0, 33).padEnd(33, 'x');
}

/** Drive's error body. */
export function driveError(
  code: number,
  reason: string,
  message: string,
  extra: Record<string, unknown> = {},
): FakeResponse {
  return {
    status: code,
    body: {
      error: {
        code,
        message,
        errors: [{ message, domain: 'global', reason, ...extra }],
        ...(code === 401
          ? { status: 'UNAUTHENTICATED' }
          : code === 403
            ? { status: 'PERMISSION_DENIED' }
            : {}),
      },
    },
  };
}

function oauthError(status: number, error: string, description: string): FakeResponse {
  return { status, body: { error, error_description: description } };
}

interface FieldMask {
  readonly [name: string]: FieldMask | true;
}

/** Parses Drive's `fields` syntax: `a,b(c,d(e)),*`. */
export function parseFields(spec: string): FieldMask {
  let at = 0;
  const list = (): Record<string, FieldMask | true> => {
    const mask: Record<string, FieldMask | true> = {};
    for (;;) {
      const name = /^[A-Za-z*][A-Za-z0-9_]*/.exec(spec.slice(at))?.[0];
      if (name === undefined) throw new Error(`bad fields at ${at}: ${spec}`);
      at += name.length;
      if (spec[at] === '(') {
        at++;
        mask[name] = list();
        if (spec[at] !== ')') throw new Error(`bad fields: ${spec}`);
        at++;
      } else mask[name] = true;
      while (spec[at] === ' ') at++;
      if (spec[at] !== ',') return mask;
      at++;
      while (spec[at] === ' ') at++;
    }
  };
  const mask = list();
  if (at !== spec.length) throw new Error(`bad fields: ${spec}`);
  return mask;
}

export function applyMask(value: unknown, mask: FieldMask | true): unknown {
  if (mask === true || mask['*'] === true) return value;
  if (Array.isArray(value)) return value.map((item) => applyMask(item, mask));
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, sub] of Object.entries(mask)) {
    const item = (value as Record<string, unknown>)[key];
    if (item !== undefined) out[key] = applyMask(item, sub);
  }
  return out;
}

function textOf(file: FakeFile): string {
  const exported = file.exports?.['text/plain'] ?? file.exports?.['text/markdown'];
  if (exported !== undefined) return exported.toString('utf8');
  if (file.content !== undefined && !file.content.includes(0)) return file.content.toString('utf8');
  return '';
}

function bearer(request: RecordedRequest): string | undefined {
  const header = request.headers.authorization;
  return typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7) : undefined;
}

function bool(value: unknown): boolean {
  return value === 'true';
}

function one(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Parses a multipart/related upload body: the JSON metadata part and the media part. */
export function parseMultipart(request: RecordedRequest): {
  metadata: Record<string, unknown>;
  media: string;
  mediaType: string;
  /** The media part's bytes exactly (binary uploads). */
  mediaBytes: Buffer;
} {
  const type = request.headers['content-type'] ?? '';
  const boundary = /boundary=([^;]+)/.exec(type)?.[1];
  if (boundary === undefined) throw new Error('no multipart boundary');
  // latin1 maps each byte to one character, so binary parts survive the split.
  const parts = request.bytes
    .toString('latin1')
    .split(`--${boundary}`)
    .slice(1, -1)
    .map((part) => {
      const split = part.indexOf('\r\n\r\n');
      const headers = part.slice(0, split).toLowerCase();
      const body = part.slice(split + 4).replace(/\r\n$/, '');
      return { type: /content-type:\s*([^\r\n]+)/.exec(headers)?.[1]?.trim() ?? '', body };
    });
  const [meta, media] = parts;
  const mediaBytes = Buffer.from(media?.body ?? '', 'latin1');
  return {
    metadata:
      meta === undefined
        ? {}
        : (JSON.parse(Buffer.from(meta.body, 'latin1').toString('utf8')) as Record<
            string,
            unknown
          >),
    media: mediaBytes.toString('utf8'),
    mediaType: media?.type ?? '',
    mediaBytes,
  };
}

export async function fakeDrive(options: FakeDriveOptions = {}): Promise<FakeDrive> {
  const files = new Map<string, FakeFile>();
  const drives: FakeSharedDrive[] = [];
  const clients = new Map<string, string>();
  const refreshTokens = new Map<
    string,
    { clientId: string; scope: string; revoked: boolean; subject: string }
  >();
  const accessTokens = new Map<string, AccessToken>();
  const codes = new Map<string, IssuedCode>();
  const accounts = new Map<string, ServiceAccount>();
  const sessions = new Map<string, FakeUploadSession>();
  const lifetime = options.tokenLifetime ?? 3599;
  const rootId = `0A${randomBytes(12).toString('base64url')}Uk9PVA`;

  const issue = (scope: string, seconds = lifetime, subject = DEFAULT_ACCOUNT): string => {
    const token = `ya29.${randomBytes(24).toString('base64url')}`;
    accessTokens.set(token, { scope, expiresAt: Date.now() + seconds * 1000, subject });
    return token;
  };

  /** The token's grant, or a 401 in Drive's format. */
  const authorize = (request: RecordedRequest): AccessToken | FakeResponse => {
    const token = bearer(request);
    const grant = token === undefined ? undefined : accessTokens.get(token);
    if (grant === undefined || grant.expiresAt <= Date.now())
      return driveError(
        401,
        'authError',
        'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
        { location: 'Authorization', locationType: 'header' },
      );
    return grant;
  };

  const canWrite = (grant: AccessToken): FakeResponse | undefined =>
    grant.scope.split(' ').includes(FULL_SCOPE)
      ? undefined
      : driveError(
          403,
          'insufficientPermissions',
          'Request had insufficient authentication scopes.',
        );

  const notFound = (id: string): FakeResponse =>
    driveError(404, 'notFound', `File not found: ${id}.`, {
      location: 'fileId',
      locationType: 'parameter',
    });

  /** A file with viewers is seen by them alone; any other by every account. */
  const seenBy = (file: FakeFile, subject: string): boolean =>
    file.viewers === undefined || file.viewers.includes(subject);

  /** Shared Drive files are invisible to callers that do not declare support for them. */
  const visible = (file: FakeFile, query: RecordedRequest['query']): boolean =>
    file.driveId === undefined || bool(query.supportsAllDrives);

  const fileResource = (file: FakeFile): Record<string, unknown> => {
    const isGoogle = file.mimeType.startsWith('application/vnd.google-apps.');
    const size = file.size ?? file.content?.length;
    return {
      kind: 'drive#file',
      id: file.id,
      name: file.name,
      mimeType: file.mimeType,
      parents: file.parents,
      ...(file.driveId === undefined ? {} : { driveId: file.driveId, teamDriveId: file.driveId }),
      trashed: file.trashed,
      starred: file.starred,
      ...(file.description === undefined ? {} : { description: file.description }),
      owners:
        file.driveId === undefined
          ? file.owners.map((owner) => ({ kind: 'drive#user', ...owner, me: false }))
          : undefined,
      createdTime: file.createdTime,
      modifiedTime: file.modifiedTime,
      version: String(file.version),
      webViewLink: isGoogle
        ? `https://docs.google.com/document/d/${file.id}/edit?usp=drivesdk`
        : `https://drive.google.com/file/d/${file.id}/view?usp=drivesdk`,
      ...(isGoogle || size === undefined
        ? {}
        : {
            size: String(size),
            webContentLink: `https://drive.google.com/uc?id=${file.id}&export=download`,
            md5Checksum: createHash('md5')
              .update(file.content ?? Buffer.alloc(0))
              .digest('hex'),
          }),
      ...(file.shortcutDetails === undefined ? {} : { shortcutDetails: file.shortcutDetails }),
      shared: file.permissions.length > 1,
      lastModifyingUser: { kind: 'drive#user', ...file.owners[0] },
      capabilities: {
        canEdit: file.readOnly !== true,
        canComment: true,
        canCopy: file.noCopy !== true,
        canShare: file.readOnly !== true,
        canDownload: true,
        canTrash: file.readOnly !== true,
        canRename: file.readOnly !== true,
      },
    };
  };

  const masked = (
    value: unknown,
    fields: string | string[] | undefined,
    fallback: string,
  ): unknown => applyMask(value, parseFields(one(fields) ?? fallback));

  const byId = (
    id: string,
    query: RecordedRequest['query'],
    subject: string,
  ): FakeFile | undefined => {
    const resolved = id === 'root' ? rootId : id;
    if (resolved === rootId)
      return {
        id: rootId,
        name: 'My Drive',
        mimeType: FOLDER,
        parents: [],
        trashed: false,
        starred: false,
        owners: [{ displayName: nameOf(subject), emailAddress: subject }],
        createdTime: NOW,
        modifiedTime: NOW,
        version: 1,
        revisions: [],
        permissions: [],
      };
    const drive = drives.find((candidate) => candidate.id === resolved);
    if (drive !== undefined && bool(query.supportsAllDrives))
      return {
        id: drive.id,
        name: drive.name,
        mimeType: FOLDER,
        parents: [],
        driveId: drive.id,
        trashed: false,
        starred: false,
        owners: [],
        createdTime: drive.createdTime,
        modifiedTime: drive.createdTime,
        version: 1,
        revisions: [],
        permissions: [],
      };
    const file = files.get(resolved);
    return file !== undefined && visible(file, query) && seenBy(file, subject) ? file : undefined;
  };

  const listFiles = (request: RecordedRequest): FakeResponse => {
    const grant = authorize(request);
    if (!('scope' in grant)) return grant;
    const { query } = request;
    const corpora = one(query.corpora) ?? 'user';
    const all = bool(query.includeItemsFromAllDrives);
    if (all && !bool(query.supportsAllDrives))
      return driveError(
        403,
        'teamDriveSupportRequired',
        'The includeItemsFromAllDrives parameter can only be set to true when supportsAllDrives is set to true.',
      );
    if (corpora === 'drive' && one(query.driveId) === undefined)
      return driveError(
        400,
        'badRequest',
        'The driveId parameter must be specified when corpora is set to drive.',
      );
    let condition;
    try {
      condition = parseQuery(one(query.q) ?? '');
    } catch (error) {
      if (error instanceof QuerySyntaxError)
        return driveError(400, 'invalid', 'Invalid Value', {
          location: 'q',
          locationType: 'parameter',
        });
      throw error;
    }
    let matching = [...files.values()].filter((file) => {
      if (!seenBy(file, grant.subject)) return false;
      if (file.driveId !== undefined) {
        if (!all) return false;
        if (corpora === 'drive') return file.driveId === one(query.driveId);
        return corpora === 'allDrives';
      }
      return corpora !== 'drive';
    });
    try {
      matching = matching.filter((file) =>
        evaluate(condition, {
          ...file,
          fullText: `${file.name}\n${file.description ?? ''}\n${textOf(file)}`,
        }),
      );
    } catch (error) {
      if (error instanceof QuerySyntaxError)
        return driveError(400, 'invalid', 'Invalid Value', {
          location: 'q',
          locationType: 'parameter',
        });
      throw error;
    }
    const order = one(query.orderBy);
    if (order === 'modifiedTime desc')
      matching.sort((a, b) => b.modifiedTime.localeCompare(a.modifiedTime));
    else if (order === 'createdTime desc')
      matching.sort((a, b) => b.createdTime.localeCompare(a.createdTime));
    else if (order?.startsWith('folder'))
      matching.sort(
        (a, b) =>
          Number(b.mimeType === FOLDER) - Number(a.mimeType === FOLDER) ||
          a.name.localeCompare(b.name),
      );
    const pageSize = Math.min(Number(one(query.pageSize) ?? '100'), 1000);
    const token = one(query.pageToken);
    let start = 0;
    if (token !== undefined) {
      const decoded = /^page:(\d+)$/.exec(Buffer.from(token, 'base64').toString('utf8'));
      if (decoded === null)
        return driveError(400, 'invalid', 'Invalid Value', {
          location: 'pageToken',
          locationType: 'parameter',
        });
      start = Number(decoded[1]);
    }
    const page = matching.slice(start, start + pageSize);
    const next =
      start + pageSize < matching.length
        ? Buffer.from(`page:${start + pageSize}`).toString('base64')
        : undefined;
    const body = {
      kind: 'drive#fileList',
      ...(next === undefined ? {} : { nextPageToken: next }),
      incompleteSearch: options.incompleteSearch === true && corpora === 'allDrives',
      files: page.map(fileResource),
    };
    return {
      body: masked(
        body,
        query.fields,
        'kind,nextPageToken,incompleteSearch,files(kind,id,name,mimeType)',
      ),
    };
  };

  const getFile = (request: RecordedRequest): FakeResponse => {
    const grant = authorize(request);
    if (!('scope' in grant)) return grant;
    const id = request.params.id ?? '';
    const file = byId(id, request.query, grant.subject);
    if (file === undefined) return notFound(id);
    if (one(request.query.alt) === 'media') {
      if (file.mimeType.startsWith('application/vnd.google-apps.'))
        return driveError(
          403,
          'fileNotDownloadable',
          'Only files with binary content can be downloaded. Use Export with Docs Editors files.',
          { location: 'alt', locationType: 'parameter' },
        );
      const content = file.content ?? Buffer.alloc(0);
      const range = /^bytes=(\d+)-(\d*)$/.exec(request.headers.range ?? '');
      if (range !== null) {
        const start = Number(range[1]);
        if (start >= content.length && content.length > 0)
          return {
            status: 416,
            headers: { 'content-range': `bytes */${content.length}` },
            body: '',
          };
        const end =
          range[2] === '' ? content.length - 1 : Math.min(Number(range[2]), content.length - 1);
        return {
          status: 206,
          headers: {
            'content-type': file.mimeType,
            'content-range': `bytes ${start}-${end}/${content.length}`,
          },
          body: content.subarray(start, end + 1),
        };
      }
      const streaming =
        file.streamBytes ??
        (file.size !== undefined && file.size > content.length ? file.size : undefined);
      if (streaming !== undefined) {
        // A huge file: stream far more than any cap, and count what the client reads.
        return {
          respond: (res) => {
            res.writeHead(200, {
              'content-type': file.mimeType,
              'content-length': String(streaming),
            });
            const chunk = Buffer.alloc(64 * 1024, 0x41);
            let sent = 0;
            let closed = false;
            res.on('close', () => {
              closed = true;
            });
            const pump = (): void => {
              while (!closed && sent < streaming) {
                sent += chunk.length;
                streamed.bytes += chunk.length;
                if (!res.write(chunk)) {
                  res.once('drain', pump);
                  return;
                }
              }
              res.end();
            };
            pump();
          },
        };
      }
      return { headers: { 'content-type': file.mimeType }, body: content };
    }
    return { body: masked(fileResource(file), request.query.fields, 'kind,id,name,mimeType') };
  };

  const streamed = { bytes: 0 };

  const exportFile = (request: RecordedRequest): FakeResponse => {
    const grant = authorize(request);
    if (!('scope' in grant)) return grant;
    const id = request.params.id ?? '';
    const file = byId(id, { supportsAllDrives: 'true' }, grant.subject);
    if (file === undefined) return notFound(id);
    if (!file.mimeType.startsWith('application/vnd.google-apps.'))
      return driveError(403, 'fileNotExportable', 'Export only supports Docs Editors files.');
    if (file.exportTooLarge === true)
      return driveError(403, 'exportSizeLimitExceeded', 'This file is too large to be exported.');
    const mimeType = one(request.query.mimeType) ?? '';
    const body = file.exports?.[mimeType];
    if (body === undefined)
      return driveError(400, 'badRequest', 'The requested conversion is not supported.', {
        location: 'convertTo',
        locationType: 'parameter',
      });
    return { headers: { 'content-type': mimeType }, body };
  };

  const now = (): string => new Date().toISOString();

  const createFile = (request: RecordedRequest, upload: boolean): FakeResponse => {
    const grant = authorize(request);
    if (!('scope' in grant)) return grant;
    const denied = canWrite(grant);
    if (denied !== undefined) return denied;
    let metadata: Record<string, unknown>;
    let media: Buffer | undefined;
    if (upload && one(request.query.uploadType) === 'resumable') return openSession(request);
    if (upload) {
      const parsed = parseMultipart(request);
      metadata = parsed.metadata;
      media = parsed.mediaBytes;
    } else metadata = (request.body ?? {}) as Record<string, unknown>;
    const file = createFrom(metadata, media);
    return { body: masked(fileResource(file), request.query.fields, 'kind,id,name,mimeType') };
  };

  /** A new file from its metadata and media, as files.create makes it. */
  const createFrom = (metadata: Record<string, unknown>, media: Buffer | undefined): FakeFile => {
    const parents = Array.isArray(metadata.parents)
      ? (metadata.parents as string[]).map((parent) => (parent === 'root' ? rootId : parent))
      : [rootId];
    const parent = parents[0]!;
    const parentDrive =
      drives.find((drive) => drive.id === parent)?.id ?? files.get(parent)?.driveId;
    const name = typeof metadata.name === 'string' ? metadata.name : 'Untitled';
    const mimeType =
      typeof metadata.mimeType === 'string' ? metadata.mimeType : 'application/octet-stream';
    return add({
      name,
      mimeType,
      parents,
      ...(parentDrive === undefined ? {} : { driveId: parentDrive }),
      ...(media === undefined
        ? {}
        : mimeType.startsWith('application/vnd.google-apps.')
          ? { exports: { 'text/plain': media, 'text/markdown': media } }
          : { content: media }),
      createdTime: now(),
      modifiedTime: now(),
    });
  };

  /**
   * Resumable uploads: the POST opens a session (its URI in Location); PUTs with
   * `Content-Range: bytes a-b/total` add bytes (308 with `Range: bytes=0-n` until the last,
   * which answers with the file); `bytes *` + `/total` asks where the session stands;
   * DELETE cancels it (499).
   */
  const openSession = (request: RecordedRequest): FakeResponse => {
    const id = randomBytes(16).toString('base64url');
    const total = Number(request.headers['x-upload-content-length'] ?? NaN);
    sessions.set(id, {
      metadata: (request.body ?? {}) as Record<string, unknown>,
      total,
      bytes: Buffer.alloc(0),
      fields: one(request.query.fields),
      state: 'open',
    });
    return {
      headers: {
        location: `${http.url}/upload/drive/v3/files?uploadType=resumable&upload_id=${id}`,
      },
      body: '',
    };
  };

  const sessionOf = (request: RecordedRequest): FakeUploadSession | FakeResponse => {
    const session = sessions.get(one(request.query.upload_id) ?? '');
    if (session === undefined || session.state !== 'open')
      return driveError(404, 'notFound', 'Upload session not found.');
    return session;
  };

  const heldRange = (session: FakeUploadSession): Record<string, string> =>
    session.bytes.length === 0 ? {} : { range: `bytes=0-${session.bytes.length - 1}` };

  const putChunk = (request: RecordedRequest): FakeResponse => {
    const grant = authorize(request);
    if (!('scope' in grant)) return grant;
    const session = sessionOf(request);
    if (!('state' in session)) return session;
    const range = request.headers['content-range'] ?? '';
    const chunk = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(range);
    if (chunk === null) {
      if (range !== `bytes */${session.total}`)
        return driveError(400, 'badContentRange', 'Invalid Content-Range.');
    } else {
      const start = Number(chunk[1]);
      const end = Number(chunk[2]);
      if (start !== session.bytes.length || end - start + 1 !== request.bytes.length)
        return driveError(400, 'badContentRange', 'The Content-Range does not follow on.');
      const fault = fake.failUploadAt.indexOf(start);
      if (fault !== -1) {
        // The connection broke mid-chunk: Drive kept the first 256 KiB it received.
        fake.failUploadAt.splice(fault, 1);
        session.bytes = Buffer.concat([session.bytes, request.bytes.subarray(0, 256 * 1024)]);
        return driveError(503, 'backendError', 'Backend Error');
      }
      session.bytes = Buffer.concat([session.bytes, request.bytes]);
    }
    if (session.bytes.length < session.total)
      return { status: 308, headers: heldRange(session), body: '' };
    session.state = 'done';
    const file = createFrom(session.metadata, session.bytes);
    return { body: masked(fileResource(file), session.fields, 'kind,id,name,mimeType') };
  };

  /** comments and replies answer only with `fields`; Drive refuses the call without it. */
  const commentsOf = (request: RecordedRequest): FakeFile | FakeResponse => {
    const grant = authorize(request);
    if (!('scope' in grant)) return grant;
    if (request.method === 'POST') {
      const denied = canWrite(grant);
      if (denied !== undefined) return denied;
    }
    if (one(request.query.fields) === undefined)
      return driveError(400, 'required', "The 'fields' parameter is required for this operation.", {
        location: 'fields',
        locationType: 'parameter',
      });
    const id = request.params.id ?? '';
    const file = byId(id, { supportsAllDrives: 'true' }, grant.subject);
    return file ?? notFound(id);
  };

  const listComments = (request: RecordedRequest): FakeResponse => {
    const file = commentsOf(request);
    if (!('mimeType' in file)) return file;
    const pageSize = Number(one(request.query.pageSize) ?? '20');
    const start = Number(
      /^c:(\d+)$/.exec(Buffer.from(one(request.query.pageToken) ?? '', 'base64').toString())?.[1] ??
        0,
    );
    const all = file.comments ?? [];
    const next =
      start + pageSize < all.length
        ? Buffer.from(`c:${start + pageSize}`).toString('base64')
        : undefined;
    return {
      body: masked(
        {
          kind: 'drive#commentList',
          ...(next === undefined ? {} : { nextPageToken: next }),
          comments: all
            .slice(start, start + pageSize)
            .map((item) => ({ kind: 'drive#comment', ...item })),
        },
        request.query.fields,
        '',
      ),
    };
  };

  const me = { displayName: 'Test User', emailAddress: 'user@example.com' };

  const createComment = (request: RecordedRequest): FakeResponse => {
    const file = commentsOf(request);
    if (!('mimeType' in file)) return file;
    const body = (request.body ?? {}) as { content?: unknown };
    if (typeof body.content !== 'string' || body.content === '')
      return driveError(400, 'required', 'Required: content');
    const item: FakeComment = {
      id: `AAAB${randomBytes(6).toString('hex')}`,
      content: body.content,
      author: me,
      createdTime: now(),
      modifiedTime: now(),
      resolved: false,
      replies: [],
    };
    (file.comments ??= []).push(item);
    return { body: masked({ kind: 'drive#comment', ...item }, request.query.fields, '') };
  };

  const createReply = (request: RecordedRequest): FakeResponse => {
    const file = commentsOf(request);
    if (!('mimeType' in file)) return file;
    const target = file.comments?.find((item) => item.id === request.params.commentId);
    if (target === undefined) return driveError(404, 'notFound', 'Comment not found.');
    const body = (request.body ?? {}) as { content?: unknown; action?: unknown };
    const action = body.action === 'resolve' || body.action === 'reopen' ? body.action : undefined;
    if (body.action !== undefined && action === undefined)
      return driveError(400, 'invalid', 'Invalid value for: action');
    if (action === undefined && (typeof body.content !== 'string' || body.content === ''))
      return driveError(400, 'required', 'Required: content');
    const item: FakeReply = {
      id: `AAAC${randomBytes(6).toString('hex')}`,
      content: typeof body.content === 'string' ? body.content : '',
      author: me,
      createdTime: now(),
      ...(action === undefined ? {} : { action }),
    };
    target.replies.push(item);
    if (action !== undefined) target.resolved = action === 'resolve';
    return { body: masked({ kind: 'drive#reply', ...item }, request.query.fields, '') };
  };

  const cancelSession = (request: RecordedRequest): FakeResponse => {
    const session = sessionOf(request);
    if (!('state' in session)) return session;
    session.state = 'cancelled';
    return { status: 499, body: '' };
  };

  const updateFile = (request: RecordedRequest, upload: boolean): FakeResponse => {
    const grant = authorize(request);
    if (!('scope' in grant)) return grant;
    const denied = canWrite(grant);
    if (denied !== undefined) return denied;
    const id = request.params.id ?? '';
    const file = byId(id, request.query, grant.subject);
    if (file === undefined) return notFound(id);
    if (file.readOnly === true)
      return driveError(
        403,
        'insufficientFilePermissions',
        'The user does not have sufficient permissions for this file.',
      );
    if (upload) {
      const type = one(request.query.uploadType);
      const media = type === 'multipart' ? parseMultipart(request).media : request.rawBody;
      if (file.mimeType.startsWith('application/vnd.google-apps.'))
        file.exports = {
          ...file.exports,
          'text/plain': Buffer.from(media),
          'text/markdown': Buffer.from(media),
        };
      else file.content = Buffer.from(media);
    } else {
      const body = (request.body ?? {}) as Record<string, unknown>;
      if (typeof body.name === 'string') file.name = body.name;
      if (typeof body.trashed === 'boolean') file.trashed = body.trashed;
    }
    const adding = one(request.query.addParents);
    const removing = one(request.query.removeParents);
    if (removing !== undefined)
      file.parents = file.parents.filter((parent) => !removing.split(',').includes(parent));
    if (adding !== undefined)
      file.parents.push(
        ...adding.split(',').map((parent) => (parent === 'root' ? rootId : parent)),
      );
    file.version++;
    file.modifiedTime = now();
    return { body: masked(fileResource(file), request.query.fields, 'kind,id,name,mimeType') };
  };

  /** files.copy: the body is the copy's File metadata; without parents it goes beside the original. */
  const copyFile = (request: RecordedRequest): FakeResponse => {
    const grant = authorize(request);
    if (!('scope' in grant)) return grant;
    const denied = canWrite(grant);
    if (denied !== undefined) return denied;
    const id = request.params.id ?? '';
    const source = byId(id, request.query, grant.subject);
    if (source === undefined) return notFound(id);
    if (source.mimeType === FOLDER || source.noCopy === true)
      return driveError(403, 'cannotCopyFile', 'This file cannot be copied by the user.');
    const metadata = (request.body ?? {}) as Record<string, unknown>;
    const parents = Array.isArray(metadata.parents)
      ? (metadata.parents as string[]).map((parent) => (parent === 'root' ? rootId : parent))
      : [...source.parents];
    const parent = parents[0]!;
    if (byId(parent, request.query, grant.subject) === undefined) return notFound(parent);
    const parentDrive =
      drives.find((drive) => drive.id === parent)?.id ?? files.get(parent)?.driveId;
    // The copy is the caller's own: new id, one revision, owner-only access, the same content.
    const copy = add({
      mimeType: source.mimeType,
      ...(source.content === undefined ? {} : { content: source.content }),
      ...(source.description === undefined ? {} : { description: source.description }),
      name: typeof metadata.name === 'string' ? metadata.name : `Copy of ${source.name}`,
      parents,
      ...(parentDrive === undefined ? {} : { driveId: parentDrive }),
      ...(source.exports === undefined ? {} : { exports: { ...source.exports } }),
      version: 1,
      createdTime: now(),
      modifiedTime: now(),
    });
    return { body: masked(fileResource(copy), request.query.fields, 'kind,id,name,mimeType') };
  };

  const listDrives = (request: RecordedRequest): FakeResponse => {
    const grant = authorize(request);
    if (!('scope' in grant)) return grant;
    let condition;
    try {
      condition = parseQuery(one(request.query.q) ?? '');
    } catch {
      return driveError(400, 'invalid', 'Invalid Value', {
        location: 'q',
        locationType: 'parameter',
      });
    }
    const matching = drives.filter((drive) =>
      evaluate(condition, {
        name: drive.name,
        mimeType: FOLDER,
        fullText: drive.name,
        parents: [],
        trashed: false,
        starred: false,
        modifiedTime: drive.createdTime,
      }),
    );
    const pageSize = Number(one(request.query.pageSize) ?? '10');
    const token = one(request.query.pageToken);
    const start =
      token === undefined
        ? 0
        : Number(Buffer.from(token, 'base64').toString('utf8').replace('drives:', ''));
    const page = matching.slice(start, start + pageSize);
    const next =
      start + pageSize < matching.length
        ? Buffer.from(`drives:${start + pageSize}`).toString('base64')
        : undefined;
    return {
      body: masked(
        {
          kind: 'drive#driveList',
          ...(next === undefined ? {} : { nextPageToken: next }),
          drives: page.map((drive) => ({ kind: 'drive#drive', ...drive })),
        },
        request.query.fields,
        'kind,nextPageToken,drives(kind,id,name)',
      ),
    };
  };

  const listRevisions = (request: RecordedRequest): FakeResponse => {
    const grant = authorize(request);
    if (!('scope' in grant)) return grant;
    const id = request.params.id ?? '';
    const file = byId(id, { supportsAllDrives: 'true' }, grant.subject);
    if (file === undefined) return notFound(id);
    const revisions = file.revisions.map((revision) => ({
      kind: 'drive#revision',
      id: revision.id,
      mimeType: file.mimeType,
      modifiedTime: revision.modifiedTime,
      keepForever: false,
      ...(revision.size === undefined ? {} : { size: String(revision.size) }),
      ...(revision.lastModifyingUser === undefined
        ? {}
        : { lastModifyingUser: { kind: 'drive#user', ...revision.lastModifyingUser } }),
    }));
    return {
      body: masked(
        { kind: 'drive#revisionList', revisions },
        request.query.fields,
        'kind,nextPageToken,revisions(id,mimeType,kind,modifiedTime)',
      ),
    };
  };

  const listPermissions = (request: RecordedRequest): FakeResponse => {
    const grant = authorize(request);
    if (!('scope' in grant)) return grant;
    const id = request.params.id ?? '';
    const file = byId(id, request.query, grant.subject);
    if (file === undefined) return notFound(id);
    const permissions = file.permissions.map((permission) => ({
      kind: 'drive#permission',
      ...permission,
      permissionDetails: [
        { permissionType: 'file', role: permission.role, inherited: permission.inherited === true },
      ],
    }));
    return {
      body: masked(
        { kind: 'drive#permissionList', permissions },
        request.query.fields,
        'kind,nextPageToken,permissions(id,type,kind,role)',
      ),
    };
  };

  const createPermission = (request: RecordedRequest): FakeResponse => {
    const grant = authorize(request);
    if (!('scope' in grant)) return grant;
    const denied = canWrite(grant);
    if (denied !== undefined) return denied;
    const id = request.params.id ?? '';
    const file = byId(id, request.query, grant.subject);
    if (file === undefined) return notFound(id);
    const body = (request.body ?? {}) as Record<string, string>;
    const permission: FakePermission = {
      id:
        body.type === 'anyone'
          ? 'anyoneWithLink'
          : String(10_000_000_000 + file.permissions.length),
      type: body.type as FakePermission['type'],
      role: body.role ?? 'reader',
      ...(body.emailAddress === undefined ? {} : { emailAddress: body.emailAddress }),
      ...(body.domain === undefined ? {} : { domain: body.domain }),
    };
    file.permissions.push(permission);
    return {
      body: masked(
        { kind: 'drive#permission', ...permission },
        request.query.fields,
        'kind,id,type,role',
      ),
    };
  };

  const deletePermission = (request: RecordedRequest): FakeResponse => {
    const grant = authorize(request);
    if (!('scope' in grant)) return grant;
    const denied = canWrite(grant);
    if (denied !== undefined) return denied;
    const file = byId(request.params.id ?? '', request.query, grant.subject);
    if (file === undefined) return notFound(request.params.id ?? '');
    const index = file.permissions.findIndex(
      (permission) => permission.id === request.params.permissionId,
    );
    if (index === -1)
      return driveError(404, 'notFound', `Permission not found: ${request.params.permissionId}.`);
    if (file.permissions[index]!.role === 'owner')
      return driveError(403, 'cannotDeletePermission', 'The owner of a file cannot be removed.');
    file.permissions.splice(index, 1);
    return { status: 204 };
  };

  const verifyAssertion = (
    assertion: string,
  ): { account: ServiceAccount; scope: string; subject: string } | FakeResponse => {
    const [header, payload, signature] = assertion.split('.');
    if (header === undefined || payload === undefined || signature === undefined)
      return oauthError(400, 'invalid_grant', 'Invalid JWT.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<
      string,
      unknown
    >;
    const account = accounts.get(String(claims.iss));
    if (account === undefined) return oauthError(400, 'invalid_grant', 'Invalid JWT Signature.');
    const verifier = createVerify('RSA-SHA256');
    verifier.update(`${header}.${payload}`);
    if (!verifier.verify(account.publicKey, Buffer.from(signature, 'base64url')))
      return oauthError(400, 'invalid_grant', 'Invalid JWT Signature.');
    if (claims.aud !== GOOGLE_TOKEN_AUDIENCE)
      return oauthError(400, 'invalid_grant', 'Invalid JWT: audience.');
    if (typeof claims.exp !== 'number' || claims.exp * 1000 < Date.now())
      return oauthError(400, 'invalid_grant', 'Invalid JWT: Token must be a short-lived token.');
    const subject = typeof claims.sub === 'string' ? claims.sub : account.email;
    if (typeof claims.sub === 'string' && !account.delegates.includes(claims.sub))
      return oauthError(
        401,
        'unauthorized_client',
        'Client is unauthorized to retrieve access tokens using this method.',
      );
    return { account, scope: typeof claims.scope === 'string' ? claims.scope : '', subject };
  };

  /** A token answer, padded with trailing whitespace (still valid JSON) when the test asks. */
  const token = (request: RecordedRequest): FakeResponse => {
    const answer = tokenAnswer(request);
    if (fake.tokenPadding === 0 || (answer.status ?? 200) !== 200) return answer;
    return {
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify(answer.body) + ' '.repeat(fake.tokenPadding),
    };
  };

  const tokenAnswer = (request: RecordedRequest): FakeResponse => {
    const body = (request.body ?? {}) as Record<string, string>;
    switch (body.grant_type) {
      case 'refresh_token': {
        if (clients.get(body.client_id ?? '') !== body.client_secret)
          return oauthError(401, 'invalid_client', 'Unauthorized');
        const grant = refreshTokens.get(body.refresh_token ?? '');
        if (grant === undefined || grant.revoked || grant.clientId !== body.client_id)
          return oauthError(400, 'invalid_grant', 'Token has been expired or revoked.');
        return {
          body: {
            access_token: issue(grant.scope, lifetime, grant.subject),
            expires_in: lifetime,
            scope: grant.scope,
            token_type: 'Bearer',
          },
        };
      }
      case 'authorization_code': {
        if (clients.get(body.client_id ?? '') !== body.client_secret)
          return oauthError(401, 'invalid_client', 'Unauthorized');
        const code = codes.get(body.code ?? '');
        codes.delete(body.code ?? '');
        if (
          code === undefined ||
          code.clientId !== body.client_id ||
          code.redirectUri !== body.redirect_uri
        )
          return oauthError(400, 'invalid_grant', 'Bad Request');
        const challenge = createHash('sha256')
          .update(body.code_verifier ?? '')
          .digest('base64url');
        if (challenge !== code.challenge)
          return oauthError(400, 'invalid_grant', 'Missing code verifier.');
        const refresh = `1//${randomBytes(24).toString('base64url')}`;
        refreshTokens.set(refresh, {
          clientId: code.clientId,
          scope: code.scope,
          revoked: false,
          subject: code.subject,
        });
        return {
          body: {
            access_token: issue(code.scope, lifetime, code.subject),
            expires_in: lifetime,
            refresh_token: refresh,
            scope: code.scope,
            token_type: 'Bearer',
          },
        };
      }
      case 'urn:ietf:params:oauth:grant-type:jwt-bearer': {
        const verified = verifyAssertion(body.assertion ?? '');
        if (!('account' in verified)) return verified;
        return {
          body: {
            access_token: issue(verified.scope, lifetime, verified.subject),
            expires_in: lifetime,
            token_type: 'Bearer',
          },
        };
      }
      default:
        return oauthError(400, 'unsupported_grant_type', 'Invalid grant_type.');
    }
  };

  const consent = (request: RecordedRequest): FakeResponse => {
    const { query } = request;
    const clientId = one(query.client_id) ?? '';
    const redirect = one(query.redirect_uri) ?? '';
    if (!clients.has(clientId)) return { status: 401, body: 'Error 401: invalid_client' };
    const target = new URL(redirect);
    if (target.protocol !== 'http:' || target.hostname !== '127.0.0.1')
      return { status: 400, body: 'Error 400: redirect_uri_mismatch' };
    if (
      one(query.response_type) !== 'code' ||
      one(query.code_challenge_method) !== 'S256' ||
      one(query.access_type) !== 'offline'
    )
      return { status: 400, body: 'Error 400: invalid_request' };
    const state = one(query.state) ?? '';
    if (fake.denyConsent) {
      target.searchParams.set('error', 'access_denied');
    } else {
      const code = `4/${randomBytes(24).toString('base64url')}`;
      codes.set(code, {
        clientId,
        redirectUri: redirect,
        challenge: one(query.code_challenge) ?? '',
        scope: one(query.scope) ?? '',
        subject: fake.signedIn,
      });
      target.searchParams.set('code', code);
      target.searchParams.set('scope', one(query.scope) ?? '');
    }
    target.searchParams.set('state', state);
    return { status: 302, headers: { location: target.href }, body: '' };
  };

  /** about.get: who the token belongs to. */
  const about = (request: RecordedRequest): FakeResponse => {
    const grant = authorize(request);
    if (!('scope' in grant)) return grant;
    const user = {
      kind: 'drive#user',
      displayName: nameOf(grant.subject),
      emailAddress: grant.subject,
      me: true,
      permissionId: createHash('sha256').update(grant.subject).digest('hex').slice(0, 20),
    };
    return { body: masked({ kind: 'drive#about', user }, request.query.fields, 'user') };
  };

  /**
   * Google's revocation endpoint: the token in the form (or the query); a refresh token ends
   * its grant and every access token issued from it, an access token ends itself. An unknown or
   * already revoked token is `invalid_token`, HTTP 400.
   */
  const revokeEndpoint = (request: RecordedRequest): FakeResponse => {
    const body = (request.body ?? {}) as Record<string, string>;
    const token = body.token ?? one(request.query.token) ?? '';
    fake.revocations.push(token);
    const refresh = refreshTokens.get(token);
    if (refresh !== undefined && !refresh.revoked) {
      refresh.revoked = true;
      for (const [access, grant] of accessTokens)
        if (grant.subject === refresh.subject && grant.scope === refresh.scope)
          accessTokens.delete(access);
      return { body: {} };
    }
    if (accessTokens.delete(token)) return { body: {} };
    return oauthError(400, 'invalid_token', 'Token expired or revoked');
  };

  const workspace: WorkspaceState = {
    files,
    authorize,
    afterDocumentRead: (file) => fake.afterDocumentRead?.(file as FakeFile),
    mask: (value, fields) => (fields === undefined ? value : applyMask(value, parseFields(fields))),
  };

  const http = await fakeHttp({
    'POST /token': token,
    'POST /revoke': revokeEndpoint,
    'GET /o/oauth2/v2/auth': consent,
    'GET /drive/v3/about': about,
    'GET /drive/v3/files': listFiles,
    'POST /drive/v3/files': (request) => createFile(request, false),
    'POST /upload/drive/v3/files': (request) => createFile(request, true),
    'PUT /upload/drive/v3/files': putChunk,
    'DELETE /upload/drive/v3/files': cancelSession,
    'GET /drive/v3/files/:id': getFile,
    'PATCH /drive/v3/files/:id': (request) => updateFile(request, false),
    'PATCH /upload/drive/v3/files/:id': (request) => updateFile(request, true),
    'POST /drive/v3/files/:id/copy': copyFile,
    'GET /drive/v3/files/:id/export': exportFile,
    'GET /drive/v3/drives': listDrives,
    'GET /drive/v3/files/:id/revisions': listRevisions,
    'GET /drive/v3/files/:id/comments': listComments,
    'POST /drive/v3/files/:id/comments': createComment,
    'POST /drive/v3/files/:id/comments/:commentId/replies': createReply,
    'GET /drive/v3/files/:id/permissions': listPermissions,
    'POST /drive/v3/files/:id/permissions': createPermission,
    'DELETE /drive/v3/files/:id/permissions/:permissionId': deletePermission,
    ...sheetsRoutes(workspace),
    ...docsRoutes(workspace),
  });

  function add(input: Parameters<FakeDrive['add']>[0]): FakeFile {
    const { content, exports, ...rest } = input;
    const file: FakeFile = {
      id: driveId(),
      mimeType: 'text/plain',
      parents: [rootId],
      trashed: false,
      starred: false,
      owners: [{ displayName: 'Test User', emailAddress: 'user@example.com' }],
      createdTime: NOW,
      modifiedTime: NOW,
      version: 1,
      revisions: [],
      permissions: [
        {
          id: '01234567890',
          type: 'user',
          role: 'owner',
          emailAddress: 'user@example.com',
          displayName: 'Test User',
        },
      ],
      ...rest,
      ...(content === undefined
        ? {}
        : { content: Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8') }),
      ...(exports === undefined
        ? {}
        : {
            exports: Object.fromEntries(
              Object.entries(exports).map(([type, body]) => [
                type,
                Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8'),
              ]),
            ),
          }),
    };
    files.set(file.id, file);
    return file;
  }

  const fake: FakeDrive = {
    url: http.url,
    apiUrl: `${http.url}/`,
    tokenUrl: `${http.url}/token`,
    authUrl: `${http.url}/o/oauth2/v2/auth`,
    http,
    requests: http.requests,
    files,
    drives,
    rootId,
    denyConsent: false,
    signedIn: DEFAULT_ACCOUNT,
    revocations: [],
    tokenPadding: 0,
    afterDocumentRead: undefined,
    uploadSessions: sessions,
    failUploadAt: [],
    addClient(clientId, secret) {
      clients.set(clientId, secret);
    },
    grant(clientId, scope = READ_SCOPE) {
      const refresh = `1//${randomBytes(24).toString('base64url')}`;
      refreshTokens.set(refresh, { clientId, scope, revoked: false, subject: DEFAULT_ACCOUNT });
      return refresh;
    },
    revoke(refreshToken) {
      const grant = refreshTokens.get(refreshToken);
      if (grant !== undefined) grant.revoked = true;
      for (const [token] of accessTokens) accessTokens.delete(token);
    },
    revokeAccount(account) {
      for (const grant of refreshTokens.values())
        if (grant.subject === account) grant.revoked = true;
      for (const [token, grant] of accessTokens)
        if (grant.subject === account) accessTokens.delete(token);
    },
    expireAccessTokens(account) {
      for (const [token, grant] of accessTokens)
        if (account === undefined || grant.subject === account) accessTokens.delete(token);
    },
    accessToken(scope = READ_SCOPE, seconds = lifetime) {
      return issue(scope, seconds);
    },
    addServiceAccount(account) {
      accounts.set(account.email, account);
    },
    add,
    addDrive(name, id = `0A${randomBytes(12).toString('base64url')}Uk9PVA`) {
      const drive = { id, name, createdTime: NOW };
      drives.push(drive);
      return drive;
    },
    apiRequests: () =>
      http.requests.filter(
        (request) => request.path !== '/token' && !request.path.startsWith('/o/oauth2'),
      ),
    tokenRequests: () => http.requests.filter((request) => request.path === '/token'),
    close: () => http.close(),
    [Symbol.asyncDispose]: () => http.close(),
  };
  Object.defineProperty(fake, 'streamedBytes', { get: () => streamed.bytes });
  return fake;
}

/** Bytes the fake has pushed for oversized downloads (to show the client stopped reading). */
export function streamedBytes(fake: FakeDrive): number {
  return (fake as unknown as { streamedBytes: number }).streamedBytes;
}
