/**
 * @module
 * One peer's view of the server. Every request is routed to its protocol generation on its own
 * merits (mcp-spec 1.4): a request whose `_meta` names a protocol version is a stateless
 * 2026-07-28 request; anything else belongs to the handshake era and needs `initialize` first.
 * Both can arrive on one stdio connection.
 */
import type { Connection, IncomingRequest, MessageHandler } from '../jsonrpc/connection.js';
import { ErrorCode } from '../jsonrpc/error-code.js';
import { ProtocolError } from '../jsonrpc/errors.js';
import {
  isObject,
  isRequestId,
  type JsonObject,
  type JsonRpcNotification,
  type JsonRpcRequest,
  type RequestId,
} from '../jsonrpc/message.js';
import type { Exchange } from './exchange.js';
import {
  HandshakeExchange,
  ROOTS_TIMEOUT_MS,
  type Handshake,
  type HandshakeServices,
} from './eras/handshake/exchange.js';
import {
  completionHandlers,
  promptHandlers,
  resourceHandlers,
  toolHandlers,
  type MethodHandler,
} from './features/handlers.js';
import { InputRequired } from './input.js';
import {
  acceptsBatches,
  MetaKey,
  MODERN_VERSIONS,
  isModernVersion,
  negotiateHandshakeVersion,
  SUPPORTED_VERSIONS,
  type HandshakeVersion,
} from './eras/versions.js';
import type { ServerCore } from './core.js';
import {
  declaresTasks,
  TASKS_EXTENSION,
  tasksCapabilityMissing,
} from './extensions/tasks/support.js';
import { isMcpLogLevel, type Implementation } from './types.js';

export interface SessionOptions {
  /** Treat every request as 2026-07-28 (stateless HTTP): a request without `_meta` is malformed. */
  modernOnly?: boolean;
}

type SessionHandler = (
  params: JsonObject,
  exchange: Exchange,
  session: Session,
) => Promise<JsonObject> | JsonObject;

/** Methods whose 2026-07-28 results carry caching hints (mcp-spec 2.10). */
const CACHEABLE = new Set([
  'server/discover',
  'tools/list',
  'prompts/list',
  'resources/list',
  'resources/templates/list',
  'resources/read',
]);
/** Methods that may answer with an input-required result (mcp-spec 2.12). */
const INPUT_METHODS = new Set(['tools/call', 'prompts/get', 'resources/read']);
/** Methods that exist only in 2026-07-28 and so always take that path. */
const MODERN_ONLY = new Set(['server/discover', 'subscriptions/listen']);

interface MethodTables {
  handshake: ReadonlyMap<string, SessionHandler>;
  modern: ReadonlyMap<string, SessionHandler>;
}

const tablesByCore = new WeakMap<ServerCore, MethodTables>();

/** The method tables depend only on the server, so they are built once per server. */
function methodTables(core: ServerCore): MethodTables {
  const cached = tablesByCore.get(core);
  if (cached !== undefined) return cached;
  const shared: Record<string, MethodHandler> = {};
  const { capabilities } = core;
  if (capabilities.tools !== undefined) Object.assign(shared, toolHandlers(core));
  if (capabilities.resources !== undefined) Object.assign(shared, resourceHandlers(core));
  if (capabilities.prompts !== undefined) Object.assign(shared, promptHandlers(core));
  if (capabilities.completions !== undefined) Object.assign(shared, completionHandlers(core));
  const handshake = new Map<string, SessionHandler>(Object.entries(shared));
  const modern = new Map<string, SessionHandler>(Object.entries(shared));
  handshake.set('ping', () => ({}));
  handshake.set('logging/setLevel', (params, _exchange, session) =>
    session.setLogLevel(params.level),
  );
  if (capabilities.resources?.subscribe === true) {
    handshake.set('resources/subscribe', (params, _exchange, session) =>
      session.subscribe(params.uri, true),
    );
    handshake.set('resources/unsubscribe', (params, _exchange, session) =>
      session.subscribe(params.uri, false),
    );
  }
  modern.set('server/discover', () => {
    // The tasks extension is a 2026-07-28 surface, advertised by discovery only, and only while
    // some tool supports tasks (tools come and go with `server.tools.set()`).
    const capabilities: JsonObject = core.offersTasks
      ? {
          ...core.capabilities,
          extensions: { ...core.capabilities.extensions, [TASKS_EXTENSION]: {} },
        }
      : { ...core.capabilities };
    const result: JsonObject = { supportedVersions: [...SUPPORTED_VERSIONS], capabilities };
    if (core.instructions !== undefined) result.instructions = core.instructions;
    return result;
  });
  for (const method of ['tasks/get', 'tasks/update', 'tasks/cancel'] as const) {
    modern.set(method, async (params, exchange) => {
      if (!core.offersTasks) throw ProtocolError.methodNotFound(method);
      if (!declaresTasks(exchange.clientCapabilities)) throw tasksCapabilityMissing(method);
      const { taskMethod } = await import('./extensions/tasks/methods.js');
      return taskMethod(method, core.existingTaskStore(), params);
    });
  }
  modern.set('subscriptions/listen', (params, exchange, session) =>
    session.listen(params, exchange),
  );
  const tables = { handshake, modern };
  tablesByCore.set(core, tables);
  return tables;
}

