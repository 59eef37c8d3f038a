/**
 * @module
 * One peer's view of the server. Each request is classified once ({@link classifyRequest}) and
 * served by its era: 2026-07-28 requests statelessly (`eras/modern/`), everything else through
 * the handshake `initialize` established. Both can arrive on one stdio connection.
 */
import type { Connection, IncomingRequest, MessageHandler } from '../jsonrpc/connection.js';
import { ProtocolError } from '../jsonrpc/errors.js';
import {
  isObject,
  type JsonObject,
  type JsonRpcNotification,
  type JsonRpcRequest,
  type RequestId,
} from '../jsonrpc/message.js';
import type { ServerCore } from './core.js';
import { classifyRequest, type HandshakeRequest } from './eras/classify.js';
import {
  HandshakeExchange,
  ROOTS_TIMEOUT_MS,
  type Handshake,
  type HandshakeServices,
} from './eras/handshake/exchange.js';
import { listen } from './eras/modern/listen.js';
import { serveModern } from './eras/modern/request.js';
import {
  acceptsBatches,
  negotiateHandshakeVersion,
  type HandshakeVersion,
} from './eras/versions.js';
import type { Exchange } from './exchange.js';
import { methodTables, type MethodTables, type SessionMethods } from './method-tables.js';
import { isMcpLogLevel, type Implementation } from './types.js';

export interface SessionOptions {
  /** Treat every request as 2026-07-28 (stateless HTTP): a request without `_meta` is malformed. */
  modernOnly?: boolean;
}

export class Session implements MessageHandler, HandshakeServices, SessionMethods {
  readonly #core: ServerCore;
  readonly #tables: MethodTables;
  readonly #modernOnly: boolean;
  readonly #disposed = new AbortController();
  readonly #unsubscribe: (() => void)[] = [];
  #connection: Connection | undefined;
  #handshake: Handshake | undefined;
  #roots: Promise<JsonObject> | undefined;

  constructor(core: ServerCore, options: SessionOptions = {}) {
    this.#core = core;
    this.#tables = methodTables(core);
    this.#modernOnly = options.modernOnly ?? false;
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
    const request = classifyRequest(message.method, message.params ?? {}, {
      modernOnly: this.#modernOnly,
    });
    if (request.era === 'handshake') return this.#handshakeRequest(request, message.id, incoming);
    const handler = this.#tables.modern.get(request.method);
    return serveModern(this.#core, request, message.id, incoming, this.#connection!, handler, this);
  }

  notification(message: JsonRpcNotification): void {
    // notifications/initialized needs no action: requests are served as soon as initialize is answered,
    // so a client that never sends it does not hang. Unknown notifications are ignored, as the spec asks.
    if (message.method === 'notifications/roots/list_changed') {
      this.#roots = undefined;
      this.#core.logger.debug('client roots changed');
    }
  }

  /**
   * A client that promises `notifications/roots/list_changed` is asked for its roots once, and
   * again only after it says they changed: servers that check roots on every call (filesystem,
   * git) then cost no extra round trip per call.
   */
  cachedRoots(connection: Connection, relatedRequestId: RequestId): Promise<JsonObject> {
    if (this.#roots === undefined) {
      const roots = connection.request('roots/list', undefined, {
        relatedRequestId,
        timeoutMs: ROOTS_TIMEOUT_MS,
      });
      this.#roots = roots;
      roots.catch(() => {
        if (this.#roots === roots) this.#roots = undefined;
      });
    }
    return this.#roots;
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
    const requested = params.protocolVersion;
    if (typeof requested !== 'string')
      throw ProtocolError.invalidParams('params.protocolVersion must be a string');
    const version = negotiateHandshakeVersion(requested);
    this.#handshake = {
      version,
      capabilities: isObject(params.capabilities) ? params.capabilities : {},
      clientInfo: isObject(params.clientInfo)
        ? (params.clientInfo as unknown as Implementation)
        : undefined,
      logLevel: undefined,
      subscriptions: new Set(),
    };
    this.#watchForHandshake();
    const result: JsonObject = {
      protocolVersion: version,
      capabilities: this.#core.capabilities,
      serverInfo: this.#core.info,
    };
    if (this.#core.instructions !== undefined) result.instructions = this.#core.instructions;
    return result;
  }

  /** Handshake-era change notifications go to the whole session (the GET stream on HTTP). */
  #watchForHandshake(): void {
    const core = this.#core;
    const send = (method: string, params?: JsonObject): void => {
      void this.#connection?.notify(method, params);
    };
    if (core.capabilities.tools !== undefined)
      this.#unsubscribe.push(core.tools.onChange(() => send('notifications/tools/list_changed')));
    if (core.capabilities.prompts !== undefined)
      this.#unsubscribe.push(
        core.prompts.onChange(() => send('notifications/prompts/list_changed')),
      );
    if (core.capabilities.resources !== undefined) {
      const listChanged = (): void => send('notifications/resources/list_changed');
      this.#unsubscribe.push(
        core.resources.onChange(listChanged),
        core.resourceTemplates.onChange(listChanged),
      );
      this.#unsubscribe.push(
        core.onResourceUpdated((uri) => {
          if (this.#handshake?.subscriptions.has(uri) === true)
            send('notifications/resources/updated', { uri });
        }),
      );
    }
  }

  setLogLevel(level: unknown): JsonObject {
    if (!isMcpLogLevel(level))
      throw ProtocolError.invalidParams(
        'params.level must be one of debug, info, notice, warning, error, critical, alert, emergency',
      );
    this.#handshake!.logLevel = level;
    return {};
  }

  subscribe(uri: unknown, on: boolean): JsonObject {
    if (typeof uri !== 'string' || uri.length === 0)
      throw ProtocolError.invalidParams('params.uri must be a non-empty string');
    const subscriptions = this.#handshake!.subscriptions;
    if (on) subscriptions.add(uri);
    else subscriptions.delete(uri);
    return {};
  }

  /** 2026-07-28 `subscriptions/listen`: acknowledge first, then tag every notification with the subscription id. */
  listen(params: JsonObject, exchange: Exchange): Promise<JsonObject> {
    return listen(this.#core, params, exchange, this.#disposed.signal);
  }
}
