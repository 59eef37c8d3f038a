/**
 * @module
 * {@link createServer} turns a server's tools, resources and prompts into an MCP server that any
 * transport can connect to. The server owns its registries and dependencies; each connection
 * gets its own {@link Session}.
 */
import { Connection } from '../jsonrpc/connection.js';
import type { Transport } from '../jsonrpc/transport.js';
import { DEFAULT_OUTPUT_BUDGET } from '../kit/budget.js';
import { nullLogger, type Logger } from '../log.js';
import type { Prompt } from './features/prompt.js';
import { contextPrototype } from './context.js';
import { Registry } from './registry.js';
import { RequestStateSealer, type RequestStateSecret } from './eras/modern/request-state.js';
import type { Resource, ResourceTemplate } from './features/resource.js';
import type { CachePolicy, ServerCore } from './core.js';
import { Session, type SessionOptions } from './session.js';
import type { TaskLimits, TaskStore } from './extensions/tasks/store.js';
import type { Store } from '../store/store.js';
import type { Tool } from './features/tool.js';
import type { RequestAuth } from './auth.js';
import {
  fullView,
  readOnlyView,
  type Exposure,
  type ToolExposure,
  type ToolView,
} from './features/tool-view.js';
import type { Icon, Implementation, ServerCapabilities } from './types.js';

export type { CachePolicy, ServerCore } from './core.js';

export interface ServerOptions<D> {
  name: string;
  version: string;
  title?: string;
  description?: string;
  websiteUrl?: string;
  icons?: Icon[];
  /** Shown to the model by clients that support it. Static text, never built from upstream data. */
  instructions?: string;
  tools?: readonly Tool<D>[];
  /**
   * Tools the operator's configuration turns off, each with the sentence that says how to turn
   * it on (see `exposeTools` in `@plugboard/kit/tools`). They are not listed; a call by name is refused with it.
   */
  disabledTools?: ReadonlyMap<string, string>;
  /**
   * The server's tool selection for facts learnt per request (hosted mode): HTTP sign-in with a
   * write scope shows a token without it the tools this gives for `{ readOnly: true }`. The kit
   * passes its one pipeline, `(facts) => exposeTools(tools, configuration, facts)`. Without it,
   * such a token is shown no tools.
   */
  exposure?: Exposure;
  resources?: readonly Resource<D>[];
  resourceTemplates?: readonly ResourceTemplate<D>[];
  prompts?: readonly Prompt<D>[];
  /** The server's dependencies (clients, config, state), reachable from every handler's context. */
  context?: D;
  logger?: Logger;
  /** Items per page of every list method. */
  pageSize?: number;
  /**
   * Most bytes of text in one tool result (default {@link DEFAULT_OUTPUT_BUDGET}, 64 KiB). Tools
   * read it as `ctx.outputBudget`; the protocol cuts, marks and logs any result over it.
   */
  outputBudget?: number;
  /**
   * Key (or key ring, the first one sealing) for 2026-07-28 `requestState`; share it across
   * instances behind a load balancer. A random per-process key when absent.
   */
  requestStateKey?: RequestStateSecret | readonly RequestStateSecret[];
  cache?: Partial<CachePolicy>;
  /**
   * Advertise resource subscriptions. Only a server that calls `notifyResourceUpdated` when a
   * resource changes should: a subscription that never fires misleads the client.
   */
  resourceSubscriptions?: boolean;
  /** Limits of the tasks extension's store (used only when a tool declares `taskSupport`). */
  tasks?: Partial<TaskLimits>;
}

/** A connected session: close it, or wait for the peer to go away. */
export interface ServerConnection {
  readonly closed: Promise<void>;
  /** The revision negotiated by `initialize`, once it has been. */
  readonly protocolVersion: string | undefined;
  close(): Promise<void>;
}

export class McpServer<D = unknown> {
  readonly info: Implementation;
  readonly instructions: string | undefined;
  readonly capabilities: ServerCapabilities;
  readonly tools: Registry<Tool<D>>;
  readonly resources: Registry<Resource<D>>;
  readonly resourceTemplates: Registry<ResourceTemplate<D>>;
  readonly prompts: Registry<Prompt<D>>;
  readonly deps: D;
  readonly contextPrototype: object;
  readonly logger: Logger;
  readonly pageSize: number;
  readonly outputBudget: number;
  readonly disabledTools: ReadonlyMap<string, string>;
  readonly sealer: RequestStateSealer;
  readonly cache: CachePolicy;
  readonly exposure: Exposure | undefined;
  readonly #everyTool: ToolView;
  #readOnlyExposure: ToolExposure | undefined;
  readonly #taskLimits: Partial<TaskLimits>;
  #taskStore: Promise<TaskStore> | undefined;
  #loadedTaskStore: TaskStore | undefined;
  #taskSharing: Store | undefined;
  readonly #resourceListeners = new Set<(uri: string) => void>();
  readonly #connections = new Set<ServerConnection>();

