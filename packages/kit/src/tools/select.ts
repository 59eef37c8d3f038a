/**
 * @module
 * {@link exposeTools}: the one way every server decides which of its tools exist. Each tool
 * declares when it is available (`toolset`, `requires`, and `readOnlyHint` for `--read-only`);
 * the server says what its gates and toolsets are; the operator's `--tools`, `--exclude-tools`,
 * `--read-only` and `--toolsets` choose among them. It is a pure function of (declarations,
 * configuration, facts), so a server may call it again per request with facts it learns then
 * (an OAuth scope that allows reading only: `{ readOnly: true }`).
 */
import type { Tool } from '@plugboard/protocol';
import { UsageError, type CommonOptions } from '../cli/args.js';
import { closestName } from './closest.js';

/** The operator's choice of tools, from the common flags. */
export type Selection = Pick<CommonOptions, 'readOnly' | 'tools' | 'excludeTools'>;

/** No operator selection: every tool, for servers built without the command line. */
export const EVERY_TOOL: Selection = { readOnly: false, tools: undefined, excludeTools: [] };

/** What the pipeline reads of a tool: its name, its declarations and whether it only reads. */
export type DeclaredTool = Pick<Tool, 'name' | 'annotations' | 'toolset' | 'requires'>;

/**
 * Something the operator turns on, which the tools that name it in `requires` need. Closed, it
 * either refuses (the tool stays known: a call by name is answered with the flag that turns it
 * on, and naming it in `--tools` is a start-up error) or withholds (the tool is simply not
 * offered, as when it needs a credential the configuration does not have).
 */
export interface ToolGate {
  /** Whether the operator turned it on. */
  readonly open: boolean;
  /** What its tools are, for messages: "the remote tools". */
  readonly label: string;
  /** How the operator turns it on, e.g. "--allow-remote (or GIT_ALLOW_REMOTE=1)". */
  readonly enable: string;
  /** What a closed gate does to its tools; `refuse` unless said. */
  readonly whenClosed?: 'refuse' | 'withhold';
}

/**
 * A server's gates, by the names its tools use in `requires`. When a tool needs several closed
 * refusing gates, the last in this order names its flag.
 */
export type ToolGates = Readonly<Record<string, ToolGate>>;

/** How a server reads `--toolsets`. */
export interface ToolsetOptions {
  /** `--toolsets` as given (`all` is every declared toolset), or undefined when not given. */
  readonly chosen: readonly string[] | undefined;
  /** The toolsets that are on when `--toolsets` is not given. */
  readonly defaults: readonly string[];
  /**
   * What becomes of a tool none of whose toolsets is on. `unlisted`: it is not listed unless
   * `--tools` names it (and `--tools` without `--toolsets` turns the defaults off, so it names
   * exactly the tools). `refused`: as behind a closed gate, labelled "the NAME tools" and turned
   * on with {@link enable}. A tool that declares no toolset is always in.
   */
  readonly outside: 'unlisted' | 'refused';
  /** How the operator turns a toolset on, e.g. "--toolsets input (or PUPPETEER_TOOLSETS=input)". */
  readonly enable?: (toolset: string) => string;
}

/** A server's part of the configuration, beside the operator's {@link Selection}. */
export interface ToolConfiguration {
  readonly selection: Selection;
  readonly gates?: ToolGates;
  readonly toolsets?: ToolsetOptions;
}

/**
 * What is known only when a request comes (hosted mode): `readOnly` when the caller's grant
 * allows reading only, which lists the read-only tools alone, as `--read-only` does.
 */
export interface RequestFacts {
  readonly readOnly?: boolean;
}

/** A tool the operator selected that closed withholding gates keep back. */
export interface WithheldTool {
  readonly name: string;
  /** Every closed gate it needs, in the server's order: each flag is still missing. */
  readonly gates: readonly ToolGate[];
}

/** What a server exposes. */
export interface ExposedTools<T> {
  /** The tools to list, in registry order. */
  readonly tools: T[];
  /** For `createServer({ disabledTools })`: a call by name is answered with this sentence. */
  readonly disabledTools: ReadonlyMap<string, string>;
  /** Selected tools that a closed withholding gate keeps back, for the server to log. */
  readonly withheld: readonly WithheldTool[];
}

/**
 * The tools a server exposes under its configuration. A tool behind a closed refusing gate is not
 * listed and a call to it by name is refused with the flag that turns it on. Naming a tool that
 * does not exist in `--tools` or `--exclude-tools` (or a toolset that does not exist in
 * `--toolsets`) is a start-up error naming the closest one; naming a tool behind a closed
 * refusing gate in `--tools` is a start-up error naming the flag.
 */
