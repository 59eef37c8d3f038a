/**
 * @module
 * A stream that `pg` takes for a socket and that ends in the embedded engine. It answers the
 * start-up exchange itself (PGlite has a single session and no authentication), turns a cancel
 * request into an engine interrupt, and carries every other message to PGlite unchanged. A
 * connection that ends rolls back whatever transaction it left open before the next one gets the
 * session, so the session never sits idle in a transaction between calls; each connection then
 * starts from a clean session: `DISCARD ALL` drops session state, and the connection's start-up
 * parameters are applied as settings. A statement the engine stopped while a connection was
 * starting fails that connection with the statement's SQLSTATE, as a server would.
 */
import { Duplex } from 'node:stream';
import type { EmbeddedEngine, SessionLease } from './engine.js';
import { InterruptedError } from './engine.js';
import {
  authenticationOk,
  backendKeyData,
  errorResponse,
  parameterStatus,
  ProtocolCode,
  readyForQuery,
  simpleQuery,
  splitMessages,
  startupParameters,
  sync,
  type FrontendMessage,
} from './wire.js';

/** Start-up parameters that are connection facts, not settings. */
const NOT_SETTINGS = new Set(['user', 'database', 'replication', 'options', 'client_encoding']);
/** Messages after which the client waits for an answer: the points to hand a batch to the engine. */
const FLUSH_POINTS = new Set(['S', 'H', 'Q', 'F', 'c', 'f']);

/** `SET` statements for the start-up parameters and `-c name=value` options of a connection. */
export function settingsSql(parameters: ReadonlyMap<string, string>): string {
  const settings = new Map<string, string>();
  for (const [key, value] of parameters) {
    if (!NOT_SETTINGS.has(key)) settings.set(key, value);
  }
  for (const match of (parameters.get('options') ?? '').matchAll(/-c\s*([\w.]+)=(\S+)/g)) {
    settings.set(match[1]!, match[2]!);
  }
  return [...settings]
    .filter(([key]) => /^[a-z_][a-z0-9_.]*$/i.test(key))
    .map(([key, value]) => `SET ${key} = '${value.replace(/'/g, "''")}'`)
    .join('; ');
}

export class EmbeddedSocket extends Duplex {
  readonly #engine: EmbeddedEngine;
  #buffer: Buffer = Buffer.alloc(0);
  #batch: FrontendMessage[] = [];
  #work: Promise<void> = Promise.resolve();
  #lease: SessionLease | undefined;
  #started = false;
  #settings = '';
  #generation = -1;
  #discardUntilSync = false;

  constructor(engine: EmbeddedEngine) {
    super();
    this.#engine = engine;
  }

  connect(): this {
    process.nextTick(() => this.emit('connect'));
    return this;
  }

  setNoDelay(): this {
    return this;
  }

  setKeepAlive(): this {
    return this;
  }

  ref(): this {
    return this;
  }

  unref(): this {
    return this;
  }

  override _read(): void {
    // Data is pushed as the engine answers.
  }

