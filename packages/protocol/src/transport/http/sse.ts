/**
 * @module
 * One Server-Sent Events response. Every event carries an id naming its stream, so a client can
 * resume with `Last-Event-ID`; the stream keeps the last few events for exactly that.
 */
import type { ServerResponse } from 'node:http';

export interface SseEvent {
  id: string;
  data: string;
}

const KEEP_ALIVE_MS = 15_000;

/** Writes SSE to one HTTP response: headers once, events, keep-alive comments, end. */
export class SseWriter {
  readonly #response: ServerResponse;
  readonly #keepAlive: ReturnType<typeof setInterval>;
  #ended = false;

  constructor(response: ServerResponse, headers: Record<string, string> = {}, retryMs?: number) {
    this.#response = response;
    response.writeHead(200, {
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
      ...headers,
    });
    if (retryMs !== undefined) response.write(`retry: ${retryMs}\n\n`);
    this.#keepAlive = setInterval(() => response.write(': keep-alive\n\n'), KEEP_ALIVE_MS);
    this.#keepAlive.unref();
    response.once('close', () => {
      this.#stop();
    });
  }

  get ended(): boolean {
    return this.#ended || this.#response.destroyed;
  }

  /** A priming event: an id and empty data, so a client that reconnects has something to resume from. */
  prime(id: string): void {
    if (!this.ended) this.#response.write(`id: ${id}\ndata: \n\n`);
  }

  write(event: SseEvent): void {
    if (this.ended) return;
    this.#response.write(`id: ${event.id}\nevent: message\ndata: ${event.data}\n\n`);
  }

  end(): void {
    if (this.#ended) return;
    this.#stop();
    this.#response.end();
  }

  #stop(): void {
    this.#ended = true;
    clearInterval(this.#keepAlive);
  }
}
