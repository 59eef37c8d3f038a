/**
 * @module
 * Test helpers shared by every Plugboard package (dev-time only): real temp dirs, an official MCP
 * client connected over stdio (or Streamable HTTP) to a built server, a raw byte-level stdio peer, a local HTTP fake of
 * third-party APIs, polling without fixed sleeps, the SDK client connected in process with
 * tool-call shortcuts, a capturing logger, pinging throughout a heavy call, and oversized streamed
 * bodies with a peak-memory probe, and the 2026-07-28 tasks extension driven over stdio.
 */
export { tmpDir } from './tmp-dir.js';
export type { TmpDir } from './tmp-dir.js';
export { waitFor, WaitTimeoutError } from './wait-for.js';
export type { WaitForOptions } from './wait-for.js';
export { connectStdio } from './connect-stdio.js';
export type {
  ClientOf,
  ConnectStdioOptions,
  SdkGeneration,
  StdioConnection,
} from './connect-stdio.js';
export { connectApproving } from './approving-client.js';
export type { ApprovalAnswer, ApprovingConnection, ApprovingOptions } from './approving-client.js';
export { connectHttp } from './connect-http.js';
export type { ConnectHttpOptions, HttpConnection } from './connect-http.js';
export { defaultEnvironment, rawStdio } from './raw-stdio.js';
export { pingThroughout } from './ping-throughout.js';
export type { Pinged, Pinger } from './ping-throughout.js';
export { runOnce } from './run-once.js';
export { startupBuiltins } from './startup-builtins.js';
export type { RunResult } from './run-once.js';
export type {
  ExitStatus,
  HandshakeOptions,
  RawStdioOptions,
  RawStdioPeer,
  WaitOptions,
} from './raw-stdio.js';
export { fakeHttp } from './fake-http.js';
export type {
  FakeHandler,
  FakeHttp,
  FakeResponse,
  FakeRoutes,
  RecordedRequest,
} from './fake-http.js';
export {
  hasMethod,
  isJsonObject,
  isJsonRpcMessage,
  isResponseTo,
  jsonRpcProblem,
} from './json-rpc.js';
export type { JsonObject, JsonRpcMessage } from './json-rpc.js';
export {
  callWhilePinging,
  LOOK_ALIKE_CLOSING_TAGS,
  peakResidentBytes,
  streamedBody,
} from './oversized-body.js';
export type {
  OversizedCall,
  SpawnedServer,
  StreamedBody,
  StreamedBodyOptions,
} from './oversized-body.js';
export { captureLogger } from './capture-logger.js';
export type { CapturedLog } from './capture-logger.js';
export { connectInProcess, serverHarness, textOf, toolCalls } from './tool-calls.js';
export type {
  CallTool,
  ConnectableServer,
  ConnectInProcessOptions,
  ServerHarness,
  ToolCallOptions,
  ToolCalls,
  ToolResultLike,
} from './tool-calls.js';
export { freePort } from './free-port.js';
export { findRedisServer, startRedis } from './redis-server.js';
export type { RedisServer } from './redis-server.js';
export { findNginx, startNginx } from './nginx.js';
export type { Nginx } from './nginx.js';
export { TASKS_EXTENSION, taskDriver } from './tasks.js';
export type { TaskDriver, TaskState } from './tasks.js';
