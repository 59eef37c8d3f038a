/**
 * @module
 * The tool contract of CONVENTIONS.md as one Vitest suite a server runs over its `tools` array:
 * unique, well-formed names; a title and a short description for the model; every argument
 * described; all four annotations, truthful against the server's own lists; output schemas.
 * Imports Vitest, so test files reach it through `@plugboard/testing/contract`.
 */
import { readFile } from 'node:fs/promises';
import type { ToolDescriptor } from '@plugboard/protocol';
import { describe, expect, it } from 'vitest';

/** What the suite reads of a tool; a `defineTool` value is one. */
export interface ContractTool {
  readonly name: string;
  descriptor(): ToolDescriptor;
}

/** The server-specific half of the contract. */
export interface ContractExpectations {
  /** Every tool name matches it (besides being unique and at most 64 characters). */
  readonly names: RegExp;
  readonly descriptions: {
    /** A description is longer than this. */
    readonly minLength: number;
    readonly maxLength?: number;
    readonly maxSentences: number;
    /** How many sentences a description has; by default, breaks after `.`, `!` or `?` before a capital. */
    readonly sentences?: (description: string) => number;
  };
  /** Argument names, nested ones included, match `pattern` unless listed in `except`. */
  readonly argumentNames?: {
    readonly pattern: RegExp;
    /** Only the top-level arguments (default: nested ones too). */
    readonly topLevelOnly?: boolean;
    readonly except?: ReadonlySet<string>;
  };
  /** Every input schema refuses unknown arguments (`additionalProperties: false`). */
  readonly closedInput?: boolean;
  /** The tools that declare an object output schema, when not every tool does. */
  readonly outputSchemas?: readonly string[];
  /** Exactly these tools are read-only. */
  readonly readOnly?: readonly string[];
  /** Exactly these tools (or all of them) are open-world. */
  readonly openWorld?: readonly string[] | 'all';
  /** Exactly these tools are destructive. */
  readonly destructive?: readonly string[];
  /** Lists of tool names kept elsewhere (groups, toolsets), by what to call them in a test name. */
  readonly registered?: Readonly<Record<string, Iterable<string>>>;
  /** The server's reported version, checked against its `package.json`. */
  readonly version?: { readonly value: string; readonly packageJson: URL };
}

interface JsonSchema {
  type?: string;
  description?: string;
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  additionalProperties?: unknown;
}

const HINTS = ['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint'] as const;

function schemaOf(value: unknown): JsonSchema {
  return value as JsonSchema;
}

/** Every property below `schema` without a description, as dotted paths. */
function undescribed(schema: JsonSchema, path = ''): string[] {
  const missing: string[] = [];
  for (const [key, value] of Object.entries(schema.properties ?? {})) {
    const here = path === '' ? key : `${path}.${key}`;
    if (value.description === undefined || value.description.trim() === '') missing.push(here);
    missing.push(...undescribed(value, here));
    if (value.items !== undefined) missing.push(...undescribed(value.items, `${here}[]`));
    for (const option of value.items?.anyOf ?? [])
      missing.push(...undescribed(option, `${here}[]`));
  }
  return missing;
}

function argumentKeys(schema: JsonSchema, nested: boolean): string[] {
  return Object.entries(schema.properties ?? {}).flatMap(([key, value]) => [
    key,
    ...(nested ? argumentKeys(value, nested) : []),
    ...(nested && value.items !== undefined ? argumentKeys(value.items, nested) : []),
  ]);
}

const defaultSentences = (description: string): number =>
  description.split(/(?<=[.!?])\s+(?=[A-Z])/).length;

/** Counts a sentence end at every period followed by white space, "e.g. " included. */
export const sentencesAfterPeriods = (description: string): number =>
  description.split(/(?<=\.)\s/).length;

function names(tools: readonly ContractTool[], keep: (tool: ToolDescriptor) => boolean): string[] {
  return tools
    .map((tool) => tool.descriptor())
    .filter(keep)
    .map((descriptor) => descriptor.name)
    .sort();
}

/**
 * Declares the `tool contract` suite for `tools`. Checks a server alone keeps (a first tool, the
 * reference arguments, toolsets) stay beside the call in the server's own test file.
 */