export function exposeTools<T extends DeclaredTool>(
  tools: readonly T[],
  configuration: ToolConfiguration,
  facts: RequestFacts = {},
): ExposedTools<T> {
  const { selection } = configuration;
  refuseUnknownTools(tools, selection);
  const toolsets = activeToolsets(tools, configuration);
  const gates = gatesOf(tools, configuration, toolsets);
  refuseClosedGates(gates, selection);
  const disabledTools = new Map<string, string>();
  const withheld: WithheldTool[] = [];
  const exposed: T[] = [];
  for (const tool of tools) {
    const closed = gates.filter(({ gate, members }) => !gate.open && members.has(tool.name));
    const refusing = closed.filter(({ gate }) => gate.whenClosed !== 'withhold').at(-1);
    if (refusing !== undefined)
      disabledTools.set(
        tool.name,
        `${tool.name} is turned off on this server; the operator turns it on with ${refusing.gate.enable}.`,
      );
    else if (!isSelected(tool, selection, toolsets, facts)) continue;
    else if (closed.length > 0)
      withheld.push({ name: tool.name, gates: closed.map(({ gate }) => gate) });
    else exposed.push(tool);
  }
  return { tools: exposed, disabledTools, withheld };
}

/** The toolsets a tool declares, as a list. */
export function toolsetsOf(tool: Pick<Tool, 'toolset'>): readonly string[] {
  return tool.toolset === undefined
    ? []
    : typeof tool.toolset === 'string'
      ? [tool.toolset]
      : tool.toolset;
}

/** A gate and the tools behind it. */
interface GateMembers {
  readonly gate: ToolGate;
  readonly members: ReadonlySet<string>;
}

/** The toolsets that are on, with their mode; undefined when the server has no toolsets. */
interface ActiveToolsets {
  readonly on: ReadonlySet<string>;
  readonly options: ToolsetOptions;
}

function refuseUnknownTools(tools: readonly DeclaredTool[], selection: Selection): void {
  const known = tools.map((tool) => tool.name);
  for (const name of [...(selection.tools ?? []), ...selection.excludeTools]) {
    if (!known.includes(name))
      throw new UsageError(
        `Unknown tool "${name}" in --tools/--exclude-tools (the closest is ${closestName(name, known) ?? 'none'}); known tools: ${known.join(', ')}`,
      );
  }
}

function activeToolsets(
  tools: readonly DeclaredTool[],
  { selection, toolsets: options }: ToolConfiguration,
): ActiveToolsets | undefined {
  if (options === undefined) return undefined;
  const known = [...new Set(tools.flatMap(toolsetsOf))];
  const chosen = options.chosen?.flatMap((name) => (name === 'all' ? known : [name]));
  for (const name of chosen ?? []) {
    if (!known.includes(name))
      throw new UsageError(
        `Unknown toolset "${name}" in --toolsets (the closest is ${closestName(name, known) ?? 'none'}); known: all, ${known.join(', ')}`,
      );
  }
  const fallback =
    options.outside === 'unlisted' && selection.tools !== undefined ? [] : options.defaults;
  return { on: new Set(chosen ?? fallback), options };
}

/**
 * The server's gates with their tools, in the server's order, then one gate per toolset that is
 * off when the server refuses tools outside its toolsets. A name in `requires` that is none of
 * the server's gates is a programming error.
 */
function gatesOf(
  tools: readonly DeclaredTool[],
  { gates = {} }: ToolConfiguration,
  toolsets: ActiveToolsets | undefined,
): GateMembers[] {
  for (const tool of tools)
    for (const name of tool.requires ?? [])
      if (!Object.hasOwn(gates, name))
        throw new TypeError(
          `Tool ${tool.name} requires "${name}", which is not one of this server's gates (${Object.keys(gates).join(', ') || 'none'})`,
        );
  const declared = Object.entries(gates).map(([name, gate]) => ({
    gate,
    members: new Set(
      tools.filter((tool) => tool.requires?.includes(name)).map((tool) => tool.name),
    ),
  }));
  if (toolsets?.options.outside !== 'refused') return declared;
  const { on, options } = toolsets;
  const enable = options.enable ?? ((name: string) => `--toolsets ${name}`);
  const byToolset = [...new Set(tools.flatMap(toolsetsOf))].map((name) => ({
    gate: { open: on.has(name), label: `the ${name} tools`, enable: enable(name) },
    members: new Set(
      tools
        .filter(
          (tool) => toolsetsOf(tool).includes(name) && !toolsetsOf(tool).some((set) => on.has(set)),
        )
        .map((tool) => tool.name),
    ),
  }));
  return [...declared, ...byToolset];
}

/** Naming a tool of a closed refusing gate in `--tools` is a start-up error that names the flag. */
function refuseClosedGates(gates: readonly GateMembers[], selection: Selection): void {
  for (const { gate, members } of gates) {
    if (gate.open || gate.whenClosed === 'withhold') continue;
    const asked = selection.tools?.filter((name) => members.has(name)) ?? [];
    if (asked.length > 0)
      throw new UsageError(`--tools names ${asked.join(', ')}: ${gate.label} need ${gate.enable}`);
  }
}

function isSelected(
  tool: DeclaredTool,
  selection: Selection,
  toolsets: ActiveToolsets | undefined,
  facts: RequestFacts,
): boolean {
  const named = selection.tools?.includes(tool.name) ?? false;
  const own = toolsetsOf(tool);
  const chosen =
    toolsets?.options.outside === 'unlisted' && own.length > 0
      ? named || own.some((name) => toolsets.on.has(name))
      : selection.tools === undefined || named;
  const readOnly = selection.readOnly || facts.readOnly === true;
  return (
    chosen &&
    !selection.excludeTools.includes(tool.name) &&
    (!readOnly || tool.annotations.readOnlyHint)
  );
}
