/**
 * @module
 * The Slack Web API client. `@slack/web-api` is imported on the first request, never at start-up.
 * Each request gets a `WebClient` bound to the tool call's AbortSignal (through the client's
 * `fetch` option), so cancelling a call aborts its HTTP request, and every answer is read under
 * the kit's byte cap (file downloads under their own, smaller one). The library's default retry
 * policy can wait for half an hour; here server errors are retried twice within seconds, 429s are
 * rejected by the library (`rejectRateLimitedCalls`) and waited out here only when Slack's
 * Retry-After is short, at most twice, and the wait itself stops when the call is cancelled.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { capBody, DEFAULT_MAX_BODY_BYTES } from '@plugboard/kit/upstream';
import type { Logger } from '@plugboard/protocol';
import type * as SlackWebApi from '@slack/web-api';
import type { WebClient, WebClientOptions } from '@slack/web-api';
import type { SlackConfig } from './config.js';

/** Which of the operator's tokens a request uses. */
export type TokenKind = 'bot' | 'user';

export interface SlackClient {
  /**
   * Runs one Web API request with a client bound to `signal`. `request` should make exactly one
   * API call: it runs again after a rate-limit wait.
   */
  request<T>(
    kind: TokenKind,
    signal: AbortSignal,
    request: (web: WebClient) => Promise<T>,
  ): Promise<T>;
  /**
   * Downloads a private file URL with the bot token, reading at most `maxBytes` of it. The URL
   * must be on Slack (or on the configured API host): the token is never sent anywhere else.
   */
  download(url: string, signal: AbortSignal, maxBytes: number): Promise<Download>;
  /**
   * Sends a file's bytes to the upload URL files.getUploadURLExternal returned. The URL must be
   * on Slack (or the configured API host); it is pre-signed, so no token goes with it.
   */
  upload(url: string, bytes: Uint8Array, signal: AbortSignal): Promise<void>;
}

export interface Download {
  readonly bytes: Uint8Array;
  /** True when the body ended within `maxBytes`. */
  readonly complete: boolean;
  readonly contentType: string;
}

/** Why a download failed, in words for the model; never carries the URL's query or the token. */
export class DownloadError extends Error {
  override readonly name = 'DownloadError';
}

/** Hosts private file URLs may point at: Slack's own, or the configured API's origin. */
export function isSlackFileUrl(raw: string, apiUrl: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.username !== '' || url.password !== '') return false;
  if (url.origin === new URL(apiUrl).origin) return true;
  return (
    url.protocol === 'https:' &&
    (url.hostname === 'slack.com' ||
      url.hostname.endsWith('.slack.com') ||
      url.hostname.endsWith('.slack-gov.com'))
  );
}

