/**
 * @module
 * The contract every tool keeps (names, descriptions, described fields, truthful annotations,
 * output schemas) and drop-in compatibility with @modelcontextprotocol/server-filesystem: every
 * official tool exists with its official arguments, and needs nothing the official one did not.
 */
import { describe, expect, it } from 'vitest';
import { tools } from './index.js';

interface JsonSchema {
  type?: string;
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
}

/** The official server's tools and arguments (reference anchors, section 1a). */
const OFFICIAL: Readonly<Record<string, readonly string[]>> = {
  read_text_file: ['path', 'head', 'tail'],
  read_file: ['path', 'head', 'tail'],
  read_media_file: ['path'],
  read_multiple_files: ['paths'],
  write_file: ['path', 'content'],
  edit_file: ['path', 'edits', 'dryRun'],
  create_directory: ['path'],
  list_directory: ['path'],
  list_directory_with_sizes: ['path', 'sortBy'],
  directory_tree: ['path', 'excludePatterns'],
  move_file: ['source', 'destination'],
  search_files: ['path', 'pattern', 'excludePatterns'],
  get_file_info: ['path'],
  list_allowed_directories: [],
};

const READ_ONLY = [
  'read_text_file',
  'read_file',
  'read_media_file',
  'read_multiple_files',
  'list_directory',
  'list_directory_with_sizes',
  'directory_tree',
  'search_files',
  'get_file_info',
  'list_allowed_directories',
  'search_file_contents',
  'get_directory_size',
  'list_archive',
  'read_document',
];

const descriptors = tools.map((tool) => tool.descriptor());

function undescribed(schema: JsonSchema, at: string): string[] {
  const missing: string[] = [];
  for (const [key, property] of Object.entries(schema.properties ?? {})) {
    const where = `${at}.${key}`;
    if (property.description === undefined || property.description.trim() === '')
      missing.push(where);
    if (property.items?.properties !== undefined)
      missing.push(...undescribed(property.items, `${where}[]`));
    if (property.properties !== undefined) missing.push(...undescribed(property, where));
  }
  return missing;
}

describe('tool contract', () => {
  it('names are unique snake_case, verb first, at most 64 characters', () => {
    const names = descriptors.map((tool) => tool.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^[a-z][a-z0-9]*(_[a-z0-9]+)*$/);
    for (const name of names) expect(name.length).toBeLessThanOrEqual(64);
  });

  it('every tool has a title and a description of one to three sentences', () => {
    for (const tool of descriptors) {
      expect(tool.title, tool.name).toBeTruthy();
      const sentences = tool.description
        .split(/[.!?](?:\s|$)/)
        .filter((part) => part.trim() !== '');
      expect(sentences.length, `${tool.name}: ${tool.description}`).toBeGreaterThanOrEqual(1);
      expect(sentences.length, `${tool.name}: ${tool.description}`).toBeLessThanOrEqual(3);
    }
  });

  it('every input field, nested ones included, has a description', () => {
    for (const tool of descriptors)
      expect(undescribed(tool.inputSchema as JsonSchema, tool.name)).toEqual([]);
  });

  it('sets all four annotations, read-only exactly where nothing changes', () => {
    for (const tool of descriptors) {
      const { readOnlyHint, destructiveHint, idempotentHint, openWorldHint } =
        tool.annotations ?? {};
      for (const hint of [readOnlyHint, destructiveHint, idempotentHint, openWorldHint])
        expect(typeof hint, tool.name).toBe('boolean');
      expect(openWorldHint, tool.name).toBe(false);
      expect(readOnlyHint, tool.name).toBe(READ_ONLY.includes(tool.name));
      if (readOnlyHint === true) expect(destructiveHint, tool.name).toBe(false);
    }
  });

  it('declares an output schema for every tool that returns data', () => {
    for (const tool of descriptors) {
      if (tool.name === 'read_media_file') expect(tool.outputSchema).toBeUndefined();
      else expect(tool.outputSchema?.type, tool.name).toBe('object');
    }
  });

  it('marks the delete tools destructive, and only those are gated by --allow-delete', () => {
    const gated = tools.filter((tool) => tool.requires?.includes('allowDelete'));
    expect(gated.map((tool) => tool.name)).toEqual(['delete_file', 'delete_directory']);
    for (const { name } of gated) {
      const tool = descriptors.find((candidate) => candidate.name === name);
      expect(tool?.annotations?.destructiveHint, name).toBe(true);
    }
  });
});

describe('drop-in compatibility with the official server', () => {
  it('has every official tool with every official argument', () => {
    for (const [name, args] of Object.entries(OFFICIAL)) {
      const tool = descriptors.find((candidate) => candidate.name === name);
      expect(tool, name).toBeDefined();
      const properties = Object.keys((tool!.inputSchema as JsonSchema).properties ?? {});
      for (const arg of args) expect(properties, `${name}.${arg}`).toContain(arg);
    }
  });

  it('requires no argument the official tool did not have', () => {
    for (const [name, args] of Object.entries(OFFICIAL)) {
      const tool = descriptors.find((candidate) => candidate.name === name)!;
      for (const required of (tool.inputSchema as JsonSchema).required ?? [])
        expect(args, `${name} requires ${required}`).toContain(required);
    }
  });

  it('keeps the edit shape: edits of oldText and newText', () => {
    const edit = descriptors.find((tool) => tool.name === 'edit_file')!;
    const edits = (edit.inputSchema as JsonSchema).properties!.edits!;
    expect(Object.keys(edits.items!.properties!)).toEqual(
      expect.arrayContaining(['oldText', 'newText']),
    );
    expect(edits.items!.required).toEqual(['oldText', 'newText']);
  });
});
