/**
 * @module
 * A logger that masks a server's configured secrets (a database password) wherever they would
 * appear, including in tool arguments logged at debug level: a model that types the password
 * into a query does not get it written to the operator's logs either.
 */
import type { LogFields, Logger } from '@plugboard/protocol';

function mask(value: unknown, secrets: readonly string[], depth = 0): unknown {
  if (typeof value === 'string') {
    return secrets.reduce((text, secret) => text.split(secret).join('[redacted]'), value);
  }
  if (typeof value !== 'object' || value === null || depth > 6) return value;
  if (Array.isArray(value)) return value.map((item) => mask(item, secrets, depth + 1));
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [key, mask(item, secrets, depth + 1)]),
  );
}

export function withSecretsMasked(logger: Logger, secrets: readonly string[]): Logger {
  const real = secrets.filter((secret) => secret.length > 0);
  if (real.length === 0) return logger;
  const wrap =
    (write: (message: string, fields?: LogFields) => void) =>
    (message: string, fields?: LogFields): void => {
      write(
        mask(message, real) as string,
        fields === undefined ? undefined : (mask(fields, real) as LogFields),
      );
    };
  return {
    debug: wrap((message, fields) => logger.debug(message, fields)),
    info: wrap((message, fields) => logger.info(message, fields)),
    warn: wrap((message, fields) => logger.warn(message, fields)),
    error: wrap((message, fields) => logger.error(message, fields)),
    enabled: (level) => logger.enabled(level),
  };
}