function metaOf(params: JsonObject): JsonObject | undefined {
  return isObject(params._meta) ? params._meta : undefined;
}

function isModernRequest(meta: JsonObject | undefined): boolean {
  return (
    meta !== undefined &&
    (Object.hasOwn(meta, MetaKey.ProtocolVersion) ||
      Object.hasOwn(meta, MetaKey.ClientCapabilities))
  );
}

function salientParams(params: JsonObject): JsonObject {
  const { _meta: _m, inputResponses: _i, requestState: _s, ...rest } = params;
  return rest;
}

export class Session implements MessageHandler, HandshakeServices {
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
    const params = message.params ?? {};
    const meta = metaOf(params);
    if (this.#modernOnly || isModernRequest(meta) || MODERN_ONLY.has(message.method)) {
      return this.#modern(message, params, meta, incoming);
    }
    return this.#handshakeRequest(message, params, meta, incoming);
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
    message: JsonRpcRequest,
    params: JsonObject,
    meta: JsonObject | undefined,
    incoming: IncomingRequest,
  ): Promise<JsonObject> | JsonObject {
    const { method } = message;
    if (method === 'initialize') return this.#initialize(params);
    const handshake = this.#handshake;
    if (handshake === undefined) {
      if (method === 'ping') return {};
      throw ProtocolError.invalidRequest(`Send initialize before ${method.slice(0, 100)}`);
    }
    const handler = this.#tables.handshake.get(method);
    if (handler === undefined) throw ProtocolError.methodNotFound(method.slice(0, 100));
    const progressToken = meta?.progressToken;
    const exchange = new HandshakeExchange(
      message.id,
      method,
      isRequestId(progressToken) ? progressToken : undefined,
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

  async #modern(
    message: JsonRpcRequest,
    params: JsonObject,
    meta: JsonObject | undefined,
    incoming: IncomingRequest,
  ): Promise<JsonObject> {
    const { id, method } = message;
    const core = this.#core;
    const version = meta?.[MetaKey.ProtocolVersion];
    if (typeof version !== 'string') {
      throw ProtocolError.invalidParams(
        `params._meta["${MetaKey.ProtocolVersion}"] is required on every 2026-07-28 request`,
      );
    }
    if (!isModernVersion(version)) {
      throw new ProtocolError(
        ErrorCode.UnsupportedProtocolVersion,
        `Unsupported protocol version: ${version.slice(0, 40)}`,
        {
          supported: [...MODERN_VERSIONS],
          requested: version,
        },
      );
    }
    const capabilities = meta?.[MetaKey.ClientCapabilities];
    if (!isObject(capabilities)) {
      throw ProtocolError.invalidParams(
        `params._meta["${MetaKey.ClientCapabilities}"] is required on every 2026-07-28 request`,
      );
    }
    const logLevel = meta?.[MetaKey.LogLevel];
    if (logLevel !== undefined && !isMcpLogLevel(logLevel))
      throw ProtocolError.invalidParams(`params._meta["${MetaKey.LogLevel}"] is not a log level`);
    const handler = this.#tables.modern.get(method);
    if (handler === undefined) throw ProtocolError.methodNotFound(method.slice(0, 100));
    const takesInput = INPUT_METHODS.has(method);
    const answers = takesInput ? await this.#answers(method, params) : undefined;
    const clientInfo = meta?.[MetaKey.ClientInfo];
    const progressToken = meta?.progressToken;
    const connection = this.#connection!;
    const exchange: Exchange = {
      era: 'modern',
      id,
      method,
      protocolVersion: version,
      clientCapabilities: capabilities,
      clientInfo: isObject(clientInfo) ? (clientInfo as unknown as Implementation) : undefined,
      get signal() {
        return incoming.signal;
      },
      logLevel,
      progressToken: isRequestId(progressToken) ? progressToken : undefined,
      notify: (notification, body) =>
        connection.notify(notification, body, { relatedRequestId: id }),
      request: () =>
        Promise.reject(
          new ProtocolError(ErrorCode.InternalError, 'Servers send no requests in 2026-07-28'),
        ),
      answers,
    };
    let result: JsonObject;
    try {
      result = await handler(params, exchange, this);
    } catch (error) {
      if (error instanceof InputRequired && takesInput) {
        const digest = await core.sealer.digest(salientParams(params));
        return {
          resultType: 'input_required',
          inputRequests: Object.fromEntries(error.requests),
          requestState: await core.sealer.seal(method, digest, answers ?? new Map()),
          _meta: { [MetaKey.ServerInfo]: core.info },
        };
      }
      if (error instanceof ProtocolError && error.code === ErrorCode.ResourceNotFound) {
        // 2026-07-28 moved resource-not-found to -32602 (SEP-2164).
        throw new ProtocolError(ErrorCode.InvalidParams, error.message, error.data);
      }
      throw error;
    }
    result.resultType ??= 'complete';
    result._meta = {
      ...(isObject(result._meta) ? result._meta : {}),
      [MetaKey.ServerInfo]: core.info,
    };
    if (CACHEABLE.has(method)) {
      result.ttlMs = core.cache.ttlMs;
      result.cacheScope = method === 'resources/read' ? 'private' : core.cache.scope;
    }
    return result;
  }

  /** Answers from earlier rounds (sealed in requestState) merged with this round's inputResponses. */
  async #answers(method: string, params: JsonObject): Promise<Map<string, JsonObject> | undefined> {
    const { inputResponses, requestState } = params;
    if (inputResponses === undefined && requestState === undefined) return undefined;
    if (inputResponses !== undefined && !isObject(inputResponses))
      throw ProtocolError.invalidParams('params.inputResponses must be an object');
    const sealer = this.#core.sealer;
    const answers =
      requestState === undefined
        ? new Map<string, JsonObject>()
        : await sealer.open(requestState, method, await sealer.digest(salientParams(params)));
    for (const [key, value] of Object.entries(inputResponses ?? {})) {
      if (!isObject(value))
        throw ProtocolError.invalidParams(
          `params.inputResponses["${key.slice(0, 50)}"] must be an object`,
        );
      answers.set(key, value);
    }
    return answers;
  }

  /** 2026-07-28 `subscriptions/listen`: acknowledge first, then tag every notification with the subscription id. */
  async listen(params: JsonObject, exchange: Exchange): Promise<JsonObject> {
    const core = this.#core;
    const requested = isObject(params.notifications) ? params.notifications : {};
    const honoured: JsonObject = {};
    const subscriptionMeta = { [MetaKey.SubscriptionId]: exchange.id };
    const stops: (() => void)[] = [];
    const send = (method: string, body: JsonObject = {}): void => {
      void exchange.notify(method, { ...body, _meta: subscriptionMeta });
    };
    const { tools, prompts, resources } = core.capabilities;
    const wants = (key: string): boolean => requested[key] === true;
    if (tools?.listChanged === true && wants('toolsListChanged')) honoured.toolsListChanged = true;
    if (prompts?.listChanged === true && wants('promptsListChanged'))
      honoured.promptsListChanged = true;
    if (resources?.listChanged === true && wants('resourcesListChanged'))
      honoured.resourcesListChanged = true;
    const uris = Array.isArray(requested.resourceSubscriptions)
      ? requested.resourceSubscriptions.filter((uri): uri is string => typeof uri === 'string')
      : [];
    if (resources?.subscribe === true && uris.length > 0) honoured.resourceSubscriptions = uris;
    await exchange.notify('notifications/subscriptions/acknowledged', {
      notifications: honoured,
      _meta: subscriptionMeta,
    });
    if (honoured.toolsListChanged === true)
      stops.push(core.tools.onChange(() => send('notifications/tools/list_changed')));
    if (honoured.promptsListChanged === true)
      stops.push(core.prompts.onChange(() => send('notifications/prompts/list_changed')));
    if (honoured.resourcesListChanged === true) {
      stops.push(core.resources.onChange(() => send('notifications/resources/list_changed')));
      stops.push(
        core.resourceTemplates.onChange(() => send('notifications/resources/list_changed')),
      );
    }
    if (honoured.resourceSubscriptions !== undefined) {
      const watched = new Set(uris);
      stops.push(
        core.onResourceUpdated(
          (uri) => watched.has(uri) && send('notifications/resources/updated', { uri }),
        ),
      );
    }
    try {
      await untilAborted(exchange.signal, this.#disposed.signal);
    } finally {
      for (const stop of stops) stop();
    }
    return { _meta: subscriptionMeta };
  }
}

/** Resolves when any signal aborts, and leaves no listener behind on the others. */
function untilAborted(...signals: AbortSignal[]): Promise<void> {
  return new Promise((resolve) => {
    if (signals.some((signal) => signal.aborted)) {
      resolve();
      return;
    }
    const done = (): void => {
      for (const signal of signals) signal.removeEventListener('abort', done);
      resolve();
    };
    for (const signal of signals) signal.addEventListener('abort', done, { once: true });
  });
}
