/**
 * @module
 * The {@link RequestContext} every tool, resource and prompt handler receives: cancellation,
 * progress, logging to the client, and questions to the client, all era-independent.
 */
import type { JsonObject } from '../jsonrpc/message.js';
import type { Logger } from '../log.js';
import { requestLogger, type AccessToken } from './auth.js';
import type { Era, Exchange } from './exchange.js';
import { ask, type InputRequest } from './input.js';
import {
  MCP_LOG_LEVELS,
  type ClientCapabilities,
  type CreateMessageResult,
  type ElicitResult,
  type Implementation,
  type McpLogLevel,
  type Root,
} from './types.js';

export interface ElicitFormParams {
  mode?: 'form';
  message: string;
  requestedSchema: JsonObject;
}

export interface ElicitUrlParams {
  mode: 'url';
  message: string;
  url: string;
  /** Handshake era: names the elicitation in `notifications/elicitation/complete`; not sent in 2026-07-28. */
  elicitationId?: string;
}

/** Every member may be destructured: methods are bound to their request. */
export interface RequestContext {
  /** Aborted when the client cancels or goes away. Pass it to every I/O call. */
  readonly signal: AbortSignal;
  readonly client: {
    readonly era: Era;
    readonly protocolVersion: string;
    readonly capabilities: ClientCapabilities;
    readonly info: Implementation | undefined;
  };
  /** The server's own stderr logger; each line names the signed-in user, if any. */
  readonly logger: Logger;
  /**
   * The signed-in caller (HTTP with sign-in): `subject` is the user to key anything per user
   * on; also the client, the scopes and the claims. Undefined on stdio and without sign-in.
   */
  readonly auth: AccessToken | undefined;
  /** Most bytes of text this tool's result may hold (`--output-budget`); page or clamp to it. */
  readonly outputBudget: number;
  /** Reports progress when the client asked for it; values that do not increase are dropped. */
  progress: (progress: number, total?: number, message?: string) => Promise<void>;
  /** Sends `notifications/message` to the client when it asked for logs at this level. */
  log: (level: McpLogLevel, data: unknown, logger?: string) => Promise<void>;
  /** Asks the user through the client. `key` names the question across 2026 rounds. */
  elicit: (params: ElicitFormParams | ElicitUrlParams, key?: string) => Promise<ElicitResult>;
  /**
   * The keys starting with `prefix` of the answers this request already carries: a 2026-07-28
   * retry's, so a handler that names its question after a value of its own making (a one-time
   * token) finds that value again when it runs anew. Always empty in the handshake era.
   */
  answeredKeys: (prefix: string) => string[];
  /**
   * Handshake era, URL mode: tells the client the out-of-band step of elicitation
   * `elicitationId` is done (`notifications/elicitation/complete`). Does nothing in 2026-07-28,
   * where the client's retry is the completion.
   */
  completeElicitation: (elicitationId: string) => Promise<void>;
  /** Asks the client's model. */
  sample: (params: JsonObject, key?: string) => Promise<CreateMessageResult>;
  /** The client's roots. */
  listRoots: (key?: string) => Promise<Root[]>;
  /** Several questions at once, answered together. */
  ask: <K extends string>(
    requests: Readonly<Record<K, InputRequest>>,
  ) => Promise<Record<K, JsonObject>>;
  /**
   * Tasks extension, for tools with `deferTask`: the call is answered with a task from here on,
   * and the handler goes on in the background. Resolves false when the call cannot become a task
   * (the handler then simply continues within the call). Read `signal` again afterwards.
   */
  continueAsTask: () => Promise<boolean>;
}

function levelIndex(level: McpLogLevel): number {
  return MCP_LOG_LEVELS.indexOf(level);
}

/** Per-request state, kept on the context object under symbols so it never meets the deps' names. */
const EXCHANGE = Symbol('exchange');
const LOGGER = Symbol('logger');
const LAST_PROGRESS = Symbol('lastProgress');
const KEY_COUNTERS = Symbol('keyCounters');

interface ContextState {
  [EXCHANGE]: Exchange;
  [LOGGER]: Logger;
  [LAST_PROGRESS]?: number;
  [KEY_COUNTERS]?: Map<string, number>;
}

function nextKey(state: ContextState, prefix: string): string {
  const counters = (state[KEY_COUNTERS] ??= new Map());
  const count = (counters.get(prefix) ?? 0) + 1;
  counters.set(prefix, count);
  return `${prefix}-${count}`;
}

async function askOne(exchange: Exchange, key: string, request: InputRequest): Promise<JsonObject> {
  const answers = await ask(exchange, { [key]: request });
  return answers[key]!;
}

