import { describe, expect, it } from 'vitest';
import { tools } from './index.js';

interface JsonSchemaObject {
  type?: string;
  properties?: Record<string, JsonSchemaObject & { description?: string }>;
  items?: JsonSchemaObject;
  required?: string[];
}

/** Every property at every depth, with its path, so nested fields are held to the rule too. */
function properties(
  schema: JsonSchemaObject,
  path = '',
): [string, JsonSchemaObject & { description?: string }][] {
  const found: [string, JsonSchemaObject & { description?: string }][] = [];
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    found.push([`${path}${name}`, property]);
    found.push(...properties(property, `${path}${name}.`));
    if (property.items !== undefined)
      found.push(...properties(property.items, `${path}${name}[].`));
  }
  return found;
}

const OFFICIAL = ['query'];

describe('the tool registry', () => {
  const descriptors = tools.map((tool) => tool.descriptor());

  it('has unique names, snake_case and at most 64 characters, including the official query tool', () => {
    const names = descriptors.map((descriptor) => descriptor.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^[a-z][a-z0-9]*(_[a-z0-9]+)*$/);
    for (const name of names) expect(name.length).toBeLessThanOrEqual(64);
    for (const name of OFFICIAL) expect(names).toContain(name);
  });

  it('keeps the official argument name of query: sql, required', () => {
    const query = descriptors.find((descriptor) => descriptor.name === 'query')!;
    const schema = query.inputSchema as JsonSchemaObject;
    expect(schema.properties?.sql?.type).toBe('string');
    expect(schema.required).toContain('sql');
  });

  it.each(descriptors.map((descriptor) => [descriptor.name, descriptor] as const))(
    '%s has a title, a 1-3 sentence description, described camelCase inputs and an output schema',
    (_name, descriptor) => {
      expect(descriptor.title).toBeTruthy();
      const sentences = descriptor.description.split(/(?<=[.!?])\s+(?=[A-Z])/);
      expect(sentences.length).toBeGreaterThanOrEqual(1);
      expect(sentences.length).toBeLessThanOrEqual(3);
      for (const [path, property] of properties(descriptor.inputSchema)) {
        expect(property.description, `${path} needs a description`).toBeTruthy();
        expect(path.split('.').at(-1)).toMatch(/^[a-z][A-Za-z0-9]*(\[\])?$/);
      }
      expect(descriptor.outputSchema).toBeDefined();
    },
  );

  it.each(descriptors.map((descriptor) => [descriptor.name, descriptor] as const))(
    '%s declares all four annotations, truthfully for what it does',
    (name, descriptor) => {
      const annotations = descriptor.annotations!;
      for (const key of [
        'readOnlyHint',
        'destructiveHint',
        'idempotentHint',
        'openWorldHint',
      ] as const) {
        expect(typeof annotations[key], `${name}.${key}`).toBe('boolean');
      }
      expect(annotations.openWorldHint).toBe(false);
      if (['execute_sql', 'run_sql_transaction', 'apply_migration'].includes(name)) {
        expect(annotations).toMatchObject({
          readOnlyHint: false,
          destructiveHint: true,
          idempotentHint: false,
        });
      } else {
        expect(annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false });
      }
    },
  );
});
