/**
 * @module
 * The optional tool groups an operator turns on with `--toolsets`: each is a gate, so its tools
 * are not listed until the operator asks for them, and a call by name answers with the flag.
 * The default list stays the size clients already pay for.
 */
import { UsageError, type ToolGate } from '@plugboard/kit/cli';

export const TOOLSETS = {
  emulation: ['puppeteer_emulate'],
  input: ['puppeteer_drag', 'puppeteer_fill_form', 'puppeteer_mouse', 'puppeteer_scroll'],
  performance: ['puppeteer_performance_start_trace', 'puppeteer_performance_stop_trace'],
} as const satisfies Record<string, readonly string[]>;

export type ToolsetName = keyof typeof TOOLSETS;

export function isToolsetName(name: string): name is ToolsetName {
  return Object.hasOwn(TOOLSETS, name);
}

/** `--toolsets` as given: names of toolsets, or `all`. */
export function parseToolsets(names: readonly string[]): ToolsetName[] {
  if (names.includes('all')) return Object.keys(TOOLSETS) as ToolsetName[];
  return names.map((name) => {
    if (!isToolsetName(name))
      throw new UsageError(
        `Unknown toolset "${name}" in --toolsets; known: all, ${Object.keys(TOOLSETS).join(', ')}`,
      );
    return name;
  });
}

/** One gate per toolset, open when the operator named it. */
export function toolsetGates(enabled: readonly ToolsetName[]): ToolGate[] {
  return (Object.entries(TOOLSETS) as [ToolsetName, readonly string[]][]).map(([name, tools]) => ({
    tools: new Set(tools),
    label: `the ${name} tools`,
    open: enabled.includes(name),
    enable: `--toolsets ${name} (or PUPPETEER_TOOLSETS=${name})`,
  }));
}
