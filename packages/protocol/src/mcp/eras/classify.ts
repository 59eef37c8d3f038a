/**
 * @module
 * The one place that decides which protocol era an inbound request belongs to, and validates the
 * 2026-07-28 per-request envelope (mcp-spec 1.4, 2.3). Every transport asks here: stdio and the
 * in-memory transport through the session, HTTP before it picks stateless or session handling.
 * A new revision is a new folder under `eras/` and a line in {@link classifyRequest}.
 */
import { ErrorCode } from '../../jsonrpc/error-code.js';
import { ProtocolError } from '../../jsonrpc/errors.js';
import { isObject, isRequestId, type JsonObject, type RequestId } from '../../jsonrpc/message.js';
import type { Era } from '../exchange.js';
import {
  isMcpLogLevel,
  type ClientCapabilities,
  type Implementation,
  type McpLogLevel,
} from '../types.js';
import { isModernVersion, MetaKey, MODERN_VERSIONS, type ModernVersion } from './versions.js';

/**
 * Longest progress token accepted, in characters. Every progress notification echoes the token,
 * so an unbounded one multiplies a request's size by its notifications; longer ones are refused.
 */
export const MAX_PROGRESS_TOKEN_LENGTH = 256;

/** Methods that exist only in 2026-07-28 and so always take that path. */
const MODERN_ONLY = new Set(['server/discover', 'subscriptions/listen']);

interface Classified {
  readonly method: string;
  readonly params: JsonObject;
  readonly meta: JsonObject | undefined;
  readonly progressToken: RequestId | undefined;
}

export interface HandshakeRequest extends Classified {
  readonly era: 'handshake';
}

/** A 2026-07-28 request whose envelope has been read and checked. */
export interface ModernRequest extends Classified {
  readonly era: 'modern';
  readonly protocolVersion: ModernVersion;
  readonly clientCapabilities: ClientCapabilities;
  readonly clientInfo: Implementation | undefined;
  readonly logLevel: McpLogLevel | undefined;
}

export type ClassifiedRequest = HandshakeRequest | ModernRequest;

/** A malformed 2026-07-28 envelope. `missing`: a required `_meta` member is absent. */
export class EnvelopeError extends ProtocolError {
  readonly missing: boolean;

  constructor(code: number, message: string, missing: boolean, data?: JsonObject) {
    super(code, message, data);
    this.missing = missing;
  }
}

export function metaOf(params: JsonObject | undefined): JsonObject | undefined {
  return isObject(params?._meta) ? params._meta : undefined;
}

export interface EraHints {
  /** HTTP: the `MCP-Protocol-Version` header, when present. */
  readonly versionHeader?: string | undefined;
  /** Every request is 2026-07-28 (stateless HTTP): one without `_meta` is malformed, not handshake. */
  readonly modernOnly?: boolean;
}

/**
 * The era of a request: 2026-07-28 when its `_meta` names a protocol version or client
 * capabilities, when the HTTP version header names a 2026 revision, or when the method exists
 * only there (`method` is left out by HTTP, which sends anything else to a session); the
 * handshake era otherwise.
 */
export function eraOf(meta: JsonObject | undefined, method?: string, hints: EraHints = {}): Era {
  if (hints.modernOnly === true) return 'modern';
  if (
    meta !== undefined &&
    (Object.hasOwn(meta, MetaKey.ProtocolVersion) ||
      Object.hasOwn(meta, MetaKey.ClientCapabilities))
  )
    return 'modern';
  if (method !== undefined && MODERN_ONLY.has(method)) return 'modern';
  return isModernVersion(hints.versionHeader?.trim()) ? 'modern' : 'handshake';
}

function missing(key: string): EnvelopeError {
  return new EnvelopeError(
    ErrorCode.InvalidParams,
    `params._meta["${key}"] is required on every 2026-07-28 request`,
    true,
  );
}

/**
 * The `_meta` member every 2026-07-28 request must carry that this one lacks, if any: stateless
 * HTTP refuses those with 400 before anything else looks at the request.
 */
export function missingEnvelopeMember(meta: JsonObject | undefined): EnvelopeError | undefined {
  if (typeof meta?.[MetaKey.ProtocolVersion] !== 'string') return missing(MetaKey.ProtocolVersion);
  if (!isObject(meta[MetaKey.ClientCapabilities])) return missing(MetaKey.ClientCapabilities);
  return undefined;
}

/**
 * Classifies one request and, for 2026-07-28, validates its envelope: throws an
 * {@link EnvelopeError} naming the first thing wrong (a progress token over
 * {@link MAX_PROGRESS_TOKEN_LENGTH} in either era; then for 2026-07-28: version missing,
 * unsupported, capabilities missing, log level not a level), in that order.
 */
export function classifyRequest(
  method: string,
  params: JsonObject,
  hints: EraHints = {},
): ClassifiedRequest {
  const meta = metaOf(params);
  const token = meta?.progressToken;
  const progressToken = isRequestId(token) ? token : undefined;
  if (typeof progressToken === 'string' && progressToken.length > MAX_PROGRESS_TOKEN_LENGTH)
    throw new EnvelopeError(
      ErrorCode.InvalidParams,
      `params._meta.progressToken is ${progressToken.length} characters long; at most ${MAX_PROGRESS_TOKEN_LENGTH} are accepted`,
      false,
    );
  if (eraOf(meta, method, hints) === 'handshake')
    return { era: 'handshake', method, params, meta, progressToken };
  const version = meta?.[MetaKey.ProtocolVersion];
  if (typeof version !== 'string') throw missing(MetaKey.ProtocolVersion);
  if (!isModernVersion(version)) {
    throw new EnvelopeError(
      ErrorCode.UnsupportedProtocolVersion,
      `Unsupported protocol version: ${version.slice(0, 40)}`,
      false,
      { supported: [...MODERN_VERSIONS], requested: version },
    );
  }
  const clientCapabilities = meta?.[MetaKey.ClientCapabilities];
  if (!isObject(clientCapabilities)) throw missing(MetaKey.ClientCapabilities);
  const logLevel = meta?.[MetaKey.LogLevel];
  if (logLevel !== undefined && !isMcpLogLevel(logLevel))
    throw new EnvelopeError(
      ErrorCode.InvalidParams,
      `params._meta["${MetaKey.LogLevel}"] is not a log level`,
      false,
    );
  const clientInfo = meta?.[MetaKey.ClientInfo];
  return {
    era: 'modern',
    method,
    params,
    meta,
    progressToken,
    protocolVersion: version,
    clientCapabilities,
    clientInfo: isObject(clientInfo) ? (clientInfo as unknown as Implementation) : undefined,
    logLevel,
  };
}
