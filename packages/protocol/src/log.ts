/**
 * @module
 * The logger every package takes as a dependency. Libraries default to {@link nullLogger}; the
 * servers' `main.ts` passes {@link stderrLogger}. stdout is never written here: on stdio it is
 * the protocol.
 */

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export type LogFields = Readonly<Record<string, unknown>>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** True when a call at this level would be written; lets callers skip building costly fields. */
  enabled(level: LogLevel): boolean;
}

const noop = (): void => undefined;

/** Discards everything. The default wherever a logger is optional. */
export const nullLogger: Logger = Object.freeze({
  debug: noop,
  info: noop,
  warn: noop,
  error: noop,
  enabled: () => false,
});

const SECRET_KEY = /token|secret|password|passwd|authorization|api[-_]?key|credential|cookie/i;
const SECRET_VALUE =
  /\b(gh[pousr]_[A-Za-z0-9]{10,}|github_pat_[A-Za-z0-9_]{10,}|xox[abposr]-[A-Za-z0-9-]{10,}|ya29\.[A-Za-z0-9._-]{10,}|1\/\/[A-Za-z0-9_-]{20,})/g;
const URL_PASSWORD = /(\b[a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)[^@/\s]*@/gi;

/** Masks known token shapes and passwords inside URLs. Used on every string that leaves. */
export function redactText(text: string): string {
  return text.replace(SECRET_VALUE, '[redacted]').replace(URL_PASSWORD, '$1[redacted]@');
}

/** `fields` with the values under `keys` replaced by their length (or `[private]`), for logs. */
export function lengthsOnly(
  fields: Record<string, unknown>,
  keys: readonly string[],
): Record<string, unknown> {
  const out = { ...fields };
  for (const key of keys) {
    if (!Object.hasOwn(out, key)) continue;
    const value = out[key];
    out[key] = typeof value === 'string' ? `[${value.length} characters]` : '[private]';
  }
  return out;
}

/** Deep copy with secret-looking keys replaced and secret-looking strings masked. */
export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactText(value);
  if (typeof value !== 'object' || value === null) return value;
  if (depth > 8) return '[…]';
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = SECRET_KEY.test(key) ? '[redacted]' : redact(item, depth + 1);
  }
  return out;
}

function formatValue(value: unknown): string {
  if (typeof value === 'string') return /^[\w./:@-]+$/.test(value) ? value : JSON.stringify(value);
  if (value instanceof Error) return JSON.stringify(value.message);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return '"[unserialisable]"';
  }
}

export interface StderrLoggerOptions {
  /** Prefixed to every line, usually the server's bin name. */
  name?: string;
  /** Where lines go; `process.stderr.write` by default. */
  write?: (line: string) => void;
}

/** A process's stderr where the runtime has one (Node, Bun, Deno), else the console's error stream. */
function defaultWrite(): (line: string) => void {
  const stderr = (globalThis as { process?: { stderr?: { write(line: string): unknown } } }).process
    ?.stderr;
  if (stderr !== undefined) return (line) => void stderr.write(line);
  return (line) => console.error(line.trimEnd()); // runtimes without a process object
}

/** One line per event on stderr: `name LEVEL message key=value …`, secrets redacted. */
export function stderrLogger(level: LogLevel, options: StderrLoggerOptions = {}): Logger {
  const threshold = LOG_LEVELS.indexOf(level);
  const write = options.write ?? defaultWrite();
  const prefix = options.name === undefined ? '' : `${options.name} `;
  const emit = (at: LogLevel, message: string, fields?: LogFields): void => {
    if (LOG_LEVELS.indexOf(at) < threshold) return;
    let line = `${prefix}${at.toUpperCase()} ${redactText(message)}`;
    if (fields !== undefined) {
      for (const [key, value] of Object.entries(redact(fields) as LogFields)) {
        line += ` ${key}=${formatValue(value)}`;
      }
    }
    write(`${line.replace(/[\r\n]+/g, ' ')}\n`);
  };
  return {
    debug: (message, fields) => emit('debug', message, fields),
    info: (message, fields) => emit('info', message, fields),
    warn: (message, fields) => emit('warn', message, fields),
    error: (message, fields) => emit('error', message, fields),
    enabled: (at) => LOG_LEVELS.indexOf(at) >= threshold,
  };
}
