/**
 * @module
 * One peer's view of the server. Each request is classified once ({@link classifyRequest}) and
 * served by its era: 2026-07-28 requests statelessly (`eras/modern/`), everything else through
 * the handshake `initialize` established. Both can arrive on one stdio connection.
 */
import type { Connection, IncomingRequest, MessageHandler } from '../jsonrpc/connection.js';
import { ProtocolError } from '../jsonrpc/errors.js';
import {
  type JsonObject,
  type JsonRpcNotification,
  type JsonRpcRequest,
  type RequestId,
} from '../jsonrpc/message.js';
import type { ServerCore } from './core.js';
import { classifyRequest, type HandshakeRequest, type ModernRequest } from './eras/classify.js';
import {
  HandshakeExchange,
  type Handshake,
  type HandshakeServices,
} from './eras/handshake/exchange.js';
import { initialize } from './eras/handshake/initialize.js';
import { restoreHandshake, saveHandshake, type SavedHandshake } from './eras/handshake/saved.js';
import { watchForSession } from './eras/handshake/list-changed.js';
import { RootsCache } from './eras/handshake/roots-cache.js';
import { setLogLevel, subscribe } from './eras/handshake/settings.js';
import { listen } from './eras/modern/listen.js';
import { serveModern } from './eras/modern/request.js';
import { acceptsBatches, type HandshakeVersion } from './eras/versions.js';
import type { Exchange } from './exchange.js';
import { methodTables, type MethodTables, type SessionMethods } from './method-tables.js';

export interface SessionOptions {
  /** Treat every request as 2026-07-28 (stateless HTTP): a request without `_meta` is malformed. */
  modernOnly?: boolean;
  /**
   * The one request of a stateless HTTP exchange, classified by the transport: the session
   * serves it as it is instead of classifying it again.
   */
  classified?: ModernRequest | undefined;
  /**
   * A handshake-era session that goes on here after `initialize` was answered elsewhere (another
   * instance behind the same shared store): served as if this connection had been initialized.
   */
  handshake?: SavedHandshake | undefined;
  /** Told the handshake whenever it changes (initialize, log level, subscriptions), to save it. */
  onHandshake?: ((saved: SavedHandshake) => void) | undefined;
}

export class Session implements MessageHandler, HandshakeServices, SessionMethods {
  readonly #core: ServerCore;
  readonly #tables: MethodTables;
  readonly #modernOnly: boolean;
  #classified: ModernRequest | undefined;
  readonly #disposed = new AbortController();
  readonly #unsubscribe: (() => void)[] = [];
  #connection: Connection | undefined;
  #handshake: Handshake | undefined;
  readonly #roots = new RootsCache();
  readonly #onHandshake: ((saved: SavedHandshake) => void) | undefined;

  constructor(core: ServerCore, options: SessionOptions = {}) {
    this.#core = core;
    this.#tables = methodTables(core);
    this.#modernOnly = options.modernOnly ?? false;
    this.#classified = options.classified;
    this.#onHandshake = options.onHandshake;
    const restored = restoreHandshake(options.handshake);
    if (restored !== undefined) this.#begin(restored);
  }

  attach(connection: Connection): void {
    this.#connection = connection;
  }

  /** The revision `initialize` settled on; undefined before it and in the 2026-07-28 era. */
  get protocolVersion(): HandshakeVersion | undefined {
    return this.#handshake?.version;
  }

  acceptsBatches(): boolean {
    return acceptsBatches(this.#handshake?.version);
  }

  dispose(): void {
    this.#disposed.abort();
    for (const stop of this.#unsubscribe.splice(0)) stop();
  }

  request(message: JsonRpcRequest, incoming: IncomingRequest): Promise<JsonObject> | JsonObject {
    const request =
      this.#classified ??
      classifyRequest(message.method, message.params ?? {}, { modernOnly: this.#modernOnly });
    this.#classified = undefined;
    if (request.era === 'handshake') return this.#handshakeRequest(request, message.id, incoming);
    const handler = this.#tables.modern.get(request.method);
    return serveModern(this.#core, request, message.id, incoming, this.#connection!, handler, this);
  }

  notification(message: JsonRpcNotification): void {
    // notifications/initialized needs no action: requests are served as soon as initialize is answered,
    // so a client that never sends it does not hang. Unknown notifications are ignored, as the spec asks.
    if (message.method === 'notifications/roots/list_changed') {
      this.#roots.invalidate();
      this.#core.logger.debug('client roots changed');
    }
  }

  /** roots/list for handshake-era exchanges, cached until the client says its roots changed. */
  cachedRoots(connection: Connection, relatedRequestId: RequestId): Promise<JsonObject> {
    return this.#roots.get(connection, relatedRequestId);
  }

  #handshakeRequest(
    request: HandshakeRequest,
    id: RequestId,
    incoming: IncomingRequest,
  ): Promise<JsonObject> | JsonObject {
    const { method, params } = request;
    if (method === 'initialize') return this.#initialize(params);
    const handshake = this.#handshake;
    if (handshake === undefined) {
      if (method === 'ping') return {};
      throw ProtocolError.invalidRequest(`Send initialize before ${method.slice(0, 100)}`);
    }
    const handler = this.#tables.handshake.get(method);
    if (handler === undefined) throw ProtocolError.methodNotFound(method.slice(0, 100));
    const exchange = new HandshakeExchange(
      id,
      method,
      request.progressToken,
      handshake,
      incoming,
      this.#connection!,
      this,
    );
    return handler(params, exchange, this);
  }

  #initialize(params: JsonObject): JsonObject {
    if (this.#handshake !== undefined)
      throw ProtocolError.invalidRequest('initialize may be sent only once per session');
    const { handshake, result } = initialize(this.#core, params);
    this.#begin(handshake);
    this.#saved();
    return result;
  }

  #begin(handshake: Handshake): void {
    this.#handshake = handshake;
    this.#unsubscribe.push(
      ...watchForSession(this.#core, handshake.subscriptions, (method, body) => {
        void this.#connection?.notify(method, body);
      }),
    );
  }

  #saved(): void {
    if (this.#onHandshake !== undefined && this.#handshake !== undefined)
      this.#onHandshake(saveHandshake(this.#handshake));
  }

  setLogLevel(level: unknown): JsonObject {
    const result = setLogLevel(this.#handshake!, level);
    this.#saved();
    return result;
  }

  subscribe(uri: unknown, on: boolean): JsonObject {
    const result = subscribe(this.#handshake!, uri, on);
    this.#saved();
    return result;
  }

  /** 2026-07-28 `subscriptions/listen`: acknowledge first, then tag every notification with the subscription id. */
  listen(params: JsonObject, exchange: Exchange): Promise<JsonObject> {
    return listen(this.#core, params, exchange, this.#disposed.signal);
  }
}