  constructor(options: ServerOptions<D>) {
    this.info = { name: options.name, version: options.version };
    if (options.title !== undefined) this.info.title = options.title;
    if (options.description !== undefined) this.info.description = options.description;
    if (options.websiteUrl !== undefined) this.info.websiteUrl = options.websiteUrl;
    if (options.icons !== undefined) this.info.icons = options.icons;
    this.instructions = options.instructions;
    this.tools = new Registry((tool) => tool.name, options.tools);
    this.resources = new Registry((resource) => resource.descriptor.uri, options.resources);
    this.resourceTemplates = new Registry(
      (template) => template.descriptor.uriTemplate,
      options.resourceTemplates,
    );
    this.prompts = new Registry((prompt) => prompt.name, options.prompts);
    this.deps = options.context as D;
    this.logger = options.logger ?? nullLogger;
    this.pageSize = options.pageSize ?? 100;
    this.outputBudget = options.outputBudget ?? DEFAULT_OUTPUT_BUDGET;
    this.disabledTools = options.disabledTools ?? new Map();
    this.exposure = options.exposure;
    this.#everyTool = fullView(this.tools as Registry<Tool>, this.disabledTools);
    this.contextPrototype = contextPrototype(this.deps, this.logger, this.outputBudget);
    this.sealer = new RequestStateSealer(options.requestStateKey);
    this.cache = { ttlMs: options.cache?.ttlMs ?? 0, scope: options.cache?.scope ?? 'public' };
    this.#taskLimits = options.tasks ?? {};
    const hasResources = options.resources !== undefined || options.resourceTemplates !== undefined;
    this.capabilities = { logging: {} };
    if (options.tools !== undefined) this.capabilities.tools = { listChanged: true };
    if (hasResources) {
      this.capabilities.resources = {
        subscribe: options.resourceSubscriptions === true,
        listChanged: true,
      };
    }
    if (options.prompts !== undefined) this.capabilities.prompts = { listChanged: true };
    if (options.prompts !== undefined || options.resourceTemplates !== undefined)
      this.capabilities.completions = {};
  }

  /** Tells subscribed clients that the resource at `uri` changed. */
  notifyResourceUpdated(uri: string): void {
    for (const listener of this.#resourceListeners) listener(uri);
  }

  onResourceUpdated(listener: (uri: string) => void): () => void {
    this.#resourceListeners.add(listener);
    return () => this.#resourceListeners.delete(listener);
  }

  /**
   * The tools `auth` may see and call: every exposed tool, or for a token without the write
   * scope the read-only selection (asked of `exposure` once, then kept).
   */
  toolsFor(auth: RequestAuth | undefined): ToolView {
    const scope = auth?.missingWriteScope;
    if (scope === undefined) return this.#everyTool;
    this.#readOnlyExposure ??= this.exposure?.({ readOnly: true }) ?? {
      tools: [],
      disabledTools: new Map(),
    };
    return readOnlyView(this.tools as Registry<Tool>, this.#readOnlyExposure, scope);
  }

  /** Whether the tasks extension is offered: some tool, now, declares `taskSupport`. */
  get offersTasks(): boolean {
    return this.tools.values().some((tool) => tool.taskSupport !== undefined);
  }

  taskStore(): Promise<TaskStore> {
    const sharing = this.#taskSharing;
    this.#taskStore ??= import('./extensions/tasks/store.js').then(({ TaskStore }) => {
      this.#loadedTaskStore = new TaskStore(
        this.#taskLimits,
        sharing === undefined ? undefined : { store: sharing, logger: this.logger },
      );
      return this.#loadedTaskStore;
    });
    return this.#taskStore;
  }

  /** Whether tasks are kept in a shared store, where other instances may have created them. */
  get tasksShared(): boolean {
    return this.#taskSharing !== undefined;
  }

  /**
   * Keeps this server's tasks in `store` (sealed, scoped to them), so instances on the same
   * store answer for each other's tasks; the HTTP transport calls it when given a store.
   */
  shareTasks(store: Store): void {
    if (this.#taskStore !== undefined)
      throw new Error('shareTasks must be called before the first task is created');
    this.#taskSharing = store;
  }

  existingTaskStore(): TaskStore | undefined {
    return this.#loadedTaskStore;
  }

  /** Serves one peer over `transport` until either side closes it. */
  async connect(transport: Transport, options: SessionOptions = {}): Promise<ServerConnection> {
    const session = new Session(this as unknown as ServerCore, options);
    const connection = new Connection(transport, session, {
      logger: this.logger,
      uncancellable: new Set(['initialize']),
    });
    session.attach(connection);
    let resolveClosed!: () => void;
    const closed = new Promise<void>((resolve) => {
      resolveClosed = resolve;
    });
    const handle: ServerConnection = {
      closed,
      get protocolVersion() {
        return session.protocolVersion;
      },
      close: () => connection.close(),
    };
    connection.onclose = () => {
      session.dispose();
      this.#connections.delete(handle);
      resolveClosed();
    };
    this.#connections.add(handle);
    await connection.start();
    return handle;
  }

  /** Closes every open connection and stops running tasks. */
  async close(): Promise<void> {
    this.#loadedTaskStore?.cancelAll();
    await Promise.all([...this.#connections].map((connection) => connection.close()));
  }
}

export function createServer<D = undefined>(options: ServerOptions<D>): McpServer<D> {
  return new McpServer(options);
}
