/**
 * The contract every tool keeps (CONVENTIONS.md): names, descriptions, described arguments,
 * truthful annotations, output schemas, toolsets in step with the registry, and a default tool
 * list that stays small.
 */
import { describe, expect, it } from 'vitest';
import { harness } from '../test/harness.js';
import { chooseTools } from './server.js';
import { tools } from './tools/index.js';
import { DEFAULT_TOOLS, TOOLSETS } from './toolsets.js';

/** Argument names the official server spelled in snake_case; new arguments are camelCase. */
const OFFICIAL_SPELLINGS = new Set([
  'issue_number',
  'pull_number',
  'per_page',
  'from_branch',
  'maintainer_can_modify',
  'commit_id',
  'commit_title',
  'commit_message',
  'merge_method',
  'expected_head_sha',
]);

/**
 * github/github-mcp-server's default tools/list, measured from its tool snapshots at commit
 * 64a49f34 (context, repos, issues, pull_requests, users; 42 tools): 112,251 bytes as served,
 * with the toolset icons it attaches to every tool, 51,463 bytes without them.
 */
const REFERENCE_DEFAULT_BYTES = 112_251;

interface JsonSchema {
  type?: string;
  description?: string;
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
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

describe('tool contract', () => {
  it('has unique snake_case names of at most 64 characters', () => {
    const names = tools.map((tool) => tool.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name, name).toMatch(/^[a-z]+(_[a-z]+)*$/);
    for (const name of names) expect(name.length).toBeLessThanOrEqual(64);
  });

  it('describes every tool for the model in one to three sentences, with a title', () => {
    for (const tool of tools) {
      const { description, title } = tool.descriptor();
      expect(title, tool.name).toBeTruthy();
      expect(description.length, tool.name).toBeGreaterThan(20);
      expect(description.length, tool.name).toBeLessThanOrEqual(300);
      const sentences = description.split(/(?<=[.!?])\s+(?=[A-Z])/).length;
      expect(sentences, tool.name).toBeLessThanOrEqual(3);
    }
  });

  it('describes every argument, nested ones included', () => {
    for (const tool of tools)
      expect(undescribed(tool.descriptor().inputSchema as JsonSchema), tool.name).toEqual([]);
  });

  it('spells new arguments in camelCase and keeps the official snake_case ones', () => {
    const keys = (schema: JsonSchema): string[] =>
      Object.entries(schema.properties ?? {}).flatMap(([key, value]) => [
        key,
        ...keys(value),
        ...(value.items === undefined ? [] : keys(value.items)),
      ]);
    for (const tool of tools) {
      for (const key of keys(tool.descriptor().inputSchema)) {
        if (!OFFICIAL_SPELLINGS.has(key))
          expect(key, `${tool.name}.${key}`).toMatch(/^[a-z][a-zA-Z0-9]*$/);
      }
    }
  });

  it('sets all four annotations on every tool, and an output schema', () => {
    for (const tool of tools) {
      const { annotations, outputSchema } = tool.descriptor();
      for (const hint of [
        'readOnlyHint',
        'destructiveHint',
        'idempotentHint',
        'openWorldHint',
      ] as const)
        expect(typeof annotations?.[hint], `${tool.name}.${hint}`).toBe('boolean');
      expect(outputSchema, tool.name).toBeDefined();
      if (annotations?.readOnlyHint === true)
        expect(annotations.destructiveHint, tool.name).toBe(false);
    }
  });

  it('puts every tool in exactly one toolset, and no toolset names a missing tool', () => {
    const registered = new Set(tools.map((tool) => tool.name));
    const grouped = Object.values(TOOLSETS).flat();
    expect(new Set(grouped).size).toBe(grouped.length);
    expect(new Set(grouped)).toEqual(registered);
    for (const name of DEFAULT_TOOLS) expect(registered.has(name), name).toBe(true);
  });

  it(`keeps the default tools/list under a third of github-mcp-server's (${REFERENCE_DEFAULT_BYTES} bytes)`, async () => {
    await using h = await harness();
    const { tools: listed } = await h.client.listTools();
    const defaults = new Set(
      chooseTools(
        tools,
        { toolsets: undefined },
        { tools: undefined, excludeTools: [], readOnly: false },
      ).map((tool) => tool.name),
    );
    const size = Buffer.byteLength(
      JSON.stringify(listed.filter((tool) => defaults.has(tool.name))),
    );
    expect(defaults.size).toBe(27);
    expect(size).toBeLessThanOrEqual(REFERENCE_DEFAULT_BYTES / 3);
  });
});
