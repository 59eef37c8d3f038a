/**
 * @module
 * The small, always-loaded part of the tasks extension (`io.modelcontextprotocol/tasks`,
 * SEP-2663): its identifier, how a tool declares task support, and whether a request's client
 * declared the extension. Everything that stores or runs tasks lives in modules that are imported
 * only when a task is first created or polled, so servers without tasks never load them.
 */
import { isObject } from '../../../jsonrpc/message.js';
import { MissingCapabilityError } from '../../input.js';
import type { ClientCapabilities } from '../../types.js';

/** The extension's identifier, as it appears under `capabilities.extensions`. */
export const TASKS_EXTENSION = 'io.modelcontextprotocol/tasks';

/**
 * `optional`: a task when the client declared the extension, a plain result otherwise.
 * `required`: only as a task; clients without the extension get -32021.
 */
export type TaskSupport = 'optional' | 'required';

export function isTaskSupport(value: unknown): value is TaskSupport {
  return value === 'optional' || value === 'required';
}

/** Whether the client behind this request accepts task results. */
export function declaresTasks(capabilities: ClientCapabilities): boolean {
  const extensions = capabilities.extensions;
  return isObject(extensions) && isObject(extensions[TASKS_EXTENSION]);
}

/** -32021 naming the tasks extension, for a client that did not declare it. */
export function tasksCapabilityMissing(what: string): MissingCapabilityError {
  return new MissingCapabilityError(
    { extensions: { [TASKS_EXTENSION]: {} } },
    `${what} needs the ${TASKS_EXTENSION} extension, which the client did not declare`,
  );
}
