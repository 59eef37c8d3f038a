/**
 * @module
 * The method tables of a server: which handler serves each method in each era. They depend only
 * on the server, so they are built once per server and shared by all its sessions.
 */
import { ProtocolError } from '../jsonrpc/errors.js';
import type { JsonObject } from '../jsonrpc/message.js';
import type { ServerCore } from './core.js';
import { discover } from './eras/modern/discover.js';
import type { Exchange } from './exchange.js';
import { declaresTasks, tasksCapabilityMissing } from './extensions/tasks/support.js';
import {
  completionHandlers,
  promptHandlers,
  resourceHandlers,
  toolHandlers,
  type MethodHandler,
} from './features/handlers.js';

/** What era-specific methods need from the session that serves them. */
export interface SessionMethods {
  setLogLevel(level: unknown): JsonObject;
  subscribe(uri: unknown, on: boolean): JsonObject;
  listen(params: JsonObject, exchange: Exchange): Promise<JsonObject>;
}

export type SessionHandler = (
  params: JsonObject,
  exchange: Exchange,
  session: SessionMethods,
) => Promise<JsonObject> | JsonObject;

export interface MethodTables {
  handshake: ReadonlyMap<string, SessionHandler>;
  modern: ReadonlyMap<string, SessionHandler>;
}

const tablesByCore = new WeakMap<ServerCore, MethodTables>();

/** The method tables depend only on the server, so they are built once per server. */
export function methodTables(core: ServerCore): MethodTables {
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
  modern.set('server/discover', () => discover(core));
  for (const method of ['tasks/get', 'tasks/update', 'tasks/cancel'] as const) {
    modern.set(method, async (params, exchange) => {
      if (!core.offersTasks) throw ProtocolError.methodNotFound(method);
      if (!declaresTasks(exchange.clientCapabilities)) throw tasksCapabilityMissing(method);
      const { taskMethod } = await import('./extensions/tasks/methods.js');
      const store = core.tasksShared ? await core.taskStore() : core.existingTaskStore();
      return taskMethod(method, store, params, exchange.auth?.token.subject);
    });
  }
  modern.set('subscriptions/listen', (params, exchange, session) =>
    session.listen(params, exchange),
  );
  const tables = { handshake, modern };
  tablesByCore.set(core, tables);
  return tables;
}
