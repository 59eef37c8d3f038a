/**
 * @module
 * {@link ServerCore}: what sessions, eras and feature handlers read from the server. It sits
 * below both the server (which implements it) and the sessions (which read it), so neither
 * imports the other's module for it.
 */
import type { Logger } from '../log.js';
import type { TaskStore } from './extensions/tasks/store.js';
import type { RequestStateSealer } from './eras/modern/request-state.js';
import type { Prompt } from './features/prompt.js';
import type { Resource, ResourceTemplate } from './features/resource.js';
import type { Tool } from './features/tool.js';
import type { Registry } from './registry.js';
import type { RequestAuth } from './auth.js';
import type { ToolView } from './features/tool-view.js';
import type { Implementation, ServerCapabilities } from './types.js';

export interface CachePolicy {
  /** How long 2026-07-28 clients may reuse list and read results. 0 (the default) means always ask again. */
  ttlMs: number;
  /** `public` when results are the same for every user of this server; `private` otherwise. */
  scope: 'public' | 'private';
}

/** What sessions and feature handlers read from the server. */
export interface ServerCore {
  readonly info: Implementation;
  readonly instructions: string | undefined;
  readonly capabilities: ServerCapabilities;
  readonly tools: Registry<Tool>;
  readonly resources: Registry<Resource>;
  readonly resourceTemplates: Registry<ResourceTemplate>;
  readonly prompts: Registry<Prompt>;
  readonly deps: unknown;
  /** Prototype of every request context: the shared members over `deps`. */
  readonly contextPrototype: object;
  readonly logger: Logger;
  readonly pageSize: number;
  /** Most bytes of text in one tool result; the protocol cuts anything longer. */
  readonly outputBudget: number;
  /** Tools the configuration turns off, with the sentence a call by name is refused with. */
  readonly disabledTools: ReadonlyMap<string, string>;
  /** The tools this caller may see and call (all of the above unless its grant is narrower). */
  toolsFor(auth: RequestAuth | undefined): ToolView;
  readonly sealer: RequestStateSealer;
  readonly cache: CachePolicy;
  /** Subscribes to resource updates; returns the function that stops it. */
  onResourceUpdated(listener: (uri: string) => void): () => void;
  /** Whether the tasks extension is offered: some tool declared `taskSupport`. */
  readonly offersTasks: boolean;
  /** The task store, created (and its module loaded) on first use. */
  taskStore(): Promise<TaskStore>;
  /** The task store if a task was ever created. */
  existingTaskStore(): TaskStore | undefined;
  /** Whether tasks are kept in a shared store, where other instances may have created them. */
  readonly tasksShared: boolean;
}
