/**
 * @module
 * {@link serverLogger}: the stderr logger every server writes its own lines with. One line per
 * record at the configured level (the protocol's `stderrLogger`, which already masks token shapes
 * such as `ghp_…` and `xoxb-…` and passwords inside URLs), plus what only the server knows: the
 * values of its secret environment variables and configured secrets, masked wherever they would
 * appear, and `Bearer` credentials, whatever their shape.
 */
import { stderrLogger, type Logger, type LogLevel } from '@plugboard/protocol';
import { withSecretsMasked } from './mask-secrets.js';

/** `Authorization: Bearer <credential>` in any spelling; the credential is what is masked. */
const BEARER = /\b(Bearer\s+)[^\s"',;]+/gi;

export interface ServerLoggerOptions {
  level: LogLevel;
  /** Prefixed to every line: the server's bin name. */
  name: string;
  /** Exact values to mask (tokens from the environment, a database password). */
  secrets?: readonly string[];
  /** Where lines go; stderr by default. */
  write?: (line: string) => void;
}

export function serverLogger(options: ServerLoggerOptions): Logger {
  const write = options.write ?? ((line: string) => void process.stderr.write(line));
  const logger = stderrLogger(options.level, {
    name: options.name,
    write: (line) => write(line.replace(BEARER, '$1[redacted]')),
  });
  return withSecretsMasked(logger, options.secrets ?? []);
}

/**
 * The values of the variables in `names` that are set, and of `MCP_AUTH_TOKEN`: the secrets a
 * server's environment carries, for {@link serverLogger}.
 */
export function environmentSecrets(
  names: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): string[] {
  return ['MCP_AUTH_TOKEN', ...names]
    .map((name) => env[name]?.trim() ?? '')
    .filter((value) => value.length > 0);
}
