import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { USER_TOKEN_TOOLS, VERSION } from '../spec.js';
import { tools } from './index.js';

interface Schema {
  type?: string;
  properties?: Record<string, Schema & { description?: string }>;
  additionalProperties?: boolean;
}

describe('the tool registry', () => {
  it('has unique snake_case names of at most 64 characters, starting with slack_', () => {
    const names = tools.map((tool) => tool.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^slack_[a-z][a-z0-9_]{0,57}$/);
  });

  it('describes every tool and every input field, and declares all four annotations', () => {
    for (const tool of tools) {
      const descriptor = tool.descriptor();
      expect(descriptor.title, tool.name).toBeTruthy();
      expect(descriptor.description.length, tool.name).toBeGreaterThan(40);
      expect(descriptor.description.split(/(?<=\.)\s/).length, tool.name).toBeLessThanOrEqual(3);
      const input = descriptor.inputSchema as Schema;
      expect(input.additionalProperties, tool.name).toBe(false);
      for (const [field, schema] of Object.entries(input.properties ?? {}))
        expect(schema.description, `${tool.name}.${field}`).toBeTruthy();
      for (const hint of [
        'readOnlyHint',
        'destructiveHint',
        'idempotentHint',
        'openWorldHint',
      ] as const)
        expect(typeof descriptor.annotations?.[hint], `${tool.name}.${hint}`).toBe('boolean');
      expect((descriptor.outputSchema as Schema | undefined)?.type, tool.name).toBe('object');
    }
  });

  it('marks exactly the tools that change nothing as read-only, and every tool as open-world', () => {
    const readOnly = tools.filter((tool) => tool.annotations.readOnlyHint).map((tool) => tool.name);
    expect(readOnly.sort()).toEqual(
      [
        'slack_get_channel_history',
        'slack_get_thread_replies',
        'slack_get_user_profile',
        'slack_get_users',
        'slack_list_channels',
        'slack_list_files',
        'slack_read_file',
        'slack_search_messages',
      ].sort(),
    );
    for (const tool of tools) expect(tool.annotations.openWorldHint, tool.name).toBe(true);
    const destructive = tools
      .filter((tool) => tool.annotations.destructiveHint)
      .map((tool) => tool.name);
    expect(destructive).toEqual(['slack_remove_reaction']);
  });

  it('names only existing tools as needing a user token', () => {
    for (const name of USER_TOKEN_TOOLS) expect(tools.map((tool) => tool.name)).toContain(name);
  });

  it('gives the version the package has', async () => {
    const pkg = JSON.parse(
      await readFile(new URL('../../package.json', import.meta.url), 'utf8'),
    ) as { version: string };
    expect(VERSION).toBe(pkg.version);
  });
});
