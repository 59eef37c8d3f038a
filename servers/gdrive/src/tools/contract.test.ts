/**
 * The contract every tool keeps (CONVENTIONS.md): names, descriptions, described arguments,
 * truthful annotations, output schemas, the write and sharing groups in step with the registry,
 * and the build's manifest in step with the tools.
 */
import { describe, expect, it } from 'vitest';
import { SHARING_TOOLS, WRITE_TOOLS } from '../spec.js';
import { tools } from './index.js';

interface JsonSchema {
  type?: string;
  description?: string;
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
}

function undescribed(schema: JsonSchema, path = ''): string[] {
  const missing: string[] = [];
  for (const [key, value] of Object.entries(schema.properties ?? {})) {
    const here = path === '' ? key : `${path}.${key}`;
    if (value.description === undefined || value.description.trim() === '') missing.push(here);
    missing.push(...undescribed(value, here));
    if (value.items !== undefined) missing.push(...undescribed(value.items, `${here}[]`));
  }
  return missing;
}

describe('tool contract', () => {
  it('has the official search tool first, then unique snake_case names of at most 64 characters', () => {
    const names = tools.map((tool) => tool.name);
    expect(names[0]).toBe('search');
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name, name).toMatch(/^[a-z]+(_[a-z]+)*$/);
    for (const name of names) expect(name.length).toBeLessThanOrEqual(64);
  });

  it('describes every tool for the model in one to three sentences, with a title', () => {
    for (const tool of tools) {
      const { description, title } = tool.descriptor();
      expect(title, tool.name).toBeTruthy();
      expect(description.length, tool.name).toBeGreaterThan(20);
      expect(description.length, tool.name).toBeLessThanOrEqual(350);
      const sentences = description.split(/(?<=[.!?])\s+(?=[A-Z])/).length;
      expect(sentences, tool.name).toBeLessThanOrEqual(3);
    }
  });

  it('describes every argument, nested ones included, and spells them in camelCase', () => {
    for (const tool of tools) {
      const schema = tool.descriptor().inputSchema as JsonSchema;
      expect(undescribed(schema), tool.name).toEqual([]);
      for (const key of Object.keys(schema.properties ?? {}))
        expect(key, `${tool.name}.${key}`).toMatch(/^[a-z][a-zA-Z]*$/);
    }
  });

  it('sets all four annotations truthfully on every tool, and an output schema', () => {
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
      expect(annotations?.openWorldHint, tool.name).toBe(true);
      if (annotations?.readOnlyHint === true)
        expect(annotations.destructiveHint, tool.name).toBe(false);
      const changes = WRITE_TOOLS.has(tool.name) || SHARING_TOOLS.has(tool.name);
      expect(annotations?.readOnlyHint, tool.name).toBe(!changes);
    }
  });

  it('names only registered tools in the write and sharing groups', () => {
    const registered = new Set(tools.map((tool) => tool.name));
    for (const name of [...WRITE_TOOLS, ...SHARING_TOOLS])
      expect(registered.has(name), name).toBe(true);
  });
});
