/**
 * @module
 * `@plugboard/protocol`: the server side of the Model Context Protocol, both generations. This
 * entry is runtime-neutral; Node transports live at `@plugboard/protocol/stdio` and `/http`, the
 * server kit at `/cli`, test helpers at `/testing`. Everything exported here is public API.
 */
export { ErrorCode } from './jsonrpc/error-code.js';
export { LocalError, LocalErrorCode, PeerError, ProtocolError } from './jsonrpc/errors.js';
export type { JsonObject, JsonRpcMessage, RequestId } from './jsonrpc/message.js';
export type { MessageExtra, SendOptions, Transport } from './jsonrpc/transport.js';
export { Connection } from './jsonrpc/connection.js';

export {
  HANDSHAKE_VERSIONS,
  LATEST_HANDSHAKE_VERSION,
  MetaKey,
  MODERN_VERSIONS,
  SUPPORTED_VERSIONS,
} from './mcp/eras/versions.js';
export type { HandshakeVersion, ModernVersion, ProtocolVersion } from './mcp/eras/versions.js';
export { createServer, McpServer } from './mcp/server.js';
export type { CachePolicy, ServerConnection, ServerOptions } from './mcp/server.js';
export type { SessionOptions } from './mcp/session.js';
export type { Era } from './mcp/exchange.js';
export type { AccessToken, RequestAuth } from './mcp/auth.js';
export type { Exposure, ExposureFacts, ToolExposure, ToolView } from './mcp/features/tool-view.js';
export type { ElicitFormParams, ElicitUrlParams, RequestContext } from './mcp/context.js';
export { InputRequired, MissingCapabilityError } from './mcp/input.js';
export { TASKS_EXTENSION } from './mcp/extensions/tasks/support.js';
export type { TaskSupport } from './mcp/extensions/tasks/support.js';
export type { TaskLimits, TaskStatus } from './mcp/extensions/tasks/store.js';
export type { InputMethod, InputRequest } from './mcp/input.js';
export { defineTool, toolFactory, ToolError } from './mcp/features/tool.js';
export type {
  AnyObjectSchema,
  Tool,
  ToolApproval,
  ToolContext,
  ToolDefinition,
  ToolImplementation,
  ToolReturn,
} from './mcp/features/tool.js';
export { lazyTools, toolManifest } from './mcp/features/tool-manifest.js';
export { canonicalJson } from './mcp/eras/modern/request-state.js';
export {
  defineResource,
  defineResourceTemplate,
  resourceFactory,
} from './mcp/features/resource.js';
export type {
  Completer,
  Resource,
  ResourceContext,
  ResourceTemplate,
  ResourceTemplateDefinition,
} from './mcp/features/resource.js';
export type { ResourceListPage } from './mcp/features/resource-listing.js';
export { definePrompt, promptFactory } from './mcp/features/prompt.js';
export type { Prompt, PromptArgumentDefinition, PromptDefinition } from './mcp/features/prompt.js';
export { resourceNotFound } from './mcp/features/handlers.js';
export { UriTemplate } from './mcp/features/uri-template.js';
export type { UriVariables } from './mcp/features/uri-template.js';
export {
  audio,
  base64,
  embedded,
  errorResult,
  image,
  structured,
  text,
  textContent,
} from './mcp/features/content.js';
export { MCP_LOG_LEVELS } from './mcp/types.js';
export type * from './mcp/types.js';

export {
  DEFAULT_OUTPUT_BUDGET,
  jsonSize,
  takeWithinBudget,
  truncateText,
  utf8Length,
} from './kit/budget.js';
export type { BudgetedItems, TruncatedText } from './kit/budget.js';
export { MAX_CURSOR_LENGTH, packCursor, unpackCursor } from './kit/cursor.js';
export { callDeadline, settleOrAbort } from './kit/abort.js';
export { checkEntry, DEFAULT_STORE_LIMITS, StoreError } from './store/store.js';
export type { AppendOptions, Store, StoreLimits, Unsubscribe } from './store/store.js';
export { createMemoryStore, DEFAULT_MEMORY_ENTRIES } from './store/memory.js';
export type { MemoryStoreLimits } from './store/memory.js';
export { sealStore } from './store/sealed.js';
export { LOG_LEVELS, nullLogger, redact, redactText, stderrLogger } from './log.js';
export type { LogFields, Logger, LogLevel, StderrLoggerOptions } from './log.js';
