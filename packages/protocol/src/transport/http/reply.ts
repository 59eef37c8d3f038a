/**
 * @module
 * The answer to one POSTed request. It stays plain JSON when the response is ready before
 * anything else needs saying, and turns into an SSE stream the moment a notification or a
 * server-to-client request must go first. Events are numbered per stream so a dropped client can
 * resume. {@link Reply.response} settles as soon as the shape is known: the JSON answer, or the
 * stream that carries everything to come.
 */
import { randomBytes } from 'node:crypto';
import type { OutgoingMessage } from '../../jsonrpc/message.js';
import { ErrorCode } from '../../jsonrpc/error-code.js';
import { jsonAnswer, type Answer } from './answer.js';
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

function streamAnswer(writer: SseWriter): Answer {
  return { status: 200, headers: writer.headers, body: writer };
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
  /** Told every event written to the stream, for a shared history other instances resume from. */
  onEvent?: ((event: SseEvent, final: boolean) => void) | undefined;
}

export class Reply {
  readonly streamId = newStreamId();
  /** The HTTP answer: JSON when the final message came first, an SSE stream otherwise. */
  readonly response: Promise<Answer>;
  readonly #options: ReplyOptions;
  readonly #events: SseEvent[] = [];
  #respond!: (answer: Answer) => void;
  #sse: SseWriter | undefined;
  #seq = 0;
  #finished = false;

  constructor(options: ReplyOptions) {
    this.#options = options;
    this.response = new Promise((resolve) => {
      this.#respond = resolve;
    });
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
      this.#respond(jsonAnswer(status, JSON.stringify(message), headers));
      return;
    }
    if (this.#sse === undefined) {
      if (!accepts.sse) return; // The client cannot take a stream: intermediate messages are dropped.
      this.open();
    }
    const event = { id: `${this.streamId}.${++this.#seq}`, data: JSON.stringify(message) };
    this.#remember(event);
    this.#options.onEvent?.(event, final);
    this.#sse!.write(event);
    if (final) {
      this.#finished = true;
      this.#sse!.end();
    }
  }

  /** Starts the SSE stream now (a GET stream must answer before any message exists). */
  open(): void {
    if (this.#sse !== undefined) return;
    this.#sse = new SseWriter(this.#options.headers);
    if (this.#options.prime === true) this.#sse.prime(`${this.streamId}.0`);
    this.#respond(streamAnswer(this.#sse));
  }

  /** Resumes on a new connection: replays what came after `afterSeq`, then continues there. */
  resume(afterSeq: number): Answer {
    const writer = new SseWriter(this.#options.headers);
    for (const event of this.#events) {
      if (Number(event.id.slice(this.streamId.length + 1)) > afterSeq) writer.write(event);
    }
    if (this.#finished) writer.end();
    else this.#sse = writer;
    return streamAnswer(writer);
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
