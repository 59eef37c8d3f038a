/**
 * @module
 * The two error families. A {@link ProtocolError} crosses the wire as a JSON-RPC error; a
 * {@link LocalError} never leaves the process. Anything else thrown by a handler is a bug and
 * becomes an InternalError with a generic message (the stack goes to stderr only).
 */
import type { Logger } from '../log.js';
import { ErrorCode } from './error-code.js';

/** An error that is sent to the peer as `{ code, message, data }`. */
export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';
  readonly code: number;
  readonly data: unknown;

  constructor(code: number, message: string, data?: unknown) {
    super(message);
    this.code = code;
    this.data = data;
  }

  toJSON(): { code: number; message: string; data?: unknown } {
    return this.data === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, data: this.data };
  }

  static invalidParams(message: string, data?: unknown): ProtocolError {
    return new ProtocolError(ErrorCode.InvalidParams, message, data);
  }

  static methodNotFound(method: string): ProtocolError {
    return new ProtocolError(ErrorCode.MethodNotFound, `Method not found: ${method}`);
  }

  static invalidRequest(message: string): ProtocolError {
    return new ProtocolError(ErrorCode.InvalidRequest, message);
  }
}

/** Why a local operation failed. These strings never go on the wire. */
export const LocalErrorCode = {
  ConnectionClosed: 'CONNECTION_CLOSED',
  RequestTimeout: 'REQUEST_TIMEOUT',
  RequestCancelled: 'REQUEST_CANCELLED',
  MessageTooLarge: 'MESSAGE_TOO_LARGE',
  NotSupported: 'NOT_SUPPORTED',
} as const;

export type LocalErrorCode = (typeof LocalErrorCode)[keyof typeof LocalErrorCode];

/** A failure inside this process: a closed connection, a timeout, a cancelled wait. */
export class LocalError extends Error {
  override readonly name = 'LocalError';
  readonly code: LocalErrorCode;

  constructor(code: LocalErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

/** A peer's error response, raised where a server-to-client request was awaited. */
export class PeerError extends Error {
  override readonly name = 'PeerError';
  readonly code: number;
  readonly data: unknown;

  constructor(code: number, message: string, data?: unknown) {
    super(message);
    this.code = code;
    this.data = data;
  }
}

/**
 * The one place a handler's failure becomes a JSON-RPC error: a {@link ProtocolError} as it is,
 * anything else logged with its stack and answered as -32603 without it.
 */
export function toWireError(
  method: string,
  error: unknown,
  logger: Logger,
): { code: number; message: string; data?: unknown } {
  if (error instanceof ProtocolError) return error.toJSON();
  logger.error(`request ${method} failed`, {
    error: error instanceof Error ? error.message : String(error),
    stack: error instanceof Error ? error.stack : undefined,
  });
  return { code: ErrorCode.InternalError, message: `Internal error while handling ${method}` };
}
