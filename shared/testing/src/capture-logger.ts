/**
 * @module
 * A logger that remembers what it was given, so a test can assert on what a server logs (and,
 * above all, on what it never logs: tokens, secrets, request bodies).
 */
import type { LogFields, Logger } from '@plugboard/protocol';

/** What `captureLogger` returns: the logger to hand the server and every line it wrote. */
export interface CapturedLog {
  readonly logger: Logger;
  /** One line per call, `"<level> <message> <fields as JSON>"`, in order. */
  readonly lines: string[];
}

/** A logger that keeps every line it is given, at every level, for assertions on what is logged. */
export function captureLogger(): CapturedLog {
  const lines: string[] = [];
  const keep =
    (level: string) =>
    (message: string, fields?: LogFields): void => {
      lines.push(`${level} ${message} ${fields === undefined ? '' : JSON.stringify(fields)}`);
    };
  return {
    lines,
    logger: {
      debug: keep('debug'),
      info: keep('info'),
      warn: keep('warn'),
      error: keep('error'),
      enabled: () => true,
    },
  };
}
