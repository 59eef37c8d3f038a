/**
 * @module
 * What every Drive tool and resource can reach: the operator's configuration and the sessions
 * (the lazily built Google client of whoever the call acts as: the operator's identity, or in
 * hosted mode the caller's own account), plus {@link call}, {@link callApi} (Sheets and Docs)
 * and {@link download}, the only ways a handler talks to Google (cancellation, one deadline per
 * tool call, recovery from a re-run `auth`, and error mapping included).
 */
import type { Readable } from 'node:stream';
import { BodyTooLargeError, callUpstream, DEFAULT_MAX_BODY_BYTES } from '@plugboard/kit/upstream';
import type { UpstreamSessions } from '@plugboard/kit/sessions';
import type { RequestContext } from '@plugboard/protocol';
import { callDeadline, toolFactory } from '@plugboard/protocol';
import type { GdriveConfig } from './config.js';
import type { ContentCache } from './content/cache.js';
import type { Converted } from './content/read.js';
import {
  DownloadFailure,
  isGrantRevoked,
  isOverSizeLimit,
  isTokenRejected,
  toToolError,
} from './errors.js';
import type { AuthClient, Docs, Drive, GoogleClient, Sheets } from './google.js';
import { serviceRoot } from './config.js';
import type { Scope } from './scopes.js';

/** Whom a call acts as at Google: a client signed in as the operator's identity or the caller. */
export interface GdriveSession {
  readonly google: GoogleClient;
}

export interface GdriveDeps {
  readonly config: GdriveConfig;
  /** Whom each call acts as: the operator's identity, or (hosted) the caller's own account. */
  readonly sessions: UpstreamSessions<GdriveSession>;
  /** The deadline of each running call, keyed by the call's own signal. */
  readonly deadlines: WeakMap<AbortSignal, AbortSignal>;
  /**
   * Converted documents, so paging through one converts it once. Shared by every user: an
   * entry is keyed by file id and version, which a call learns only from its own caller's
   * metadata request, so a user reaches only the content of files they can read.
   */
  readonly cache: ContentCache<Converted>;
}

export type GdriveContext = RequestContext & GdriveDeps;

export const defineTool = toolFactory<GdriveDeps>();

/**
 * Per-request options handed to the Drive client. `rootUrl` is repeated on every request because
 * the client applies its global `rootUrl` to API paths but not to upload paths.
 */
export interface RequestOptions {
  readonly signal: AbortSignal;
  readonly rootUrl: string;
  /**
   * API requests read their answer under the kit's byte cap (gaxios stops reading past it);
   * downloads stream and cap themselves.
   */
  readonly maxContentLength?: number;
  readonly validateStatus?: (status: number) => boolean;
}

/** What a call is about, for error messages. */
export interface Subject {
  readonly subject: string;
  readonly write?: boolean;
  /** The smallest scope the call needs, when not Drive's own (see `errors.ts`). */
  readonly scope?: Scope;
}

/** One of the Google APIs the tools call: its client, and the root its requests go to. */
export interface Api<C> {
  readonly client: (google: GoogleClient) => Promise<C>;
  readonly rootUrl: (config: GdriveConfig) => string;
}

export const DRIVE: Api<Drive> = {
  client: (google) => google.drive(),
  rootUrl: (config) => config.apiUrl,
};

export const SHEETS: Api<Sheets> = {
  client: (google) => google.sheets(),
  rootUrl: (config) => serviceRoot(config.apiUrl, 'sheets'),
};

export const DOCS: Api<Docs> = {
  client: (google) => google.docs(),
  rootUrl: (config) => serviceRoot(config.apiUrl, 'docs'),
};

/** Transfers use the signed-in client itself, against the Drive root. */
const TRANSFER: Api<AuthClient> = { client: (google) => google.auth(), rootUrl: DRIVE.rootUrl };

/**
 * Runs `request` against Drive for this call through the kit's {@link callUpstream}
 * (cancellation, the deadline, the body cap). When Google refuses the grant, a newer sign-in
 * saved by `auth` is adopted and the request tried once more; otherwise the failure becomes an
 * actionable `ToolError`. The deadline is the call's one deadline unless a transfer brings its own.
 */
