/**
 * @module
 * The size budget of a server's default `tools/list`, so growth is a decision and not an
 * accident: the README records the size on a line `Tool list size: 34,406 bytes ...`, and
 * {@link expectToolListWithinBudget} fails when the list grows past it.
 * A Vitest expectation, exported from `@plugboard/testing/contract`.
 */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';

/** What the budget reads of a tool: its declarations (`@plugboard/kit/tools`) and descriptor. */
export interface BudgetedTool {
  readonly name: string;
  readonly toolset?: string | readonly string[];
  readonly requires?: readonly string[];
  descriptor(): unknown;
}

/** The size of a tool list: bytes of its JSON, and an estimate of the tokens a model reads. */
export interface ToolListSize {
  readonly bytes: number;
  /** `bytes / 4`, rounded up: about four bytes a token for JSON and English (an estimate). */
  readonly tokens: number;
}

/** The bytes a token stands for in {@link ToolListSize.tokens}. */
export const BYTES_PER_TOKEN = 4;

/**
 * The descriptors a server lists when the operator opens no gate and picks no toolset: the tools
 * that require nothing, and of those that declare toolsets only the ones in `default`.
 */
export function defaultToolList(tools: readonly BudgetedTool[]): unknown[] {
  return tools
    .filter((tool) => {
      if (tool.requires !== undefined && tool.requires.length > 0) return false;
      if (tool.toolset === undefined) return true;
      return (typeof tool.toolset === 'string' ? [tool.toolset] : tool.toolset).includes('default');
    })
    .map((tool) => tool.descriptor());
}

/** The size of the `tools` array of a `tools/list` result. */
export function measureToolList(descriptors: readonly unknown[]): ToolListSize {
  const bytes = Buffer.byteLength(JSON.stringify(descriptors));
  return { bytes, tokens: Math.ceil(bytes / BYTES_PER_TOKEN) };
}

/** The bytes on the README's `Tool list size: N bytes` line. */
export function recordedToolListBytes(readme: string): number {
  const match = /^Tool list size: ([\d,]+) bytes/m.exec(readme);
  if (match === null) throw new Error('the README has no "Tool list size: N bytes" line');
  return Number(match[1]!.replaceAll(',', ''));
}

/**
 * The default `tools/list` of `tools` is no larger than the size the README (its text, or the URL
 * of the file) records.
 */
export function expectToolListWithinBudget(
  readme: string | URL,
  tools: readonly BudgetedTool[],
): void {
  const recorded = recordedToolListBytes(
    typeof readme === 'string' ? readme : readFileSync(readme, 'utf8'),
  );
  const { bytes, tokens } = measureToolList(defaultToolList(tools));
  expect(
    bytes,
    `the default tools/list is ${bytes} bytes (about ${tokens} tokens), past the ${recorded} the README records: growing it is a decision, record the new size`,
  ).toBeLessThanOrEqual(recorded);
}
