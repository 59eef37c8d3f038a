/**
 * @module
 * 2026-07-28 `server/discover`: every revision spoken, and the capabilities, which include the
 * tasks extension only while some tool supports tasks (tools come and go with `server.tools.set()`).
 */
import type { JsonObject } from '../../../jsonrpc/message.js';
import type { ServerCore } from '../../core.js';
import { TASKS_EXTENSION } from '../../extensions/tasks/support.js';
import { SUPPORTED_VERSIONS } from '../versions.js';

export function discover(core: ServerCore): JsonObject {
  const capabilities: JsonObject = core.offersTasks
    ? {
        ...core.capabilities,
        extensions: { ...core.capabilities.extensions, [TASKS_EXTENSION]: {} },
      }
    : { ...core.capabilities };
  const result: JsonObject = { supportedVersions: [...SUPPORTED_VERSIONS], capabilities };
  if (core.instructions !== undefined) result.instructions = core.instructions;
  return result;
}
