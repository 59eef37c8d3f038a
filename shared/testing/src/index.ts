/**
 * @module
 * Test helpers shared by every Plugboard package (dev-time only): real temp dirs, an official MCP
 * client connected over stdio (or Streamable HTTP) to a built server, a raw byte-level stdio peer, a local HTTP fake of
 * third-party APIs, polling without fixed sleeps, the SDK client connected in process with
 * tool-call shortcuts, a capturing logger, pinging throughout a heavy call, and oversized streamed
 * bodies with a peak-memory probe, and the 2026-07-28 tasks extension driven over stdio.
 */
export { tmpDir, waitFor, WaitTimeoutError } from '@plugboard/peers';
export type { TmpDir, WaitForOptions } from '@plugboard/peers';
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
export { spawnHttpServer } from './http-server-process.js';
export type { HttpServerOptions, HttpServerProcess } from './http-server-process.js';
export { openHttpSession } from './http-session.js';
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
export { connectedAccounts, signedInCall } from './connected-accounts.js';
export { connectHostedUser, signedAccessToken, startHostedServer } from './hosted-user.js';
export type { AccessTokenClaims, HostedIssuer, HostedServer, HostedUser } from './hosted-user.js';
export { authorizeUrl, runAuthorizationCode, tokenRequest } from './upstream-oauth.js';
export type { ConnectedAccounts } from './connected-accounts.js';
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
export { findNginx, findRedisServer, freePort, startNginx, startRedis } from '@plugboard/peers';
export type { Nginx, RedisServer } from '@plugboard/peers';
export { TASKS_EXTENSION, taskDriver } from './tasks.js';
export type { TaskDriver, TaskState } from './tasks.js';
