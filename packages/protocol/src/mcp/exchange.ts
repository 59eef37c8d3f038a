/**
 * @module
 * An {@link Exchange} is everything the protocol knows about one incoming request, whichever
 * generation of the protocol it came in: who asked, with which capabilities, how to send a
 * notification that belongs to it, and (2026-07-28) the answers the client already gave.
 */
import type { JsonObject, RequestId } from '../jsonrpc/message.js';
import type { RequestAuth } from './auth.js';
import type { ClientCapabilities, Implementation, McpLogLevel } from './types.js';

export type Era = 'handshake' | 'modern';

export type InputMethod = 'elicitation/create' | 'sampling/createMessage' | 'roots/list';

/** A question for the client (elicitation, sampling, roots), asked the way the request's era allows. */
export interface InputRequest {
  method: InputMethod;
  params?: JsonObject;
}

export interface Exchange {
  readonly era: Era;
  readonly id: RequestId;
  readonly method: string;
  readonly protocolVersion: string;
  readonly clientCapabilities: ClientCapabilities;
  readonly clientInfo: Implementation | undefined;
  readonly signal: AbortSignal;
  /** Who asked, when the transport signed the caller in (HTTP with sign-in). */
  readonly auth: RequestAuth | undefined;
  /** Minimum level of `notifications/message` the client wants for this request; none when undefined. */
  readonly logLevel: McpLogLevel | undefined;
  readonly progressToken: RequestId | undefined;
  /** Sends a notification on this request's stream. */
  notify(method: string, params: JsonObject): Promise<void>;
  /** Sends a request to the client (handshake era only). */
  request(method: string, params: JsonObject | undefined): Promise<JsonObject>;
  /** 2026-07-28: answers to input requests, from this round and earlier ones. */
  readonly answers: ReadonlyMap<string, JsonObject> | undefined;
  /**
   * Inside a task (tasks extension): waits for answers to `requests` instead of ending the round
   * with an input-required result. Absent everywhere else.
   */
  readonly awaitInput?:
    | ((requests: ReadonlyMap<string, InputRequest>) => Promise<ReadonlyMap<string, JsonObject>>)
    | undefined;
  /**
   * Turns the rest of a task-capable tool call into a task (tasks extension); resolves with
   * whether the call now runs as one. Absent when the call cannot become a task.
   */
  readonly continueAsTask?: () => Promise<boolean>;
}