async function readAtMost(
  body: ReadableStream<Uint8Array> | null,
  maxBytes: number,
): Promise<{ bytes: Uint8Array; complete: boolean }> {
  if (body === null) return { bytes: new Uint8Array(), complete: true };
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { bytes: concat(chunks, length), complete: true };
      chunks.push(value);
      length += value.byteLength;
      if (length > maxBytes)
        return { bytes: concat(chunks, length).slice(0, maxBytes), complete: false };
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

function concat(chunks: readonly Uint8Array[], length: number): Uint8Array {
  const out = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

export interface SlackClientOptions {
  readonly logger: Logger;
  /** The underlying fetch (tests may wrap it); defaults to the global one. */
  readonly fetch?: typeof fetch;
  /** Unit of the waits between retries after server errors; tests shorten it. */
  readonly retryBaseMs?: number;
  /** Most bytes one Web API answer may have (default the kit's {@link DEFAULT_MAX_BODY_BYTES}). */
  readonly maxBodyBytes?: number;
}

/** Rate-limit waits one call sits through before it reports the limit. */
export const MAX_RATE_LIMIT_RETRIES = 2;

type WebApi = typeof SlackWebApi;

/** Seconds Slack asked to wait, when `error` is the library's rate-limit rejection. */
export function retryAfterSeconds(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, retryAfter } = error as { code?: unknown; retryAfter?: unknown };
  return code === 'slack_webapi_rate_limited_error' && typeof retryAfter === 'number'
    ? retryAfter
    : undefined;
}

/** The library's log lines, minus its debug output (which includes request bodies). */
function libraryLogger(api: WebApi, logger: Logger): NonNullable<WebClientOptions['logger']> {
  const line = (parts: unknown[]): string =>
    parts.map((part) => (typeof part === 'string' ? part : String(part))).join(' ');
  return {
    debug: () => undefined,
    info: (...parts: unknown[]) => logger.debug(`slack: ${line(parts)}`),
    warn: (...parts: unknown[]) => logger.warn(`slack: ${line(parts)}`),
    error: (...parts: unknown[]) => logger.warn(`slack: ${line(parts)}`),
    setLevel: () => undefined,
    getLevel: () => api.LogLevel.INFO,
    setName: () => undefined,
  };
}

export function createSlackClient(config: SlackConfig, options: SlackClientOptions): SlackClient {
  const { logger } = options;
  const baseFetch = options.fetch ?? fetch;
  const retryBaseMs = options.retryBaseMs ?? 500;
  const cap = { upstream: 'Slack', maxBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES };
  let loading: Promise<WebApi> | undefined;
  const load = (): Promise<WebApi> => {
    loading ??= import('@slack/web-api').catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    return loading;
  };
  const token = (kind: TokenKind): string | undefined =>
    kind === 'user' ? config.userToken : (config.botToken ?? config.userToken);

  const client = (api: WebApi, kind: TokenKind, signal: AbortSignal): WebClient => {
    const boundFetch = async (url: string | URL, init?: RequestInit): Promise<Response> =>
      capBody(
        await baseFetch(url, {
          ...init,
          signal: init?.signal == null ? signal : AbortSignal.any([init.signal, signal]),
        }),
        cap,
        signal,
      );
    return new api.WebClient(token(kind), {
      slackApiUrl: config.apiUrl,
      logger: libraryLogger(api, logger),
      // Server errors and dropped connections: two more tries, 0.5 s then 1 s apart.
      retryConfig: {
        retries: 2,
        factor: 2,
        minTimeout: retryBaseMs,
        maxTimeout: retryBaseMs * 4,
        randomize: false,
      },
      rejectRateLimitedCalls: true,
      timeout: config.timeoutMs,
      allowAbsoluteUrls: false,
      fetch: boundFetch as unknown as NonNullable<WebClientOptions['fetch']>,
    });
  };

  return {
    async download(url, signal, maxBytes) {
      if (!isSlackFileUrl(url, config.apiUrl))
        throw new DownloadError(
          'the file is hosted outside Slack, so the token is not sent there; open its permalink instead',
        );
      const secret = token('bot');
      const response = await baseFetch(url, {
        headers: secret === undefined ? {} : { authorization: `Bearer ${secret}` },
        redirect: 'manual',
        signal,
      });
      if (response.status >= 300 && response.status < 400) {
        await response.body?.cancel();
        throw new DownloadError(
          'Slack redirected the download (usually to a sign-in page): the token may lack the files:read scope',
        );
      }
      if (response.status !== 200) {
        await response.body?.cancel();
        throw new DownloadError(`Slack answered the download with HTTP ${response.status}`);
      }
      const { bytes, complete } = await readAtMost(response.body, maxBytes);
      return { bytes, complete, contentType: response.headers.get('content-type') ?? '' };
    },
    async upload(url, bytes, signal) {
      if (!isSlackFileUrl(url, config.apiUrl))
        throw new DownloadError('Slack gave an upload address outside Slack; nothing was sent');
      const response = await baseFetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream' },
        body: bytes,
        redirect: 'manual',
        signal,
      });
      await response.body?.cancel();
      if (response.status !== 200)
        throw new DownloadError(`Slack answered the upload with HTTP ${response.status}`);
    },
    async request(kind, signal, request) {
      const api = await load();
      const web = client(api, kind, signal);
      for (let attempt = 0; ; attempt++) {
        try {
          return await request(web);
        } catch (error) {
          const wait = retryAfterSeconds(error);
          if (
            wait === undefined ||
            attempt >= MAX_RATE_LIMIT_RETRIES ||
            wait * 1000 > config.rateLimitWaitMs ||
            signal.aborted
          )
            throw error;
          logger.warn('Slack rate limit; waiting before one more try', {
            retryAfterSeconds: wait,
          });
          await sleep(wait * 1000, undefined, { signal });
        }
      }
    },
  };
}
