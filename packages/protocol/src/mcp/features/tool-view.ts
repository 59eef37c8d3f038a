/**
 * @module
 * The tools one caller may see and call. Without sign-in (or with a token that may write) that
 * is the server's registry under the operator's configuration. A token that lacks the write
 * scope sees what the server's `exposure` gives for `{ readOnly: true }`: the kit's one
 * selection pipeline, asked once per fact and kept, so there is no second filter here.
 */
import type { Registry } from '../registry.js';
import type { Tool } from './tool.js';

/** What a request teaches the selection of tools (hosted mode). */
export interface ExposureFacts {
  /** The caller's grant allows reading only. */
  readonly readOnly: boolean;
}

/** The tools exposed under some facts, as `exposeTools` of `@plugboard/kit/tools` returns them. */
export interface ToolExposure {
  readonly tools: readonly { readonly name: string }[];
  /** A call by name to one of these is refused with its sentence. */
  readonly disabledTools: ReadonlyMap<string, string>;
}

/** A server's tool selection for facts learnt per request. */
export type Exposure = (facts: ExposureFacts) => ToolExposure;

export interface ToolView {
  /** The tools to list, in registry order. */
  list(): Tool[];
  /** The tool a call by this name runs, when this caller may call it. */
  get(name: string): Tool | undefined;
  /** The sentence a call by this name is refused with, when it is a known tool. */
  refusal(name: string): string | undefined;
}

/** Everything the operator's configuration exposes. */
export function fullView(tools: Registry<Tool>, disabled: ReadonlyMap<string, string>): ToolView {
  return {
    list: () => tools.values(),
    get: (name) => tools.get(name),
    refusal: (name) => disabled.get(name),
  };
}

/**
 * What a caller without the write scope `scope` gets: the tools `exposure` lists for a read-only
 * grant. A call to any other tool of the server is refused, naming the scope that allows it.
 */
export function readOnlyView(
  tools: Registry<Tool>,
  exposure: ToolExposure,
  scope: string,
): ToolView {
  const allowed = new Set(exposure.tools.map((tool) => tool.name));
  return {
    list: () => tools.values().filter((tool) => allowed.has(tool.name)),
    get: (name) => (allowed.has(name) ? tools.get(name) : undefined),
    refusal: (name) =>
      exposure.disabledTools.get(name) ??
      (tools.get(name) === undefined
        ? undefined
        : `${name} changes data and this sign-in allows reading only; it needs the scope ${scope}.`),
  };
}
