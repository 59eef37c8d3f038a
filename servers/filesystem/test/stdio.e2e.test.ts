/**
 * @module
 * The built server as hosts run it: `node dist/main.js <dirs>` spawned over stdio, driven by the
 * official SDK clients (1.x in the handshake era, 2.x pinned to 2026-07-28).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ListRootsRequestSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { Document, Packer, Paragraph } from 'docx';
import { connectStdio, tmpDir, type TmpDir, startupBuiltins, waitFor } from '@plugboard/testing';
import { LOADED_FILES_PRELOAD, loadedFiles } from '@plugboard/testing/loaded-files';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const SERVER = fileURLToPath(new URL('../dist/main.js', import.meta.url));

let dir: TmpDir;

beforeEach(async () => {
  dir = await tmpDir('fs-e2e-');
  await fs.mkdir(path.join(dir.path, 'project', 'src'), { recursive: true });
  await fs.writeFile(
    path.join(dir.path, 'project', 'src', 'index.ts'),
    'export const answer = 41;\n',
  );
  await fs.writeFile(path.join(dir.path, 'secret.txt'), 'SECRET\n');
});

afterEach(async () => {
  await dir.cleanup();
});

function run(
  args: string[],
  env: Record<string, string> = {},
): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [SERVER, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    input: '',
    timeout: 20_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('mcp-server-filesystem over stdio', () => {
  it('reaches tools/list without loading node:child_process or node:crypto', async () => {
    // Both load on first use (a child process, a temporary file's name): each is milliseconds of
    // every cold start.
    const builtins = await startupBuiltins({ command: process.execPath, args: [SERVER, dir.path] });
    expect(builtins).toContain('fs');
    expect(builtins).not.toContain('child_process');
    expect(builtins).not.toContain('crypto');
  });

  it('loads neither the server module nor the tools for --help, and not the tools for tools/list', async () => {
    // The build re-chunks the bundle to cut the files start-up loads; what is lazy must stay so.
    const dist = path.dirname(SERVER);
    const holding = async (source: string): Promise<string> => {
      for (const name of await fs.readdir(dist)) {
        if (
          name.endsWith('.js') &&
          (await fs.readFile(path.join(dist, name), 'utf8')).includes(`// ${source}\n`)
        )
          return name;
      }
      throw new Error(`no file of dist/ holds ${source}`);
    };
    const server = await holding('build/server.js');
    const tools = await holding('build/tools/index.js');
    const loaded = (stderr: string): string[] => loadedFiles(stderr, dist);
    const help = run(['--help'], { NODE_OPTIONS: `--import=${LOADED_FILES_PRELOAD}` });
    expect(help.status).toBe(0);
    expect(loaded(help.stderr)).toContain('main.js');
    expect(loaded(help.stderr)).not.toContain(server);
    expect(loaded(help.stderr)).not.toContain(tools);

    await using connection = await connectStdio({
      command: process.execPath,
      args: [SERVER, dir.path],
      env: { NODE_OPTIONS: `--import=${LOADED_FILES_PRELOAD}` },
    });
    await connection.client.listTools();
    // stderr is read apart from stdout: wait for what must be there before the negative check.
    await waitFor(() => loaded(connection.stderr()).includes(server));
    expect(loaded(connection.stderr())).not.toContain(tools);
    await connection.client.callTool({ name: 'list_allowed_directories', arguments: {} });
    await waitFor(() => loaded(connection.stderr()).includes(tools));
  });

  it('prints help and exits 0 without waiting for input', () => {
    const { status, stdout } = run(['--help']);
    expect(status).toBe(0);
    expect(stdout).toMatch(/^mcp-server-filesystem \S+: Filesystem access/);
    expect(stdout).toContain('--allow-delete');
    expect(stdout).toContain('[env FILESYSTEM_READ_ONLY]');
  });

  it('fails with exit code 2 and one line when the configuration is wrong', () => {
    const none = run([], { FILESYSTEM_ALLOWED_DIRECTORIES: '' });
    expect(none.status).toBe(2);
    expect(none.stderr.trim().split('\n')).toHaveLength(1);
    expect(none.stderr).toMatch(/give at least one allowed directory/);
    const missing = run([path.join(dir.path, 'nope')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/does not exist/);
    expect(run(['--trash-dir', '../x', dir.path]).status).toBe(2);
    const deleteWithoutPermission = run(['--tools', 'read_text_file,delete_file', dir.path]);
    expect(deleteWithoutPermission.status).toBe(2);
    expect(deleteWithoutPermission.stderr).toMatch(
      /delete_file: the delete tools need --allow-delete/,
    );
  });

  it('initializes, lists every tool and works on files end to end', async () => {
    const project = path.join(dir.path, 'project');
    const connection = await connectStdio({ command: process.execPath, args: [SERVER, project] });
    try {
      const { client } = connection;
      const names = (await client.listTools()).tools.map((tool) => tool.name);
      expect(names).toEqual([
        'read_text_file',
        'read_file',
        'read_media_file',
        'read_multiple_files',
        'write_file',
        'edit_file',
        'create_directory',
        'list_directory',
        'list_directory_with_sizes',
        'directory_tree',
        'move_file',
        'search_files',
        'get_file_info',
        'list_allowed_directories',
        'search_file_contents',
        'copy_file',
        'get_directory_size',
        'list_archive',
        'extract_archive',
        'create_archive',
        'read_document',
      ]);
      const call = async (name: string, args: Record<string, unknown>): Promise<CallToolResult> =>
        (await client.callTool({ name, arguments: args })) as CallToolResult;
      const read = await call('read_text_file', { path: 'src/index.ts' });
      expect(read.structuredContent).toMatchObject({
        content: 'export const answer = 41;\n',
        totalLines: 1,
      });
      const edit = await call('edit_file', {
        path: 'src/index.ts',
        edits: [{ oldText: '41', newText: '42' }],
      });
      expect(edit.structuredContent).toMatchObject({ applied: true, replacements: 1 });
      expect(await fs.readFile(path.join(project, 'src', 'index.ts'), 'utf8')).toBe(
        'export const answer = 42;\n',
      );
      await call('write_file', { path: 'src/util.ts', content: 'export const answer2 = 42;\n' });
      const found = await call('search_file_contents', { path: '.', query: '42' });
      expect((found.structuredContent as { matches: unknown[] }).matches).toHaveLength(2);
      // Documents are read in the bundled worker (dist/documents-worker.js).
      await fs.writeFile(
        path.join(project, 'notes.docx'),
        await Packer.toBuffer(
          new Document({ sections: [{ children: [new Paragraph({ text: 'Shipped.' })] }] }),
        ),
      );
      const document = await call('read_document', { path: 'notes.docx' });
      expect(document.structuredContent).toMatchObject({ kind: 'docx', content: 'Shipped.\n' });
      await fs.rm(path.join(project, 'notes.docx'));
      const tree = await call('directory_tree', { path: '.' });
      expect(tree.structuredContent).toMatchObject({
        tree: [
          { name: 'src', type: 'directory', children: [{ name: 'index.ts' }, { name: 'util.ts' }] },
        ],
      });
      const denied = await call('read_text_file', { path: path.join(dir.path, 'secret.txt') });
      expect(denied.isError).toBe(true);
      expect(JSON.stringify(denied)).not.toContain('SECRET\\n');
      expect(connection.stderr()).toMatch(/allowed directories/);
    } finally {
      await connection.close();
    }
  });

  it('narrows to the client roots and follows roots/list_changed, never past the operator directories', async () => {
    const roots = { current: [pathToFileURL(path.join(dir.path, 'project', 'src')).href] };
    const connection = await connectStdio({
      command: process.execPath,
      args: [SERVER, path.join(dir.path, 'project')],
      capabilities: { roots: { listChanged: true } },
      beforeConnect: (client) => {
        client.setRequestHandler(ListRootsRequestSchema, () => ({
          roots: roots.current.map((uri) => ({ uri })),
        }));
      },
    });
    try {
      const { client } = connection;
      const listed = async (): Promise<unknown> =>
        (
          (await client.callTool({
            name: 'list_allowed_directories',
            arguments: {},
          })) as CallToolResult
        ).structuredContent;
      expect(await listed()).toEqual({
        directories: [path.join(dir.path, 'project', 'src')],
        narrowedByClientRoots: true,
      });
      roots.current = [pathToFileURL(dir.path).href];
      await client.sendRootsListChanged();
      expect(await listed()).toEqual({
        directories: [path.join(dir.path, 'project')],
        narrowedByClientRoots: true,
      });
      const outside = (await client.callTool({
        name: 'read_text_file',
        arguments: { path: path.join(dir.path, 'secret.txt') },
      })) as CallToolResult;
      expect(outside.isError).toBe(true);
      expect(connection.stderr()).toMatch(/client roots narrow the allowed directories/);
    } finally {
      await connection.close();
    }
  });

  it('hides write tools with --read-only or FILESYSTEM_READ_ONLY, and adds delete tools with --allow-delete', async () => {
    for (const options of [
      { args: ['--read-only'], env: {} },
      { args: [], env: { FILESYSTEM_READ_ONLY: '1' } },
    ]) {
      const connection = await connectStdio({
        command: process.execPath,
        args: [SERVER, ...options.args, dir.path],
        env: options.env,
      });
      try {
        const names = (await connection.client.listTools()).tools.map((tool) => tool.name);
        expect(names).not.toContain('write_file');
        expect(names).not.toContain('edit_file');
        expect(names).toContain('read_text_file');
      } finally {
        await connection.close();
      }
    }
    const deleting = await connectStdio({
      command: process.execPath,
      args: [SERVER, '--allow-delete', dir.path],
    });
    try {
      const names = (await deleting.client.listTools()).tools.map((tool) => tool.name);
      expect(names).toEqual(expect.arrayContaining(['delete_file', 'delete_directory']));
      const deleted = (await deleting.client.callTool({
        name: 'delete_file',
        arguments: { path: 'secret.txt' },
      })) as CallToolResult;
      expect(deleted.isError).toBeFalsy();
      await expect(fs.stat(path.join(dir.path, 'secret.txt'))).rejects.toThrow();
    } finally {
      await deleting.close();
    }
  });

  it('serves a 2026-07-28 client the same tools', async () => {
    const connection = await connectStdio({
      command: process.execPath,
      args: [SERVER, path.join(dir.path, 'project')],
      sdk: 'v2',
      versionNegotiation: { pin: '2026-07-28' },
    });
    try {
      const { tools } = await connection.client.listTools();
      expect(tools.map((tool) => tool.name)).toContain('search_file_contents');
      const result = await connection.client.callTool({
        name: 'search_files',
        arguments: { path: '.', pattern: '**/*.ts' },
      });
      expect(result.structuredContent).toEqual({
        path: path.join(dir.path, 'project'),
        matches: [{ path: path.join(dir.path, 'project', 'src', 'index.ts'), type: 'file' }],
        truncated: false,
      });
    } finally {
      await connection.close();
    }
  });
});