  override _write(
    chunk: Buffer,
    _encoding: BufferEncoding,
    callback: (error?: Error) => void,
  ): void {
    this.#buffer = Buffer.concat([this.#buffer, chunk]);
    for (;;) {
      const { messages, rest } = splitMessages(this.#buffer, () => this.#started);
      this.#buffer = rest;
      if (messages.length === 0) break;
      for (const message of messages) this.#accept(message);
    }
    callback();
  }

  override _final(callback: (error?: Error) => void): void {
    this.#queue(() => this.#finish());
    callback();
  }

  override _destroy(error: Error | null, callback: (error: Error | null) => void): void {
    // A statement still running keeps the session until it ends, as it would on a server.
    void this.#work.finally(() => this.#finish());
    callback(error);
  }

  #accept(message: FrontendMessage): void {
    if (message.type === '') {
      // The start-up packet is handled before anything else is read.
      this.#queue(() => this.#startup(message.bytes));
      if (message.bytes.readInt32BE(4) === ProtocolCode.startup) this.#started = true;
      return;
    }
    if (message.type === 'X') {
      this.#queue(async () => {
        await this.#finish();
        this.push(null);
      });
      return;
    }
    this.#batch.push(message);
    if (FLUSH_POINTS.has(message.type)) {
      const batch = this.#batch;
      this.#batch = [];
      this.#queue(() => this.#forward(batch));
    }
  }

  #queue(step: () => Promise<void>): void {
    this.#work = this.#work.then(step).catch((error: unknown) => {
      this.destroy(error instanceof Error ? error : new Error(String(error)));
    });
  }

  async #startup(packet: Buffer): Promise<void> {
    const code = packet.readInt32BE(4);
    if (code === ProtocolCode.sslRequest || code === ProtocolCode.gssRequest) {
      this.push(Buffer.from('N'));
      return;
    }
    if (code === ProtocolCode.cancelRequest) {
      this.#engine.cancel(packet.readInt32BE(8), packet.readInt32BE(12));
      this.push(null);
      return;
    }
    if (code !== ProtocolCode.startup) {
      this.push(errorResponse('08P01', 'unsupported frontend protocol', 'FATAL'));
      this.push(null);
      return;
    }
    const version = await this.#engine.ready();
    this.#lease = await this.#engine.acquire();
    if (this.destroyed) {
      await this.#finish();
      return;
    }
    this.#settings = settingsSql(startupParameters(packet));
    try {
      await this.#cleanSession();
    } catch (error) {
      if (!(error instanceof InterruptedError)) throw error;
      this.push(errorResponse(error.code, error.message, 'FATAL'));
      this.push(null);
      await this.#finish();
      return;
    }
    this.push(
      Buffer.concat([
        authenticationOk(),
        parameterStatus('server_version', version),
        parameterStatus('server_encoding', 'UTF8'),
        parameterStatus('client_encoding', 'UTF8'),
        parameterStatus('DateStyle', 'ISO, MDY'),
        parameterStatus('integer_datetimes', 'on'),
        parameterStatus('standard_conforming_strings', 'on'),
        backendKeyData(this.#lease.processId, this.#lease.secretKey),
        readyForQuery('I'),
      ]),
    );
  }

  /** Whatever the previous holder left (an open transaction, prepared statements, settings) goes. */
  async #cleanSession(): Promise<void> {
    const statements = [
      'ROLLBACK',
      'DISCARD ALL',
      ...(this.#settings === '' ? [] : [this.#settings]),
    ];
    await this.#engine.exec(Buffer.concat([sync(), ...statements.map(simpleQuery)]));
    this.#generation = this.#engine.generation;
  }

  async #forward(batch: FrontendMessage[]): Promise<void> {
    let messages = batch;
    if (this.#discardUntilSync) {
      // After an error the server skips everything up to the next Sync, then says it is ready.
      const sync = messages.findIndex((message) => message.type === 'S');
      if (sync === -1) return;
      this.#discardUntilSync = false;
      this.push(readyForQuery('I'));
      messages = messages.slice(sync + 1);
      if (messages.length === 0) return;
    }
    if (this.#generation !== this.#engine.generation) await this.#cleanSession();
    try {
      this.push(await this.#engine.exec(Buffer.concat(messages.map((message) => message.bytes))));
    } catch (error) {
      if (!(error instanceof InterruptedError)) throw error;
      this.push(errorResponse(error.code, error.message));
      if (messages.some((message) => message.type === 'S' || message.type === 'Q')) {
        this.push(readyForQuery('I'));
      } else {
        this.#discardUntilSync = true;
      }
    }
  }

  /** Ends this connection's hold on the session, rolling back what it left open. */
  async #finish(): Promise<void> {
    const lease = this.#lease;
    if (lease === undefined) return;
    this.#lease = undefined;
    try {
      await this.#engine.exec(Buffer.concat([sync(), simpleQuery('ROLLBACK')]));
    } catch {
      // A stopped engine restarts without the transaction; the next connection starts clean anyway.
    } finally {
      lease.release();
    }
  }
}
