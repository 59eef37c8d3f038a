/**
 * @module
 * The harness's own newline-delimited JSON-RPC client for a server's stdin/stdout. It is kept
 * deliberately thin so that its own cost stays small next to the server's: requests for the hot
 * loops are pre-formatted strings with only the id spliced in, several requests that become ready
 * in the same tick go out in one `write`, and a reply is timestamped when the chunk holding its
 * final newline arrives (before the client parses it).
 */
import type { Readable, Writable } from 'node:stream';
import { performance } from 'node:perf_hooks';

/** A JSON-RPC reply as the harness sees it. */
export interface Reply {
  id: number;
  /** `performance.now()` when the chunk that completed this reply arrived. */
  at: number;
  /** Size of the reply line in bytes. */
  bytes: number;
  result?: unknown;
  error?: { code: number; message: string };
}

/** A request the hot loops can format cheaply, many times. */
export interface RequestTemplate {
  method: string;
  params?: unknown;
}

interface Waiter {
  resolve(reply: Reply): void;
  reject(error: Error): void;
}

/** A reply counts as failed when it is a JSON-RPC error or a tool result with `isError: true`. */
export function replyFailure(reply: Reply): string | undefined {
  if (reply.error !== undefined)
    return `JSON-RPC error ${reply.error.code}: ${reply.error.message}`;
  const result = reply.result;
  if (
    typeof result === 'object' &&
    result !== null &&
    'isError' in result &&
    result.isError === true
  ) {
    const content =
      'content' in result && Array.isArray(result.content) ? (result.content as unknown[]) : [];
    const first: unknown = content[0];
    const text =
      typeof first === 'object' && first !== null && 'text' in first ? String(first.text) : '';
    return `tool error: ${text.slice(0, 300)}`;
  }
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Speaks JSON-RPC over a pair of streams (a child's stdin and stdout). */
export class StdioRpcClient {
  readonly #input: Writable;
  readonly #waiting = new Map<number, Waiter>();
  #partial: Buffer[] = [];
  #outbox: string[] = [];
  #nextId = 1;
  #closedError: Error | undefined;
  /** Notifications received (logging, progress, list_changed...). */
  notifications = 0;
  /** Lines on stdout that were not JSON-RPC: a server writing logs to stdout. */
  noiseLines = 0;
  /** Bytes of the last line that was not JSON-RPC, for the report. */
  lastNoise = '';

  constructor(input: Writable, output: Readable) {
    this.#input = input;
    input.on('error', () => {
      // EPIPE when the server exits first; the waiters learn it from the output side.
    });
    output.on('data', (chunk: Buffer) => {
      this.#onData(chunk);
    });
    output.on('close', () => {
      this.#fail(new Error('the server closed its stdout'));
    });
  }

  /** Sends a request; the promise settles with its reply. */
  request(method: string, params?: unknown): Promise<Reply> {
    const id = this.#nextId++;
    const promise = new Promise<Reply>((resolve, reject) => {
      this.#expect(id, { resolve, reject });
    });
    this.#write(
      JSON.stringify(
        params === undefined
          ? { jsonrpc: '2.0', id, method }
          : { jsonrpc: '2.0', id, method, params },
      ) + '\n',
    );
    return promise;
  }

  /** Sends a notification. */
  notify(method: string, params?: unknown): void {
    this.#write(
      JSON.stringify(
        params === undefined ? { jsonrpc: '2.0', method } : { jsonrpc: '2.0', method, params },
      ) + '\n',
    );
  }

  /**
   * Sends `count` requests one at a time and returns each one's latency in microseconds, from the
   * `write` to the arrival of its reply. Stops at the first failed reply and reports it.
   */
  async sequential(
    template: RequestTemplate,
    count: number,
  ): Promise<{ latenciesUs: number[]; failure?: string }> {
    const format = formatter(template);
    const latenciesUs: number[] = [];
    for (let i = 0; i < count; i++) {
      const id = this.#nextId++;
      const promise = new Promise<Reply>((resolve, reject) => {
        this.#expect(id, { resolve, reject });
      });
      const sentAt = performance.now();
      this.#input.write(format(id));
      const reply = await promise;
      const failure = replyFailure(reply);
      if (failure !== undefined) return { latenciesUs, failure };
      latenciesUs.push((reply.at - sentAt) * 1000);
    }
    return { latenciesUs };
  }

  /**
   * Sends `count` requests keeping `inFlight` outstanding, refilling the window as replies arrive
   * (replies that arrive in one chunk are answered with one write). Returns the wall time and the
   * number of failed replies.
   */
  pipelined(
    template: RequestTemplate,
    count: number,
    inFlight: number,
  ): Promise<{ elapsedMs: number; failures: number; firstFailure?: string }> {
    const format = formatter(template);
    return new Promise((resolve, reject) => {
      let sent = 0;
      let received = 0;
      let failures = 0;
      let firstFailure: string | undefined;
      const started = performance.now();
      const waiter: Waiter = {
        resolve: (reply) => {
          received++;
          const failure = replyFailure(reply);
          if (failure !== undefined) {
            failures++;
            firstFailure ??= failure;
          }
          if (sent < count) sendOne();
          if (received === count) {
            resolve({
              elapsedMs: performance.now() - started,
              failures,
              ...(firstFailure === undefined ? {} : { firstFailure }),
            });
          }
        },
        reject,
      };
      const sendOne = (): void => {
        const id = this.#nextId++;
        sent++;
        this.#expect(id, waiter);
        this.#outbox.push(format(id));
      };
      while (sent < Math.min(inFlight, count)) sendOne();
      this.#flush();
    });
  }

  /** Rejects every outstanding request, e.g. when the server died. */
  #fail(error: Error): void {
    this.#closedError ??= error;
    const waiters = [...this.#waiting.values()];
    this.#waiting.clear();
    for (const waiter of waiters) waiter.reject(error);
  }

  #expect(id: number, waiter: Waiter): void {
    if (this.#closedError !== undefined) {
      waiter.reject(this.#closedError);
      return;
    }
    this.#waiting.set(id, waiter);
  }

  #write(text: string): void {
    this.#outbox.push(text);
    this.#flush();
  }

  #flush(): void {
    if (this.#outbox.length === 0) return;
    const text = this.#outbox.length === 1 ? (this.#outbox[0] ?? '') : this.#outbox.join('');
    this.#outbox = [];
    if (!this.#input.writableEnded && !this.#input.destroyed) this.#input.write(text);
  }

  #onData(chunk: Buffer): void {
    const at = performance.now();
    let start = 0;
    let newline = chunk.indexOf(10, start);
    while (newline !== -1) {
      let line: Buffer;
      if (this.#partial.length > 0) {
        this.#partial.push(chunk.subarray(start, newline));
        line = Buffer.concat(this.#partial);
        this.#partial = [];
      } else {
        line = chunk.subarray(start, newline);
      }
      this.#onLine(line, at);
      start = newline + 1;
      newline = chunk.indexOf(10, start);
    }
    if (start < chunk.length) this.#partial.push(chunk.subarray(start));
    this.#flush();
  }

  #onLine(line: Buffer, at: number): void {
    if (line.length === 0 || (line.length === 1 && line[0] === 13)) return;
    const text = line.toString('utf8');
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      this.noiseLines++;
      this.lastNoise = text.slice(0, 200);
      return;
    }
    if (!isRecord(message)) {
      this.noiseLines++;
      return;
    }
    const id = message.id;
    if ('method' in message) {
      if (id === undefined) {
        this.notifications++;
      } else {
        // A request from the server (roots/list, sampling...): the harness offers no such capability.
        this.#outbox.push(
          JSON.stringify({
            jsonrpc: '2.0',
            id,
            error: { code: -32601, message: 'Method not found' },
          }) + '\n',
        );
      }
      return;
    }
    if (typeof id !== 'number') return;
    const waiter = this.#waiting.get(id);
    if (waiter === undefined) return;
    this.#waiting.delete(id);
    const reply: Reply = { id, at, bytes: line.length };
    if ('result' in message) reply.result = message.result;
    if (isRecord(message.error)) {
      reply.error = { code: Number(message.error.code), message: String(message.error.message) };
    }
    waiter.resolve(reply);
  }
}

/** Pre-formats a request so that only the id changes per call. */
function formatter(template: RequestTemplate): (id: number) => string {
  const head = '{"jsonrpc":"2.0","id":';
  const tail = `,"method":${JSON.stringify(template.method)}${template.params === undefined ? '' : `,"params":${JSON.stringify(template.params)}`}}\n`;
  return (id) => head + String(id) + tail;
}
