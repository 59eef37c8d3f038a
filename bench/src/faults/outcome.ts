/**
 * @module
 * What one fault did to one server, and the table the harness prints (Markdown, so it can go
 * into the top README as measured).
 */

export interface Outcome {
  readonly fault: string;
  /** "filesystem (ours)", "server-filesystem (official)". */
  readonly server: string;
  /** True when nothing was lost or left behind; undefined when the fault could not be run. */
  readonly ok: boolean | undefined;
  /** What happened, in a few words with the counts. */
  readonly result: string;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** The outcomes as a Markdown table: fault, server, result, and a verdict column. */
export function renderOutcomes(outcomes: readonly Outcome[]): string {
  const verdict = (ok: boolean | undefined): string =>
    ok === undefined ? 'not run' : ok ? 'ok' : 'LOSES';
  const rows = outcomes.map(
    (o) => `| ${cell(o.fault)} | ${cell(o.server)} | ${verdict(o.ok)} | ${cell(o.result)} |`,
  );
  return ['| fault | server | verdict | what happened |', '|---|---|---|---|', ...rows].join('\n');
}