export function contractSuite(
  tools: readonly ContractTool[],
  expectations: ContractExpectations,
): void {
  const { descriptions } = expectations;
  const sentences = descriptions.sentences ?? defaultSentences;
  describe('tool contract', () => {
    it(`has unique names of at most 64 characters, each matching ${String(expectations.names)}`, () => {
      const all = tools.map((tool) => tool.name);
      expect(new Set(all).size).toBe(all.length);
      for (const name of all) expect(name, name).toMatch(expectations.names);
      for (const name of all) expect(name.length, name).toBeLessThanOrEqual(64);
    });

    it(`gives every tool a title and a description of at most ${String(descriptions.maxSentences)} sentences`, () => {
      for (const tool of tools) {
        const { description, title } = tool.descriptor();
        expect(title, tool.name).toBeTruthy();
        expect(description.length, tool.name).toBeGreaterThan(descriptions.minLength);
        if (descriptions.maxLength !== undefined)
          expect(description.length, tool.name).toBeLessThanOrEqual(descriptions.maxLength);
        expect(sentences(description), tool.name).toBeLessThanOrEqual(descriptions.maxSentences);
      }
    });

    it('describes every argument, nested ones included', () => {
      for (const tool of tools)
        expect(undescribed(schemaOf(tool.descriptor().inputSchema)), tool.name).toEqual([]);
    });

    const spelling = expectations.argumentNames;
    if (spelling !== undefined)
      it(`spells every argument to match ${String(spelling.pattern)}, but for the listed exceptions`, () => {
        for (const tool of tools) {
          const schema = schemaOf(tool.descriptor().inputSchema);
          for (const key of argumentKeys(schema, spelling.topLevelOnly !== true))
            if (spelling.except?.has(key) !== true)
              expect(key, `${tool.name}.${key}`).toMatch(spelling.pattern);
        }
      });

    if (expectations.closedInput === true)
      it('refuses unknown arguments', () => {
        for (const tool of tools)
          expect(schemaOf(tool.descriptor().inputSchema).additionalProperties, tool.name).toBe(
            false,
          );
      });

    it('sets all four annotations on every tool, and never marks a read-only tool destructive', () => {
      for (const tool of tools) {
        const { annotations } = tool.descriptor();
        for (const hint of HINTS)
          expect(typeof annotations?.[hint], `${tool.name}.${hint}`).toBe('boolean');
        if (annotations?.readOnlyHint === true)
          expect(annotations.destructiveHint, tool.name).toBe(false);
      }
    });

    it('declares an object output schema for every tool that returns data', () => {
      const listed = expectations.outputSchemas;
      const returningData =
        listed === undefined ? tools : tools.filter((tool) => listed.includes(tool.name));
      if (listed !== undefined) expect(returningData.length).toBe(listed.length);
      for (const tool of returningData)
        expect(schemaOf(tool.descriptor().outputSchema).type, tool.name).toBe('object');
    });

    const { readOnly, openWorld, destructive } = expectations;
    if (readOnly !== undefined)
      it('marks exactly the tools that change nothing as read-only', () => {
        expect(names(tools, (tool) => tool.annotations?.readOnlyHint === true)).toEqual(
          [...readOnly].sort(),
        );
      });

    if (openWorld === 'all')
      it('marks every tool as open-world', () => {
        for (const tool of tools)
          expect(tool.descriptor().annotations?.openWorldHint, tool.name).toBe(true);
      });
    else if (openWorld !== undefined)
      it('marks exactly the tools that reach the network as open-world', () => {
        expect(names(tools, (tool) => tool.annotations?.openWorldHint === true)).toEqual(
          [...openWorld].sort(),
        );
      });

    if (destructive !== undefined)
      it('marks exactly the tools that destroy something as destructive', () => {
        expect(names(tools, (tool) => tool.annotations?.destructiveHint === true)).toEqual(
          [...destructive].sort(),
        );
      });

    for (const [label, listed] of Object.entries(expectations.registered ?? {}))
      it(`names only registered tools in ${label}`, () => {
        const registered = new Set(tools.map((tool) => tool.name));
        for (const name of listed) expect(registered.has(name), name).toBe(true);
      });

    const { version } = expectations;
    if (version !== undefined)
      it('gives the version the package has', async () => {
        const pkg = JSON.parse(await readFile(version.packageJson, 'utf8')) as {
          version: string;
        };
        expect(version.value).toBe(pkg.version);
      });
  });
}
