/**
 * @module
 * {@link argumentSummary}: what a person reads before approving a call of a tool that gives no
 * summary of its own: every argument, by name, in full up to a generous cut that says so.
 */

const MOST_CHARACTERS = 4000;

function render(value: unknown): string {
  const shown = typeof value === 'string' ? value : JSON.stringify(value, null, 2);
  const whole = shown ?? String(value);
  return whole.length <= MOST_CHARACTERS
    ? whole
    : `${whole.slice(0, MOST_CHARACTERS)}\n… (${whole.length - MOST_CHARACTERS} more characters)`;
}

/** `tool` and each of its arguments, one per line (multi-line values indented under their name). */
export function argumentSummary(tool: string, args: unknown): string {
  const entries =
    typeof args === 'object' && args !== null
      ? Object.entries(args as Record<string, unknown>)
      : [];
  if (entries.length === 0) return `Run ${tool} with no arguments.`;
  const lines = entries
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => `${name}: ${render(value).replaceAll('\n', '\n  ')}`);
  return [`Run ${tool} with:`, ...lines].join('\n');
}
