/**
 * @module
 * The answer to one POSTed request. It stays plain JSON when the response is ready before
 * anything else needs saying, and turns into an SSE stream the moment a notification or a
 * server-to-client request must go first. Events are numbered per stream so a dropped client can
 * resume.
 */
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { OutgoingMessage } from '../../jsonrpc/message.js';
import { ErrorCode } from '../../jsonrpc/error-code.js';
import type { Accepts } from './request.js';
import { SseWriter, type SseEvent } from './sse.js';

/** 2026-07-28 pins HTTP statuses for a few JSON-RPC errors (mcp-spec 4.2.2). */
export function modernStatus(code: number): number {
  switch (code) {
    case ErrorCode.MethodNotFound:
      return 404;
    case ErrorCode.HeaderMismatch:
    case ErrorCode.MissingRequiredClientCapability:
    case ErrorCode.UnsupportedProtocolVersion:
    case ErrorCode.ParseError:
    case ErrorCode.InvalidRequest:
      return 400;
    default:
      return 200;
  }
}

export function newStreamId(): string {
  return randomBytes(9).toString('base64url');
}

export interface ReplyOptions {
  accepts: Accepts;
  headers?: Record<string, string>;
  /** Map a final error's code to an HTTP status (2026-07-28); 200 otherwise. */
  statusFor?: (code: number) => number;
  /** Keep events for resumption (handshake-era sessions). */
  replayLimit?: number;
  /** Send a priming event when the stream opens (2025-11-25, SEP-1699). */
  prime?: boolean;
}

export class Reply {
  readonly streamId = newStreamId();
  readonly #response: ServerResponse;
  readonly #options: ReplyOptions;
  readonly #events: SseEvent[] = [];
  #sse: SseWriter | undefined;
  #seq = 0;
  #finished = false;

  constructor(response: ServerResponse, options: ReplyOptions) {
    this.#response = response;
    this.#options = options;
  }

  get finished(): boolean {
    return this.#finished;
  }

  /** Sends one message; `final` ends the exchange (the response to the POSTed request or batch). */
  deliver(message: OutgoingMessage, final: boolean): void {
    if (this.#finished) return;
    const { accepts, headers = {} } = this.#options;
    if (final && this.#sse === undefined && accepts.json) {
      this.#finished = true;
      const status =
        !Array.isArray(message) && 'error' in message && this.#options.statusFor !== undefined
          ? this.#options.statusFor(message.error.code)
          : 200;
      this.#response.writeHead(status, { 'Content-Type': 'application/json', ...headers });
      this.#response.end(JSON.stringify(message));
      return;
    }
    if (this.#sse === undefined) {
      if (!accepts.sse) return; // The client cannot take a stream: intermediate messages are dropped.
      this.open();
    }
    const event = { id: `${this.streamId}.${++this.#seq}`, data: JSON.stringify(message) };
    this.#remember(event);
    this.#sse!.write(event);
    if (final) {
      this.#finished = true;
      this.#sse!.end();
    }
  }

  /** Starts the SSE stream now (a GET stream must answer before any message exists). */
  open(): void {
    if (this.#sse !== undefined) return;
    this.#sse = new SseWriter(this.#response, this.#options.headers);
    if (this.#options.prime === true) this.#sse.prime(`${this.streamId}.0`);
  }

  /** Resumes on a new connection: replays what came after `afterSeq`, then continues there. */
  resume(response: ServerResponse, afterSeq: number): void {
    const writer = new SseWriter(response, this.#options.headers);
    for (const event of this.#events) {
      if (Number(event.id.slice(this.streamId.length + 1)) > afterSeq) writer.write(event);
    }
    if (this.#finished) {
      writer.end();
      return;
    }
    this.#sse = writer;
  }

  get connected(): boolean {
    return this.#sse !== undefined && !this.#sse.ended;
  }

  #remember(event: SseEvent): void {
    const limit = this.#options.replayLimit ?? 0;
    if (limit === 0) return;
    this.#events.push(event);
    if (this.#events.length > limit) this.#events.shift();
  }
}
