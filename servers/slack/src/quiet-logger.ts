/**
 * @module
 * Message bodies stay out of the logs. The protocol logs every tool call's arguments at debug
 * level (secrets redacted by key and shape); for Slack the arguments themselves are private: the
 * text of messages, search queries. {@link withoutBodies} wraps the server's logger so that those
 * arguments are logged as their length only.
 */
import type { LogFields, Logger } from '@plugboard/protocol';

/** Argument names whose values are message content or what someone searched for. */
const BODY_KEYS = new Set(['text', 'query']);

function masked(fields: LogFields | undefined): LogFields | undefined {
  const args = fields?.arguments;
  if (typeof args !== 'object' || args === null || Array.isArray(args)) return fields;
  const safe: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(args)) {
    safe[key] =
      BODY_KEYS.has(key) && typeof value === 'string' ? `[${value.length} characters]` : value;
  }
  return { ...fields, arguments: safe };
}

export function withoutBodies(logger: Logger): Logger {
  return {
    debug: (message, fields) => logger.debug(message, masked(fields)),
    info: (message, fields) => logger.info(message, masked(fields)),
    warn: (message, fields) => logger.warn(message, masked(fields)),
    error: (message, fields) => logger.error(message, masked(fields)),
    enabled: (level) => logger.enabled(level),
  };
}
