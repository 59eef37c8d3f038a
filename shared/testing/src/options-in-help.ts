/**
 * @module
 * Reads the options a server's `--help` text offers: every `--flag` that starts an option row, and
 * every environment variable it names (the `[env X]` twins, the names listed under an
 * `Environment:` heading, and any `UPPER_SNAKE` name in the prose; the usage line's placeholders
 * are not variables).
 */

/** Flags (without dashes) and environment variable names. */
export interface Options {
  readonly flags: ReadonlySet<string>;
  readonly env: ReadonlySet<string>;
}

/** The flags every command prints and nobody documents in a table. */
const BUILT_IN = new Set(['help', 'version']);

const OPTION_ROW = /^ {2,}--([a-z][a-z0-9-]*)/;
const SNAKE_NAME = /\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b/g;
const LISTED_NAMES = /^ {2}([A-Z][A-Z0-9_]*(?:, [A-Z][A-Z0-9_]*)*)(?:=\S*)?(?: |$)/;

/** The options of one `--help` text. */
export function optionsInHelp(help: string): Options {
  const flags = new Set<string>();
  const env = new Set<string>();
  let inEnvironment = false;
  for (const line of help.split('\n')) {
    const row = OPTION_ROW.exec(line);
    if (row?.[1] !== undefined && !BUILT_IN.has(row[1])) flags.add(row[1]);
    for (const twin of line.matchAll(/\[env ([A-Z][A-Z0-9_]*)\]/g)) env.add(twin[1] ?? '');
    if (/^\S/.test(line)) inEnvironment = /^Environment:/.test(line);
    const listed = inEnvironment ? LISTED_NAMES.exec(line) : null;
    for (const name of listed?.[1]?.split(', ') ?? []) env.add(name);
    if (line.startsWith('Usage:')) continue; // placeholders such as DATA_DIR, not variables
    for (const name of line.matchAll(SNAKE_NAME)) env.add(name[0]);
  }
  return { flags, env };
}
