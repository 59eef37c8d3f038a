/**
 * @module
 * The stdio transport: one JSON-RPC message per line on stdin and stdout. stdout carries
 * protocol messages only: {@link serveStdio} reroutes every other write to it (a stray
 * `console.log`, a chatty dependency) to stderr before the server is loaded.
 */
import type { Readable, Writable } from 'node:stream';
import type { OutgoingMessage, RequestId } from '../jsonrpc/message.js';
import type { Transport } from '../jsonrpc/transport.js';
import { LocalError, LocalErrorCode } from '../jsonrpc/errors.js';
import { nullLogger, type Logger } from '../log.js';
import type { McpServer } from '../mcp/server.js';
import { LineReader } from './line-reader.js';
import { peekRequestId } from '../jsonrpc/peek-id.js';

/** Lines longer than this are dropped with a parse error; the stream resynchronises at the next newline. */
export const DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024;
/** How a server started from the command line raises the line limit. */
export const RAISE_LINE_LIMIT =
  'Start the server with --max-line-bytes N (or MCP_MAX_LINE_BYTES=N) to raise it.';
/** Decodes the kept ends of an oversized line, whose cut may split a character. */
const utf8Lossy = new TextDecoder('utf-8');
/** Output the client has not read yet; past this the client is treated as gone. */
export const DEFAULT_MAX_QUEUED_BYTES = 256 * 1024 * 1024;

export interface StdioTransportOptions {
  stdin?: Readable;
  stdout?: Writable;
  /** Writes a string to stdout; defaults to `stdout.write`. {@link serveStdio} passes the unpatched one. */
  write?: (text: string) => boolean;
  maxLineBytes?: number;
  /** Says how to raise the line limit, in the error an oversized message gets. */
  raiseLimit?: string;
  maxQueuedBytes?: number;
  logger?: Logger;
}

export class StdioServerTransport implements Transport {
  readonly #stdin: Readable;
  readonly #stdout: Writable;
  readonly #write: (text: string) => boolean;
  readonly #reader: LineReader;
  readonly #maxLineBytes: number;
  readonly #raiseLimit: string;
  readonly #maxQueuedBytes: number;
  readonly #logger: Logger;
  readonly #decoder = new TextDecoder('utf-8', { fatal: true });
  #drain: Promise<void> | undefined;
  #queue: string[] = [];
  #batch: Promise<void> | undefined;
  #ended = false;
  #closed = false;
  onmessage?: (value: unknown) => void;
  onparseerror?: (detail: string, id?: RequestId) => void;
  onclose?: () => void;
  onend?: () => void;
  onerror?: (error: Error) => void;

  constructor(options: StdioTransportOptions = {}) {
    this.#stdin = options.stdin ?? process.stdin;
    this.#stdout = options.stdout ?? process.stdout;
    const stdout = this.#stdout;
    this.#write = options.write ?? ((text) => stdout.write(text));
    this.#maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    this.#reader = new LineReader(this.#maxLineBytes);
    this.#raiseLimit = options.raiseLimit ?? RAISE_LINE_LIMIT;
    this.#maxQueuedBytes = options.maxQueuedBytes ?? DEFAULT_MAX_QUEUED_BYTES;
    this.#logger = options.logger ?? nullLogger;
  }

  readonly #onData = (chunk: Buffer | string): void => {
    const bytes = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk;
    for (const event of this.#reader.push(bytes)) {
      if (this.#closed) return;
      if (event.kind === 'overflow') {
        const id = peekRequestId(utf8Lossy.decode(event.head), utf8Lossy.decode(event.tail));
        this.onparseerror?.(
          `message of ${event.bytes} bytes is larger than the ${this.#maxLineBytes}-byte line limit; it was dropped. ${this.#raiseLimit}`,
          id,
        );
      } else {
        this.#onLine(event.bytes);
      }
    }
  };

