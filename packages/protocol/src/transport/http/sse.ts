/**
 * @module
 * One Server-Sent Events stream. Every event carries an id naming its stream, so a client can
 * resume with `Last-Event-ID`. The writer exists before anything carries it (the first events
 * may be written before the answer is out), so it keeps text until an adapter attaches a sink,
 * then hands each event over as one string: no per-event stream or encoder of its own.
 */

export interface SseEvent {
  id: string;
  data: string;
}

/** Where an adapter sends the stream: the socket (`node.ts`) or a `ReadableStream` (`web.ts`). */
export interface SseSink {
  write(text: string): void;
  end(): void;
}

const KEEP_ALIVE_MS = 15_000;

const SSE_HEADERS = {
  'Content-Type': 'text/event-stream',
  'Cache-Control': 'no-cache, no-transform',
  Connection: 'keep-alive',
  'X-Accel-Buffering': 'no',
} as const;

/**
 * Writes SSE: events, keep-alive comments, end. The stream ends when the server ends it or when
 * the client goes away (the adapter calls {@link SseWriter.cancel}).
 */
export class SseWriter {
  readonly headers: Record<string, string>;
  #sink: SseSink | undefined;
  #pending: string[] = [];
  #keepAlive: ReturnType<typeof setInterval> | undefined;
  /** No more text goes out: ended by the server or cancelled by the client. */
  #ended = false;
  /** Ended by the server before any sink was attached: the sink is ended on attach. */
  #endPending = false;
  #onEnded: (() => void) | undefined;

  constructor(headers: Record<string, string> = {}) {
    this.headers = { ...SSE_HEADERS, ...headers };
    this.#keepAlive = setInterval(() => {
      this.#send(': keep-alive\n\n');
    }, KEEP_ALIVE_MS);
    this.#keepAlive.unref?.();
  }

  get ended(): boolean {
    return this.#ended;
  }

  /** Calls `listener` once, when the stream ends (either way). */
  onEnded(listener: () => void): void {
    if (this.#ended) listener();
    else this.#onEnded = listener;
  }

  /** Starts carrying the stream: what was written so far goes first. Once only. */
  attach(sink: SseSink): void {
    if (this.#sink !== undefined) throw new Error('This SSE stream is already attached');
    this.#sink = sink;
    if (this.#pending.length > 0) sink.write(this.#pending.join(''));
    this.#pending = [];
    if (this.#endPending) sink.end();
  }

  /** The client went away: nothing more is written, and the keep-alive stops. */
  cancel(): void {
    this.#stop();
    this.#pending = [];
    this.#endPending = false;
  }

  /** A priming event: an id and empty data, so a client that reconnects has something to resume from. */
  prime(id: string): void {
    this.#send(`id: ${id}\ndata: \n\n`);
  }

  write(event: SseEvent): void {
    this.#send(`id: ${event.id}\nevent: message\ndata: ${event.data}\n\n`);
  }

  end(): void {
    if (this.#ended) return;
    this.#stop();
    if (this.#sink === undefined) this.#endPending = true;
    else this.#sink.end();
  }

  #send(text: string): void {
    if (this.#ended) return;
    if (this.#sink === undefined) this.#pending.push(text);
    else this.#sink.write(text);
  }

  #stop(): void {
    if (this.#ended) return;
    this.#ended = true;
    clearInterval(this.#keepAlive);
    const listener = this.#onEnded;
    this.#onEnded = undefined;
    listener?.();
  }
}
