/**
 * @module
 * `--read-only`, `--tools` and `--exclude-tools`, and the operator's gates (`--allow-delete`,
 * `--allow-remote`, ...), applied the same way by every server.
 */
import type { Tool } from '@plugboard/protocol';
import { UsageError, type CommonOptions } from './args.js';

type Selection = Pick<CommonOptions, 'readOnly' | 'tools' | 'excludeTools'>;

/** No operator selection: every tool, for servers built before (or without) the command line. */
export const EVERY_TOOL: Selection = { readOnly: false, tools: undefined, excludeTools: [] };

/**
 * The tools a server exposes under the operator's selection. Naming a tool that does not exist
 * is a configuration error (a typo would otherwise silently expose nothing, or everything).
 */
export function selectTools<T extends Pick<Tool, 'name' | 'annotations'>>(
  tools: readonly T[],
  options: Selection,
): T[] {
  const known = new Set(tools.map((tool) => tool.name));
  for (const name of [...(options.tools ?? []), ...options.excludeTools]) {
    if (!known.has(name))
      throw new UsageError(
        `Unknown tool "${name}" in --tools/--exclude-tools; known tools: ${[...known].join(', ')}`,
      );
  }
  const only = options.tools === undefined ? undefined : new Set(options.tools);
  const excluded = new Set(options.excludeTools);
  return tools.filter(
    (tool) =>
      (only === undefined || only.has(tool.name)) &&
      !excluded.has(tool.name) &&
      (!options.readOnly || tool.annotations.readOnlyHint),
  );
}

/** Tools that exist only when the operator turns them on. */
export interface ToolGate {
  /** The names of the tools behind this gate. */
  readonly tools: ReadonlySet<string>;
  /** What they are, for messages: "the remote tools". */
  readonly label: string;
  /** Whether the operator turned them on. */
  readonly open: boolean;
  /** How the operator turns them on, e.g. "--allow-remote (or GIT_ALLOW_REMOTE=1)". */
  readonly enable: string;
}

/** The tools to list, and the ones a closed gate holds back with the sentence that says why. */
export interface GatedTools<T> {
  readonly tools: T[];
  /** For `createServer({ disabledTools })`: a call by name is answered with this sentence. */
  readonly disabledTools: ReadonlyMap<string, string>;
}

/**
 * {@link selectTools}, then the gates: a tool behind a closed gate is not listed, and a call to
 * it by name is refused with the flag that turns it on. Naming such a tool in `--tools` is a
 * configuration error, not a silent no-op.
 */
export function gateTools<T extends Pick<Tool, 'name' | 'annotations'>>(
  tools: readonly T[],
  options: Selection,
  gates: readonly ToolGate[],
): GatedTools<T> {
  refuseClosedGates(options, gates);
  const closed = gates.filter((gate) => !gate.open);
  const disabledTools = new Map<string, string>();
  for (const gate of closed) {
    for (const tool of tools) {
      if (gate.tools.has(tool.name))
        disabledTools.set(
          tool.name,
          `${tool.name} is turned off on this server; the operator turns it on with ${gate.enable}.`,
        );
    }
  }
  return {
    tools: selectTools(tools, options).filter((tool) => !disabledTools.has(tool.name)),
    disabledTools,
  };
}

/** Naming a tool of a closed gate in `--tools` is a configuration error that names the flag. */
export function refuseClosedGates(
  options: Pick<CommonOptions, 'tools'>,
  gates: readonly ToolGate[],
): void {
  for (const gate of gates) {
    if (gate.open) continue;
    const asked = options.tools?.filter((name) => gate.tools.has(name)) ?? [];
    if (asked.length > 0)
      throw new UsageError(`--tools names ${asked.join(', ')}: ${gate.label} need ${gate.enable}`);
  }
}