/**
 * The behaviour every request context shares, defined once. Each request gets a two-field
 * object whose prototype chain is: these members, then the server's dependencies. Building a
 * context is therefore two property writes, not a dozen closures.
 */
const members: ThisType<ContextState> &
  Omit<RequestContext, 'logger' | 'signal' | 'client' | 'outputBudget' | 'auth'> & {
    readonly signal: AbortSignal;
    readonly client: RequestContext['client'];
    readonly logger: Logger;
    readonly auth: AccessToken | undefined;
  } = {
  get signal() {
    return this[EXCHANGE].signal;
  },
  get client() {
    const exchange = this[EXCHANGE];
    return {
      era: exchange.era,
      protocolVersion: exchange.protocolVersion,
      capabilities: exchange.clientCapabilities,
      info: exchange.clientInfo,
    };
  },
  get logger() {
    return requestLogger(this[LOGGER], this[EXCHANGE].auth);
  },
  get auth() {
    return this[EXCHANGE].auth?.token;
  },
  async progress(progress, total, message) {
    const exchange = this[EXCHANGE];
    const token = exchange.progressToken;
    if (
      token === undefined ||
      !(progress > (this[LAST_PROGRESS] ?? Number.NEGATIVE_INFINITY)) ||
      exchange.signal.aborted
    )
      return;
    this[LAST_PROGRESS] = progress;
    const params: JsonObject = { progressToken: token, progress };
    if (total !== undefined) params.total = total;
    if (message !== undefined) params.message = message;
    await exchange.notify('notifications/progress', params);
  },
  async log(level, data, name) {
    const exchange = this[EXCHANGE];
    const threshold = exchange.logLevel;
    if (
      threshold === undefined ||
      levelIndex(level) < levelIndex(threshold) ||
      exchange.signal.aborted
    )
      return;
    const params: JsonObject = { level, data };
    if (name !== undefined) params.logger = name;
    await exchange.notify('notifications/message', params);
  },
  async elicit(params, key) {
    const request: InputRequest = { method: 'elicitation/create', params: { ...params } };
    return (await askOne(
      this[EXCHANGE],
      key ?? nextKey(this, 'elicitation'),
      request,
    )) as unknown as ElicitResult;
  },
  answeredKeys(prefix) {
    const answers = this[EXCHANGE].answers;
    return answers === undefined ? [] : [...answers.keys()].filter((key) => key.startsWith(prefix));
  },
  async completeElicitation(elicitationId) {
    const exchange = this[EXCHANGE];
    if (exchange.era !== 'handshake' || exchange.signal.aborted) return;
    await exchange.notify('notifications/elicitation/complete', { elicitationId });
  },
  async sample(params, key) {
    const request: InputRequest = { method: 'sampling/createMessage', params };
    return (await askOne(
      this[EXCHANGE],
      key ?? nextKey(this, 'sampling'),
      request,
    )) as unknown as CreateMessageResult;
  },
  async listRoots(key) {
    const answer = await askOne(this[EXCHANGE], key ?? nextKey(this, 'roots'), {
      method: 'roots/list',
    });
    return (answer.roots as Root[] | undefined) ?? [];
  },
  ask(requests) {
    return ask(this[EXCHANGE], requests);
  },
  continueAsTask() {
    return this[EXCHANGE].continueAsTask?.() ?? Promise.resolve(false);
  },
};

/** The prototype of every request context of one server: shared members over the server's dependencies. */
export function contextPrototype(deps: unknown, logger: Logger, outputBudget: number): object {
  const base: object = typeof deps === 'object' && deps !== null ? deps : Object.prototype;
  const descriptors = Object.getOwnPropertyDescriptors(members);
  // Handlers destructure their context (`{ signal, progress }`), so each method is a getter that
  // binds it to the request on first access and keeps that binding on the request's context.
  for (const [name, descriptor] of Object.entries(descriptors)) {
    const method: unknown = descriptor.value;
    if (typeof method !== 'function') continue;
    descriptors[name] = {
      configurable: true,
      enumerable: true,
      get(this: object) {
        const bound = (method as (...args: unknown[]) => unknown).bind(this);
        Object.defineProperty(this, name, { value: bound, configurable: true, enumerable: true });
        return bound;
      },
    };
  }
  const prototype = Object.create(base, descriptors) as Partial<ContextState>;
  prototype[LOGGER] = logger;
  Object.defineProperty(prototype, 'outputBudget', { value: outputBudget, enumerable: true });
  return prototype;
}

/** The context for one request, from the server's {@link contextPrototype}. */
export function createRequestContext(exchange: Exchange, prototype: object): RequestContext {
  const context = Object.create(prototype) as ContextState;
  context[EXCHANGE] = exchange;
  return context as unknown as RequestContext;
}
