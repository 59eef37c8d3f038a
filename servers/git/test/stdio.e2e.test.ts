/**
 * The built server as hosts run it: `node dist/main.js` spawned over stdio with the official
 * SDK clients on the other end.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ListRootsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { connectStdio, startupBuiltins } from '@plugboard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDENTITY, makeRepo, tempDir } from './helpers.js';
import { READ_ONLY_TOOLS } from './read-only-tools.js';

const SERVER = fileURLToPath(new URL('../dist/main.js', import.meta.url));

describe('mcp-server-git over stdio', () => {
  let dir: { path: string; cleanup(): Promise<void> };
  let repo: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    dir = await tempDir();
    repo = join(dir.path, 'repo');
    await makeRepo(repo, dir.path, [{ 'README.md': '# hello\n' }]);
    env = { HOME: dir.path, ...IDENTITY };
  });
  afterAll(async () => {
    await dir.cleanup();
  });

  it('reaches tools/list without loading node:child_process, which its first git loads', async () => {
    const builtins = await startupBuiltins({
      command: process.execPath,
      args: [SERVER, '--repository', repo],
      env,
    });
    expect(builtins).toContain('fs');
    expect(builtins).not.toContain('child_process');
  });

  it('lists its tools and answers a call with structured content', async () => {
    const connection = await connectStdio({
      command: process.execPath,
      args: [SERVER, '--repository', repo],
      env,
    });
    try {
      const { tools } = await connection.client.listTools();
      // Without --allow-remote the four remote tools are not listed.
      expect(tools).toHaveLength(26);
      expect(tools[0]!.name).toBe('git_status');
      const result = await connection.client.callTool({
        name: 'git_log',
        arguments: { repo_path: repo },
      });
      expect(result.isError).toBeFalsy();
      expect(result.structuredContent).toMatchObject({
        commits: [{ subject: 'commit 1', author_name: 'Ada Tester' }],
      });
    } finally {
      await connection.close();
    }
  });

  it('lists the remote tools only with --allow-remote, and says so to the model without it', async () => {
    const remoteTools = ['git_clone', 'git_fetch', 'git_pull', 'git_push'];
    const off = await connectStdio({
      command: process.execPath,
      args: [SERVER, '--repository', repo],
      env,
    });
    try {
      const names = (await off.client.listTools()).tools.map((tool) => tool.name);
      expect(names.filter((name) => remoteTools.includes(name))).toEqual([]);
      expect(off.client.getInstructions()).toMatch(/git_fetch.*--allow-remote/);
      const call = await off.client
        .callTool({ name: 'git_fetch', arguments: { repo_path: repo } })
        .catch((error: unknown) => error);
      expect(call).toMatchObject({
        code: -32602,
        message: expect.stringMatching(
          /git_fetch is turned off on this server; the operator turns it on with --allow-remote \(or GIT_ALLOW_REMOTE=1\)/,
        ),
      });
    } finally {
      await off.close();
    }
    const on = await connectStdio({
      command: process.execPath,
      args: [SERVER, '--repository', repo, '--allow-remote'],
      env,
    });
    try {
      const names = (await on.client.listTools()).tools.map((tool) => tool.name);
      expect(names.filter((name) => remoteTools.includes(name)).sort()).toEqual(remoteTools);
      expect(on.client.getInstructions()).not.toMatch(/--allow-remote/);
    } finally {
      await on.close();
    }
  });

  it("documents the Python server's -r, -v and -vv in --help", () => {
    const help = spawnSync(process.execPath, [SERVER, '--help'], { encoding: 'utf8' }).stdout;
    expect(help).toMatch(
      /-r PATH is --repository PATH, -v is --log-level info and -vv is\s+--log-level debug/,
    );
  });

  it('refuses --tools naming a remote tool without --allow-remote, at start-up', () => {
    const run = spawnSync(process.execPath, [SERVER, '--repository', repo, '--tools', 'git_push'], {
      env: { ...process.env, ...env },
      encoding: 'utf8',
      input: '',
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/--tools names git_push: the remote tools need --allow-remote/);
  });

  it('writes nothing to stderr but its own info lines, from start through calls that run git', async () => {
    const connection = await connectStdio({
      command: process.execPath,
      args: [
        SERVER,
        '--repository',
        repo,
        '--allow-remote',
        '--allow-destructive',
        '--sign-commits',
      ],
      env,
    });
    try {
      for (const name of ['git_status', 'git_log', 'git_branch', 'git_remote']) {
        const result = await connection.client.callTool({ name, arguments: { repo_path: repo } });
        expect(result.isError).toBeFalsy();
      }
    } finally {
      await connection.close();
    }
    const lines = connection
      .stderr()
      .split('\n')
      .filter((line) => line !== '');
    expect(lines.length).toBeGreaterThan(0);
    // Any warning (a library's process.emitWarning, SIMPLE_GIT_UNLISTED_CONFIG, a log at warn) fails.
    expect(lines.filter((line) => !/^mcp-server-git INFO /.test(line))).toEqual([]);
  });

  it('serves the stateless 2026-07-28 revision to the 2.x client', async () => {
    const connection = await connectStdio({
      command: process.execPath,
      args: [SERVER, '--repository', repo],
      env,
      sdk: 'v2',
      versionNegotiation: { pin: '2026-07-28' },
    });
    try {
      const result = await connection.client.callTool({
        name: 'git_status',
        arguments: { repo_path: repo },
      });
      expect(result.structuredContent).toMatchObject({ branch: 'main', clean: true });
    } finally {
      await connection.close();
    }
  });

  it("accepts the Python server's -r option, and --read-only hides every tool that writes", async () => {
    const connection = await connectStdio({
      command: process.execPath,
      args: [SERVER, '-r', repo, '--read-only'],
      env,
    });
    try {
      const names = (await connection.client.listTools()).tools.map((tool) => tool.name);
      expect(names.sort()).toEqual([...READ_ONLY_TOOLS].sort());
      const result = await connection.client.callTool({
        name: 'git_status',
        arguments: { repo_path: repo },
      });
      expect(result.isError).toBeFalsy();
    } finally {
      await connection.close();
    }
  });

  it('without a repository, answers every call with how to configure one', async () => {
    const connection = await connectStdio({ command: process.execPath, args: [SERVER], env });
    try {
      const result = await connection.client.callTool({
        name: 'git_status',
        arguments: { repo_path: repo },
      });
      expect(result.isError).toBe(true);
      expect(JSON.stringify(result.content)).toContain('--repository');
      expect(connection.stderr()).toMatch(/no --repository/);
    } finally {
      await connection.close();
    }
  });

  it('narrows to the roots the client shares', async () => {
    const other = join(dir.path, 'other');
    await makeRepo(other, dir.path);
    const connection = await connectStdio({
      command: process.execPath,
      args: [SERVER, '--repository', dir.path],
      env,
      capabilities: { roots: {} },
      beforeConnect: (client) => {
        client.setRequestHandler(ListRootsRequestSchema, () => ({
          roots: [{ uri: `file://${repo}` }],
        }));
      },
    });
    try {
      const allowed = await connection.client.callTool({
        name: 'git_status',
        arguments: { repo_path: repo },
      });
      expect(allowed.isError).toBeFalsy();
      const refused = await connection.client.callTool({
        name: 'git_status',
        arguments: { repo_path: other },
      });
      expect(refused.isError).toBe(true);
    } finally {
      await connection.close();
    }
  });

  it('fails at start-up with one line and exit code 2 when a repository does not exist', () => {
    const run = spawnSync(process.execPath, [SERVER, '--repository', join(dir.path, 'missing')], {
      encoding: 'utf8',
      input: '',
    });
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/--repository .*missing does not exist/);
  });

  it('prints help with its own switches and exits without reading stdin', () => {
    const run = spawnSync(process.execPath, [SERVER, '--help'], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    for (const flag of [
      '--repository',
      '--allow-remote',
      '--allow-destructive',
      '--allow-local-remotes',
      '--timeout',
      '--output-budget',
    ]) {
      expect(run.stdout).toContain(flag);
    }
  });
});
