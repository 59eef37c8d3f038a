/**
 * @module
 * The {@link Exchange} of one handshake-era request. A class rather than an object of closures:
 * one of these is made per request, and on the hot path every allocation shows up as garbage
 * collection.
 */
import type { Connection, IncomingRequest } from '../../../jsonrpc/connection.js';
import type { JsonObject, RequestId } from '../../../jsonrpc/message.js';
import type { RequestAuth } from '../../auth.js';
import type { Exchange } from '../../exchange.js';
import type { HandshakeVersion } from '../versions.js';
import type { ClientCapabilities, Implementation, McpLogLevel } from '../../types.js';

/** What `initialize` established for a session. */
export interface Handshake {
  readonly version: HandshakeVersion;
  readonly capabilities: ClientCapabilities;
  readonly clientInfo: Implementation | undefined;
  logLevel: McpLogLevel | undefined;
  readonly subscriptions: Set<string>;
}

/** The session services an exchange needs beyond the connection. */
export interface HandshakeServices {
  /** roots/list, answered from the session's cache when the client announces changes. */
  cachedRoots(connection: Connection, relatedRequestId: RequestId): Promise<JsonObject>;
}

export class HandshakeExchange implements Exchange {
  readonly id: RequestId;
  readonly method: string;
  readonly progressToken: RequestId | undefined;
  readonly #handshake: Handshake;
  readonly #incoming: IncomingRequest;
  readonly #connection: Connection;
  readonly #services: HandshakeServices;

  constructor(
    id: RequestId,
    method: string,
    progressToken: RequestId | undefined,
    handshake: Handshake,
    incoming: IncomingRequest,
    connection: Connection,
    services: HandshakeServices,
  ) {
    this.id = id;
    this.method = method;
    this.progressToken = progressToken;
    this.#handshake = handshake;
    this.#incoming = incoming;
    this.#connection = connection;
    this.#services = services;
  }

  get era(): 'handshake' {
    return 'handshake';
  }

  get protocolVersion(): string {
    return this.#handshake.version;
  }

  get clientCapabilities(): ClientCapabilities {
    return this.#handshake.capabilities;
  }

  get clientInfo(): Implementation | undefined {
    return this.#handshake.clientInfo;
  }

  get signal(): AbortSignal {
    return this.#incoming.signal;
  }

  get auth(): RequestAuth | undefined {
    return this.#incoming.auth;
  }

  get logLevel(): McpLogLevel | undefined {
    return this.#handshake.logLevel;
  }

  get answers(): undefined {
    return undefined;
  }

  notify(method: string, params: JsonObject): Promise<void> {
    return this.#connection.notify(method, params, { relatedRequestId: this.id });
  }

  request(method: string, params: JsonObject | undefined): Promise<JsonObject> {
    if (method === 'roots/list' && this.#handshake.capabilities.roots?.listChanged === true) {
      return this.#services.cachedRoots(this.#connection, this.id);
    }
    return this.#connection.request(method, params, {
      signal: this.#incoming.signal,
      relatedRequestId: this.id,
    });
  }
}
