/**
 * @module
 * Reads the options a README documents in its tables: a table whose first header is `flag` gives
 * the `--flags` of its first column and the variables of its `env`/`environment` column; a table
 * whose first header is `variable` or `environment` gives the variables of its first column.
 * `<SERVER>` in a name stands for the server's prefix (the common table of the top README).
 */
import type { Options } from './options-in-help.js';

/** The header and body cells of every Markdown table, in order. */
export function markdownTables(markdown: string): { header: string[]; rows: string[][] }[] {
  const tables: { header: string[]; rows: string[][] }[] = [];
  const lines = markdown.split('\n');
  for (let index = 1; index < lines.length; index++) {
    if (!/^\|\s*:?-{3,}/.test(lines[index] ?? '')) continue;
    const rows: string[][] = [];
    let next = index + 1;
    for (; /^\|/.test(lines[next] ?? ''); next++) rows.push(cells(lines[next] ?? ''));
    tables.push({ header: cells(lines[index - 1] ?? '').map((cell) => cell.toLowerCase()), rows });
    index = next;
  }
  return tables;
}

/** The cells of one table row; `\|` inside a cell is not a separator. */
function cells(line: string): string[] {
  return line
    .replace(/^\|/, '')
    .replace(/\|\s*$/, '')
    .split(/(?<!\\)\|/)
    .map((cell) => cell.trim());
}

/** The `UPPER_SNAKE` names inside backticks, without an `=value` example. */
function variables(cell: string, prefix: string): string[] {
  return [...cell.matchAll(/`([^`]+)`/g)]
    .map((match) => (match[1] ?? '').replace('<SERVER>', prefix).replace(/=.*$/, ''))
    .filter((name) => /^[A-Z][A-Z0-9_]*$/.test(name));
}

/** The options documented in the README's flag and environment tables. */
export function optionsInReadme(markdown: string, prefix: string): Options {
  const flags = new Set<string>();
  const env = new Set<string>();
  for (const { header, rows } of markdownTables(markdown)) {
    const first = header[0] ?? '';
    if (first === 'flag') {
      const envColumn = header.findIndex((cell) => /^env|^environment|^variable/.test(cell));
      for (const row of rows) {
        for (const flag of (row[0] ?? '').matchAll(/`--([a-z][a-z0-9-]*)/g))
          flags.add(flag[1] ?? '');
        if (envColumn > 0)
          for (const name of variables(row[envColumn] ?? '', prefix)) env.add(name);
      }
    } else if (first === 'variable' || first === 'environment') {
      for (const row of rows) for (const name of variables(row[0] ?? '', prefix)) env.add(name);
    }
  }
  flags.delete('help');
  flags.delete('version');
  return { flags, env };
}