async function guarded<T, C>(
  ctx: GdriveContext,
  about: Subject,
  api: Api<C>,
  request: (client: C, options: RequestOptions) => Promise<T>,
  deadline?: AbortSignal,
): Promise<T> {
  // Connecting an account may take the user a while: the call's deadline starts after it.
  const session = await ctx.sessions.of(ctx);
  const { google } = session;
  // Token renewals take no signal, so the wait is cut short by callUpstream rather than the client.
  const attempt = async (signal: AbortSignal): Promise<T> =>
    request(await api.client(google), { signal, rootUrl: api.rootUrl(ctx.config) });
  return callUpstream(
    {
      upstream: 'Google Drive',
      signal: ctx.signal,
      deadline: deadline ?? callDeadline(ctx.deadlines, ctx.signal, ctx.config.timeoutMs),
      timeoutMs: ctx.config.timeoutMs,
      timeoutAdvice: 'Try again, or ask for less.',
      oversizeAdvice: 'Ask for less: a smaller page, a narrower query.',
      toToolError: (error) =>
        toToolError(error, {
          ...about,
          serviceAccount: google.serviceAccount,
          granted: google.grantedScopes(),
          account: session.account,
        }),
    },
    async (signal) => {
      try {
        return await attempt(signal);
      } catch (error) {
        if (session.account) {
          // The caller's token is no good any more: their next call asks them to connect again.
          if (isTokenRejected(error)) await ctx.sessions.rejected(ctx);
          throw error;
        }
        if (isGrantRevoked(error) && (await google.reloadGrant())) return await attempt(signal);
        throw error;
      }
    },
  );
}

/**
 * One request of a transfer (a chunk of an upload, a streamed download) made with the signed-in
 * client itself. Transfers run as long as they need: `deadline` fires only when no bytes moved
 * for the timeout (see {@link idleDeadline}), not when the call as a whole grew long.
 */
export function transferRequest<T>(
  ctx: GdriveContext,
  about: Subject,
  deadline: AbortSignal,
  request: (auth: AuthClient, options: RequestOptions) => Promise<T>,
): Promise<T> {
  return guarded(ctx, about, TRANSFER, request, deadline);
}

/** A deadline that fires after `ms` without a {@link IdleDeadline.touch}: a stalled transfer. */
export interface IdleDeadline {
  readonly signal: AbortSignal;
  /** Bytes moved: the wait starts again. */
  touch(): void;
  dispose(): void;
}

export function idleDeadline(ms: number): IdleDeadline {
  const controller = new AbortController();
  let timer = setTimeout(() => controller.abort(), ms);
  return {
    signal: controller.signal,
    touch() {
      clearTimeout(timer);
      timer = setTimeout(() => controller.abort(), ms);
    },
    dispose: () => clearTimeout(timer),
  };
}

/** One Drive API request; returns the response body. */
export function call<T>(
  ctx: GdriveContext,
  about: Subject,
  request: (drive: Drive, options: RequestOptions) => Promise<{ data: T }>,
): Promise<T> {
  return callApi(ctx, DRIVE, about, request);
}

/** One request to `api` (Drive, Sheets or Docs); returns the response body. */
export async function callApi<T, C>(
  ctx: GdriveContext,
  api: Api<C>,
  about: Subject,
  request: (client: C, options: RequestOptions) => Promise<{ data: T }>,
): Promise<T> {
  const capped = async (client: C, options: RequestOptions): Promise<{ data: T }> => {
    try {
      return await request(client, { ...options, maxContentLength: DEFAULT_MAX_BODY_BYTES });
    } catch (error) {
      if (isOverSizeLimit(error))
        throw new BodyTooLargeError('Google Drive', DEFAULT_MAX_BODY_BYTES);
      throw error;
    }
  };
  return (await guarded(ctx, about, api, capped)).data;
}

