/**
 * @module
 * Every numeric error code that crosses the wire, JSON-RPC's own and MCP's, in one place.
 */

/** JSON-RPC 2.0 codes and the MCP codes of both protocol generations. */
export const ErrorCode = {
  ParseError: -32700,
  InvalidRequest: -32600,
  MethodNotFound: -32601,
  InvalidParams: -32602,
  InternalError: -32603,
  /** Handshake era only (2024-11-05 to 2025-11-25); the 2026-07-28 revision uses InvalidParams. */
  ResourceNotFound: -32002,
  /** 2025-11-25 only. */
  UrlElicitationRequired: -32042,
  /** 2026-07-28: HTTP headers missing, malformed or different from the body. */
  HeaderMismatch: -32020,
  /** 2026-07-28: the request needs a client capability the client did not declare. */
  MissingRequiredClientCapability: -32021,
  /** 2026-07-28: the request names a protocol version this server does not speak. */
  UnsupportedProtocolVersion: -32022,
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];
