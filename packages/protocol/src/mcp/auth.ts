/**
 * @module
 * Who made a request, when the transport signed the caller in (HTTP with sign-in): the verified
 * {@link AccessToken} and what its grant allows. The transport hands a {@link RequestAuth} in
 * with each message; tool handlers read the token as `ctx.auth`, and every log line of the
 * request names the user through {@link requestLogger}. The token string itself is never here.
 */
import type { LogFields, Logger } from '../log.js';

/** A token that passed every check, as request handlers see it. */
export interface AccessToken {
  /** The user (`sub`), the one stable identity to key anything per user on. */
  readonly subject: string;
  /** A name to show, when the token carries one (`name`, `preferred_username`, `email`). */
  readonly displayName: string | undefined;
  /** Granted scopes (`scope`, or `scp`). */
  readonly scopes: readonly string[];
  /** The OAuth client the token was issued to (`client_id`, `azp`), when known. */
  readonly clientId: string | undefined;
  /** Seconds since the epoch. */
  readonly expiresAt: number | undefined;
  /** Every claim of the token (or of the introspection answer), for what comes after sign-in. */
  readonly claims: Readonly<Record<string, unknown>>;
}

/** What sign-in hands the protocol with one request. */
export interface RequestAuth {
  readonly token: AccessToken;
  /**
   * The write scope, when the token lacks it: the caller is exposed the read-only tools alone
   * (the server's `exposure` for `{ readOnly: true }`). Undefined when the caller may write.
   */
  readonly missingWriteScope: string | undefined;
}

/** The fields that name the caller in a log line: the user, and the client when known. */
export function callerFields(auth: RequestAuth | undefined): LogFields {
  if (auth === undefined) return {};
  const { subject, clientId } = auth.token;
  return clientId === undefined || clientId === subject
    ? { user: subject }
    : { user: subject, client: clientId };
}

/** `logger` with the caller named in every line; `logger` itself when nobody signed in. */
export function requestLogger(logger: Logger, auth: RequestAuth | undefined): Logger {
  if (auth === undefined) return logger;
  const caller = callerFields(auth);
  const add = (fields?: LogFields): LogFields =>
    fields === undefined ? caller : { ...caller, ...fields };
  return {
    debug: (message, fields) => logger.debug(message, add(fields)),
    info: (message, fields) => logger.info(message, add(fields)),
    warn: (message, fields) => logger.warn(message, add(fields)),
    error: (message, fields) => logger.error(message, add(fields)),
    enabled: (level) => logger.enabled(level),
  };
}