  readonly #onEnd = (): void => {
    if (this.#ended || this.#closed) return;
    this.#ended = true;
    if (this.#reader.pending > 0)
      this.#logger.debug('stdin ended inside a message; the partial line was dropped');
    this.#stopReading();
    // stdout may still be read: answers to requests already received can go out.
    if (this.onend === undefined) void this.close();
    else this.onend();
  };

  readonly #onError = (error: Error): void => {
    // EPIPE and friends: the client is gone. Report once and close; never log-and-retry in a loop.
    if (this.#closed) return;
    this.onerror?.(error);
    void this.close();
  };

  #onLine(bytes: Uint8Array): void {
    // Native decoding is fast but replaces bad bytes with U+FFFD; only then is the strict
    // decoder consulted, so invalid UTF-8 is refused without slowing every line down.
    const buffer = Buffer.isBuffer(bytes)
      ? bytes
      : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let text = buffer.toString('utf8');
    if (text.includes('\uFFFD')) {
      try {
        this.#decoder.decode(bytes);
      } catch {
        this.onparseerror?.('message is not valid UTF-8');
        return;
      }
    }
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (text.endsWith('\r')) text = text.slice(0, -1);
    if (text.length === 0 || (text.charCodeAt(0) <= 32 && text.trim() === '')) return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      this.onparseerror?.('message is not valid JSON');
      return;
    }
    this.onmessage?.(value);
  }

  start(): Promise<void> {
    this.#stdin.on('data', this.#onData);
    this.#stdin.on('end', this.#onEnd);
    this.#stdin.on('close', this.#onEnd);
    this.#stdin.on('error', this.#onError);
    this.#stdout.on('error', this.#onError);
    this.#stdin.resume();
    return Promise.resolve();
  }

  /**
   * Queues a message. Everything sent during one turn of the event loop goes out in a single
   * write: per-message writes cost more in syscalls and garbage than the work they carry. The
   * promise settles when the batch is handed to stdout, or after `drain` when the pipe is full.
   */
  send(message: OutgoingMessage): Promise<void> {
    if (this.#closed) {
      return Promise.reject(
        new LocalError(LocalErrorCode.ConnectionClosed, 'stdio transport is closed'),
      );
    }
    this.#queue.push(JSON.stringify(message));
    if (this.#batch === undefined) {
      this.#batch = new Promise<void>((resolve) => {
        setImmediate(() => {
          resolve(this.#flush());
        });
      });
    }
    return this.#batch;
  }

  async #flush(): Promise<void> {
    this.#batch = undefined;
    if (this.#queue.length === 0) return;
    const text = `${this.#queue.join('\n')}\n`;
    this.#queue = [];
    if (this.#drain !== undefined && this.#stdout.writableLength > this.#maxQueuedBytes) {
      this.#logger.warn('client stopped reading stdout; closing', {
        queuedBytes: this.#stdout.writableLength,
      });
      await this.close();
      return;
    }
    if (!this.#write(text)) {
      this.#drain ??= new Promise<void>((resolve) => {
        const done = (): void => {
          this.#stdout.off('drain', done);
          this.#stdout.off('close', done);
          this.#drain = undefined;
          resolve();
        };
        this.#stdout.on('drain', done);
        this.#stdout.on('close', done);
      });
      await this.#drain;
    }
  }

  close(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    // Answers already produced still go out: the client may be waiting for them.
    if (this.#queue.length > 0) {
      this.#write(`${this.#queue.join('\n')}\n`);
      this.#queue = [];
    }
    this.#closed = true;
    this.#stopReading();
    this.onclose?.();
    return Promise.resolve();
  }

  #stopReading(): void {
    this.#stdin.off('data', this.#onData);
    this.#stdin.off('end', this.#onEnd);
    this.#stdin.off('close', this.#onEnd);
    this.#stdin.pause();
  }
}

/**
 * Keeps stdout for protocol messages: everything else that writes to `process.stdout` goes to
 * stderr from now on. Returns the original writer for the transport.
 */
export function protectStdout(): (text: string) => boolean {
  const stdout = process.stdout;
  // Bind before patching: a closure that calls `stdout.write` later would reach the patched
  // writer and send every protocol message to stderr.
  const writeToStdout = stdout.write.bind(stdout);
  const original = (text: string): boolean => writeToStdout(text);
  const toStderr = process.stderr.write.bind(process.stderr);
  stdout.write = ((...args: Parameters<typeof toStderr>) =>
    toStderr(...args)) as typeof stdout.write;
  return original;
}

export interface ServeStdioOptions {
  logger?: Logger;
  maxLineBytes?: number;
  /** The real stdout writer, if {@link protectStdout} already ran. */
  write?: (text: string) => boolean;
}

/** Serves `server` on this process's stdin/stdout; resolves when the client goes away. */
export async function serveStdio(
  server: McpServer<never> | McpServer,
  options: ServeStdioOptions = {},
): Promise<void> {
  const write = options.write ?? protectStdout();
  const transportOptions: StdioTransportOptions = { write };
  if (options.logger !== undefined) transportOptions.logger = options.logger;
  if (options.maxLineBytes !== undefined) transportOptions.maxLineBytes = options.maxLineBytes;
  const connection = await (server as McpServer).connect(
    new StdioServerTransport(transportOptions),
  );
  await connection.closed;
}
