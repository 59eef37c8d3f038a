/**
 * @module
 * What every Drive tool and resource can reach: the operator's configuration and the lazily
 * built Google client, plus {@link call} and {@link download}, the only ways a handler talks to
 * Drive (cancellation, one deadline per tool call, recovery from a re-run `auth`, and error
 * mapping included).
 */
import type { Readable } from 'node:stream';
import { BodyTooLargeError, callUpstream, DEFAULT_MAX_BODY_BYTES } from '@plugboard/kit/upstream';
import type { RequestContext } from '@plugboard/protocol';
import { callDeadline, toolFactory } from '@plugboard/protocol';
import type { GdriveConfig } from './config.js';
import type { ContentCache } from './content/cache.js';
import type { Converted } from './content/read.js';
import { DownloadFailure, isGrantRevoked, isOverSizeLimit, toToolError } from './errors.js';
import type { Drive, GoogleClient } from './google.js';

export interface GdriveDeps {
  readonly config: GdriveConfig;
  readonly google: GoogleClient;
  /** The deadline of each running call, keyed by the call's own signal. */
  readonly deadlines: WeakMap<AbortSignal, AbortSignal>;
  /** Converted documents, so paging through one converts it once. */
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
}

/**
 * Runs `request` against Drive for this call through the kit's {@link callUpstream}
 * (cancellation, the call's one deadline, the body cap). When Google refuses the grant, a newer
 * sign-in saved by `auth` is adopted and the request tried once more; otherwise the failure
 * becomes an actionable `ToolError`.
 */
async function guarded<T>(
  ctx: GdriveContext,
  about: Subject,
  request: (drive: Drive, options: RequestOptions) => Promise<T>,
): Promise<T> {
  // Token renewals take no signal, so the wait is cut short by callUpstream rather than the client.
  const attempt = async (signal: AbortSignal): Promise<T> =>
    request(await ctx.google.drive(), { signal, rootUrl: ctx.config.apiUrl });
  return callUpstream(
    {
      upstream: 'Google Drive',
      signal: ctx.signal,
      deadline: callDeadline(ctx.deadlines, ctx.signal, ctx.config.timeoutMs),
      timeoutMs: ctx.config.timeoutMs,
      timeoutAdvice: 'Try again, or ask for less.',
      oversizeAdvice: 'Ask for less: a smaller page, a narrower query.',
      toToolError: (error) =>
        toToolError(error, { ...about, serviceAccount: ctx.google.serviceAccount }),
    },
    async (signal) => {
      try {
        return await attempt(signal);
      } catch (error) {
        if (isGrantRevoked(error) && (await ctx.google.reloadGrant())) return await attempt(signal);
        throw error;
      }
    },
  );
}

/** One Drive API request; returns the response body. */
export async function call<T>(
  ctx: GdriveContext,
  about: Subject,
  request: (drive: Drive, options: RequestOptions) => Promise<{ data: T }>,
): Promise<T> {
  const capped = async (drive: Drive, options: RequestOptions): Promise<{ data: T }> => {
    try {
      return await request(drive, { ...options, maxContentLength: DEFAULT_MAX_BODY_BYTES });
    } catch (error) {
      if (isOverSizeLimit(error))
        throw new BodyTooLargeError('Google Drive', DEFAULT_MAX_BODY_BYTES);
      throw error;
    }
  };
  return (await guarded(ctx, about, capped)).data;
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

interface StreamResponse {
  readonly data: Readable | ReadableStream<Uint8Array>;
  readonly status: number;
  readonly headers: unknown;
}

function header(headers: unknown, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  if (typeof headers !== 'object' || headers === null) return undefined;
  const value = (headers as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}

/**
 * Streams a download (alt=media or an export) and keeps at most `maxBytes` of it: the rest is
 * never read, and the connection is dropped, so a 4 GB video costs `maxBytes` of memory.
 */
export async function download(
  ctx: GdriveContext,
  about: Subject,
  request: (drive: Drive, options: RequestOptions) => Promise<StreamResponse>,
  maxBytes: number,
): Promise<Download> {
  return guarded(ctx, about, async (drive, options) => {
    // Aborted once enough is read, so the rest of the body is never transferred.
    const stop = new AbortController();
    const response = await request(drive, {
      ...options,
      signal: AbortSignal.any([options.signal, stop.signal]),
      validateStatus: keepErrorBody,
    });
    if (response.status >= 400) {
      const body = await readAtMost(response.data, MAX_ERROR_BODY);
      stop.abort();
      throw new DownloadFailure(response.status, body.toString('utf8'), options.rootUrl);
    }
    const chunks: Buffer[] = [];
    let length = 0;
    let complete = true;
    try {
      for await (const chunk of response.data as AsyncIterable<Uint8Array>) {
        const buffer = Buffer.from(chunk);
        chunks.push(buffer);
        length += buffer.byteLength;
        if (length > maxBytes) {
          complete = false;
          break;
        }
      }
    } finally {
      if (!complete) {
        stop.abort();
        if ('destroy' in response.data) response.data.destroy();
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
