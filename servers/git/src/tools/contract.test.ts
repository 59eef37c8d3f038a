import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { VERSION } from '../spec.js';
import { tools } from './index.js';

interface Schema {
  type?: string;
  properties?: Record<string, Schema & { description?: string }>;
  additionalProperties?: boolean;
}

describe('the tool registry', () => {
  it('has unique snake_case names of at most 64 characters, starting with git_', () => {
    const names = tools.map((tool) => tool.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^git_[a-z][a-z0-9_]{0,59}$/);
  });

  it('describes every tool and every input field, and declares all four annotations', () => {
    for (const tool of tools) {
      const descriptor = tool.descriptor();
      expect(descriptor.title, tool.name).toBeTruthy();
      expect(descriptor.description.length, tool.name).toBeGreaterThan(40);
      expect(descriptor.description.split(/(?<=\.)\s/).length, tool.name).toBeLessThanOrEqual(3);
      const input = descriptor.inputSchema as Schema;
      expect(input.additionalProperties, tool.name).toBe(false);
      for (const [field, schema] of Object.entries(input.properties ?? {})) {
        expect(schema.description, `${tool.name}.${field}`).toBeTruthy();
      }
      for (const hint of [
        'readOnlyHint',
        'destructiveHint',
        'idempotentHint',
        'openWorldHint',
      ] as const) {
        expect(typeof descriptor.annotations?.[hint], `${tool.name}.${hint}`).toBe('boolean');
      }
      expect((descriptor.outputSchema as Schema | undefined)?.type, tool.name).toBe('object');
    }
  });

  it('marks exactly the tools that change nothing as read-only, and network tools as open-world', () => {
    const readOnly = tools.filter((tool) => tool.annotations.readOnlyHint).map((tool) => tool.name);
    expect(readOnly.sort()).toEqual(
      [
        'git_blame',
        'git_branch',
        'git_diff',
        'git_diff_staged',
        'git_diff_unstaged',
        'git_log',
        'git_show',
        'git_status',
        'git_worktree',
      ].sort(),
    );
    const openWorld = tools
      .filter((tool) => tool.annotations.openWorldHint)
      .map((tool) => tool.name);
    expect(openWorld.sort()).toEqual(['git_clone', 'git_fetch', 'git_pull', 'git_push']);
    for (const name of ['git_reset', 'git_rebase', 'git_push']) {
      expect(tools.find((tool) => tool.name === name)!.annotations.destructiveHint, name).toBe(
        true,
      );
    }
  });

  it('gives the version the package has', async () => {
    const pkg = JSON.parse(
      await readFile(new URL('../../package.json', import.meta.url), 'utf8'),
    ) as { version: string };
    expect(VERSION).toBe(pkg.version);
  });
});