export interface Download {
  readonly bytes: Buffer;
  /** True when the body ended within the cap. */
  readonly complete: boolean;
  /** The whole file's size when the server said (Content-Range of a ranged read). */
  readonly totalBytes: number | undefined;
  /** HTTP status: 206 for a ranged read. */
  readonly status: number;
}

/**
 * Which statuses a download takes as an answer rather than an error: success, and client errors
 * other than 401 (renewal and retry need that one thrown) and 429 (retried), so that their JSON
 * body can be read.
 */
function keepErrorBody(status: number): boolean {
  return status < 300 || (status >= 400 && status < 500 && status !== 401 && status !== 429);
}

const MAX_ERROR_BODY = 64 * 1024;

async function readAtMost(data: StreamResponse['data'], maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of data as AsyncIterable<Uint8Array>) {
    chunks.push(Buffer.from(chunk));
    length += chunk.byteLength;
    if (length >= maxBytes) break;
  }
  if ('destroy' in data) data.destroy();
  return Buffer.concat(chunks).subarray(0, maxBytes);
}

export interface StreamResponse {
  readonly data: Readable | ReadableStream<Uint8Array>;
  readonly status: number;
  readonly headers: unknown;
}

export function header(headers: unknown, name: string): string | undefined {
  if (typeof headers !== 'object' || headers === null) return undefined;
  // gaxios answers with a fetch Headers (not always this realm's class); older ones with a record.
  if (typeof (headers as Headers).get === 'function')
    return (headers as Headers).get(name) ?? undefined;
  const value = (headers as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}

/** A download's answer as {@link streamDownload} hands it over: status, headers, the body. */
export interface DownloadStream {
  readonly status: number;
  readonly headers: unknown;
  readonly body: AsyncIterable<Uint8Array>;
}

/**
 * Streams a download (alt=media or an export) into `consume`. When `consume` returns before the
 * end, the connection is dropped and the rest of the body never transferred. Error statuses
 * become the mapped `ToolError` from their (small) JSON body.
 */
export async function streamDownload<R>(
  ctx: GdriveContext,
  about: Subject,
  request: (drive: Drive, options: RequestOptions) => Promise<StreamResponse>,
  consume: (stream: DownloadStream) => Promise<R>,
  deadline?: AbortSignal,
): Promise<R> {
  return guarded(
    ctx,
    about,
    DRIVE,
    async (drive, options) => {
      // Aborted when done reading, so the rest of the body is never transferred.
      const stop = new AbortController();
      const response = await request(drive, {
        ...options,
        signal: AbortSignal.any([options.signal, stop.signal]),
        validateStatus: keepErrorBody,
      });
      try {
        if (response.status >= 400) {
          const body = await readAtMost(response.data, MAX_ERROR_BODY);
          throw new DownloadFailure(response.status, body.toString('utf8'), options.rootUrl);
        }
        return await consume({
          status: response.status,
          headers: response.headers,
          body: response.data as AsyncIterable<Uint8Array>,
        });
      } finally {
        stop.abort();
        if ('destroy' in response.data) response.data.destroy();
      }
    },
    deadline,
  );
}

/**
 * Streams a download and keeps at most `maxBytes` of it: the rest is never read, and the
 * connection is dropped, so a 4 GB video costs `maxBytes` of memory.
 */
export async function download(
  ctx: GdriveContext,
  about: Subject,
  request: (drive: Drive, options: RequestOptions) => Promise<StreamResponse>,
  maxBytes: number,
): Promise<Download> {
  return streamDownload(ctx, about, request, async (response) => {
    const chunks: Buffer[] = [];
    let length = 0;
    let complete = true;
    for await (const chunk of response.body) {
      const buffer = Buffer.from(chunk);
      chunks.push(buffer);
      length += buffer.byteLength;
      if (length > maxBytes) {
        complete = false;
        break;
      }
    }
    const range = /\/(\d+)\s*$/.exec(header(response.headers, 'content-range') ?? '');
    const bytes = Buffer.concat(chunks, length);
    return {
      bytes: complete ? bytes : bytes.subarray(0, maxBytes),
      complete,
      totalBytes: range === null ? undefined : Number(range[1]),
      status: response.status,
    };
  });
}
