/**
 * @module
 * The {@link RequestContext} every tool, resource and prompt handler receives: cancellation,
 * progress, logging to the client, and questions to the client, all era-independent.
 */
import type { JsonObject } from '../jsonrpc/message.js';
import type { Logger } from '../log.js';
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
  elicitationId: string;
}

export interface RequestContext {
  /** Aborted when the client cancels or goes away. Pass it to every I/O call. */
  readonly signal: AbortSignal;
  readonly client: {
    readonly era: Era;
    readonly protocolVersion: string;
    readonly capabilities: ClientCapabilities;
    readonly info: Implementation | undefined;
  };
  /** The server's own stderr logger. */
  readonly logger: Logger;
  /** Reports progress when the client asked for it; values that do not increase are dropped. */
  progress(progress: number, total?: number, message?: string): Promise<void>;
  /** Sends `notifications/message` to the client when it asked for logs at this level. */
  log(level: McpLogLevel, data: unknown, logger?: string): Promise<void>;
  /** Asks the user through the client. `key` names the question across 2026 rounds. */
  elicit(params: ElicitFormParams | ElicitUrlParams, key?: string): Promise<ElicitResult>;
  /** Asks the client's model. */
  sample(params: JsonObject, key?: string): Promise<CreateMessageResult>;
  /** The client's roots. */
  listRoots(key?: string): Promise<Root[]>;
  /** Several questions at once, answered together. */
  ask<K extends string>(
    requests: Readonly<Record<K, InputRequest>>,
  ): Promise<Record<K, JsonObject>>;
}

function levelIndex(level: McpLogLevel): number {
  return MCP_LOG_LEVELS.indexOf(level);
}

/** Builds the context for one request; `deps` (the server's dependencies) are reachable through it. */
export function createRequestContext<D>(
  exchange: Exchange,
  logger: Logger,
  deps: D,
): RequestContext & D {
  let lastProgress = Number.NEGATIVE_INFINITY;
  const counters = new Map<string, number>();
  const nextKey = (prefix: string): string => {
    const count = (counters.get(prefix) ?? 0) + 1;
    counters.set(prefix, count);
    return `${prefix}-${count}`;
  };
  const single = async (key: string, request: InputRequest): Promise<JsonObject> => {
    const answers = await ask(exchange, { [key]: request });
    return answers[key]!;
  };
  const context: RequestContext = {
    signal: exchange.signal,
    client: {
      era: exchange.era,
      protocolVersion: exchange.protocolVersion,
      capabilities: exchange.clientCapabilities,
      info: exchange.clientInfo,
    },
    logger,
    async progress(progress, total, message) {
      const token = exchange.progressToken;
      if (token === undefined || !(progress > lastProgress) || exchange.signal.aborted) return;
      lastProgress = progress;
      const params: JsonObject = { progressToken: token, progress };
      if (total !== undefined) params.total = total;
      if (message !== undefined) params.message = message;
      await exchange.notify('notifications/progress', params);
    },
    async log(level, data, name) {
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
      const answer = await single(key ?? nextKey('elicitation'), {
        method: 'elicitation/create',
        params: { ...params },
      });
      return answer as unknown as ElicitResult;
    },
    async sample(params, key) {
      const answer = await single(key ?? nextKey('sampling'), {
        method: 'sampling/createMessage',
        params,
      });
      return answer as unknown as CreateMessageResult;
    },
    async listRoots(key) {
      const answer = await single(key ?? nextKey('roots'), { method: 'roots/list' });
      return (answer.roots as Root[] | undefined) ?? [];
    },
    ask: (requests) => ask(exchange, requests),
  };
  if (deps === undefined || deps === null) return context as RequestContext & D;
  return Object.assign(Object.create(deps as object) as D & object, context);
}
