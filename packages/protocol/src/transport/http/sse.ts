/**
 * @module
 * One Server-Sent Events response. Every event carries an id naming its stream, so a client can
 * resume with `Last-Event-ID`; the stream keeps the last few events for exactly that.
 */

export interface SseEvent {
  id: string;
  data: string;
}

const KEEP_ALIVE_MS = 15_000;

/** Stateless, so one encoder serves every stream. */
const UTF8 = new TextEncoder();

const SSE_HEADERS = {
  'Content-Type': 'text/event-stream',
  'Cache-Control': 'no-cache, no-transform',
  Connection: 'keep-alive',
  'X-Accel-Buffering': 'no',
} as const;

/**
 * Writes SSE into one `Response` body: events, keep-alive comments, end. The stream ends when
 * the server ends it or when the client goes away (the body is cancelled).
 */
export class SseWriter {
  readonly response: Response;
  #controller!: ReadableStreamDefaultController<Uint8Array>;
  #keepAlive: ReturnType<typeof setInterval> | undefined;
  #ended = false;

  constructor(headers: Record<string, string> = {}) {
    const body = new ReadableStream<Uint8Array>({
      start: (controller) => {
        this.#controller = controller;
      },
      cancel: () => {
        this.#stop();
      },
    });
    this.response = new Response(body, { status: 200, headers: { ...SSE_HEADERS, ...headers } });
    this.#keepAlive = setInterval(() => {
      this.#send(': keep-alive\n\n');
    }, KEEP_ALIVE_MS);
    this.#keepAlive.unref?.();
  }

  get ended(): boolean {
    return this.#ended;
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
    this.#controller.close();
  }

  #send(text: string): void {
    if (!this.#ended) this.#controller.enqueue(UTF8.encode(text));
  }

  #stop(): void {
    this.#ended = true;
    clearInterval(this.#keepAlive);
  }
}
