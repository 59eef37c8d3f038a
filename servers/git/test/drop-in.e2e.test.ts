/**
 * Drop-in compatibility with the Python `mcp-server-git`: every official tool exists in the
 * built server with every official argument (same names, same meaning), requires nothing the
 * official one does not, and answers calls shaped exactly as hosts send them to the official one.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectStdio } from '@plugboard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureGit, IDENTITY, makeRepo, tempDir } from './helpers.js';

const SERVER = fileURLToPath(new URL('../dist/main.js', import.meta.url));

/** The official tools, their arguments and which are required (reference/anchors.md, 2a). */
const OFFICIAL: Record<string, { args: string[]; required: string[] }> = {
  git_status: { args: ['repo_path'], required: ['repo_path'] },
  git_diff_unstaged: { args: ['repo_path', 'context_lines'], required: ['repo_path'] },
  git_diff_staged: { args: ['repo_path', 'context_lines'], required: ['repo_path'] },
  git_diff: { args: ['repo_path', 'target', 'context_lines'], required: ['repo_path', 'target'] },
  git_commit: { args: ['repo_path', 'message'], required: ['repo_path', 'message'] },
  git_add: { args: ['repo_path', 'files'], required: ['repo_path', 'files'] },
  git_reset: { args: ['repo_path'], required: ['repo_path'] },
  git_log: {
    args: ['repo_path', 'max_count', 'start_timestamp', 'end_timestamp'],
    required: ['repo_path'],
  },
  git_create_branch: {
    args: ['repo_path', 'branch_name', 'base_branch'],
    required: ['repo_path', 'branch_name'],
  },
  git_checkout: { args: ['repo_path', 'branch_name'], required: ['repo_path', 'branch_name'] },
  git_show: { args: ['repo_path', 'revision'], required: ['repo_path', 'revision'] },
  git_branch: {
    args: ['repo_path', 'branch_type', 'contains', 'not_contains'],
    required: ['repo_path', 'branch_type'],
  },
};

describe('drop-in replacement for the Python mcp-server-git', () => {
  let dir: { path: string; cleanup(): Promise<void> };
  let repo: string;
  let connection: Awaited<ReturnType<typeof connectStdio>>;

  beforeAll(async () => {
    dir = await tempDir();
    repo = join(dir.path, 'repo');
    await makeRepo(repo, dir.path, [{ 'a.txt': 'a\n' }, { 'a.txt': 'b\n' }]);
    // The official server's documented launch line, with only the command changed.
    connection = await connectStdio({
      command: process.execPath,
      args: [SERVER, '--repository', repo],
      env: { HOME: dir.path, ...IDENTITY },
    });
  });
  afterAll(async () => {
    await connection.close();
    await dir.cleanup();
  });

  it('has every official tool with every official argument, requiring nothing more', async () => {
    const { tools } = await connection.client.listTools();
    for (const [name, official] of Object.entries(OFFICIAL)) {
      const tool = tools.find((candidate) => candidate.name === name);
      expect(tool, name).toBeDefined();
      const schema = tool!.inputSchema as {
        properties: Record<string, unknown>;
        required?: string[];
      };
      for (const arg of official.args)
        expect(Object.keys(schema.properties), `${name}.${arg}`).toContain(arg);
      for (const required of schema.required ?? [])
        expect(official.required, `${name} requires ${required}`).toContain(required);
    }
    const branchType = (
      tools.find((tool) => tool.name === 'git_branch')!.inputSchema as unknown as {
        properties: { branch_type: { enum: string[] } };
      }
    ).properties.branch_type;
    expect(branchType.enum).toEqual(['local', 'remote', 'all']);
  });

  it('answers calls shaped as hosts send them to the official server', async () => {
    const call = async (name: string, args: Record<string, unknown>) => {
      const result = await connection.client.callTool({
        name,
        arguments: { repo_path: repo, ...args },
      });
      expect(result.isError, `${name}: ${JSON.stringify(result.content)}`).toBeFalsy();
      return result;
    };
    await call('git_status', {});
    await call('git_diff_unstaged', { context_lines: 3 });
    await call('git_diff_staged', { context_lines: 3 });
    await call('git_diff', { target: 'HEAD~1', context_lines: 3 });
    await call('git_log', { max_count: 10, start_timestamp: '2 weeks ago', end_timestamp: 'now' });
    await call('git_show', { revision: 'HEAD' });
    await call('git_branch', { branch_type: 'all', contains: 'HEAD~1', not_contains: 'HEAD' });
    await call('git_branch', { branch_type: 'local' });
    await call('git_create_branch', { branch_name: 'feature', base_branch: 'main' });
    await call('git_checkout', { branch_name: 'feature' });
    await writeFile(join(repo, 'a.txt'), 'c\n');
    await call('git_add', { files: ['a.txt'] });
    await call('git_reset', {});
    await call('git_add', { files: ['.'] });
    const committed = await call('git_commit', { message: 'drop-in commit' });
    const hash = (committed.structuredContent as { hash: string }).hash;
    expect((await fixtureGit(repo, dir.path).raw(['rev-parse', 'feature'])).trim()).toBe(hash);
    expect(JSON.stringify(committed.content)).toContain(hash.slice(0, 7));
  });
});
