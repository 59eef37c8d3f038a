/**
 * The recipe of servers/README.md, kept honest: this package is built from the kit alone, and its
 * built `dist/main.js` is run as a child process and driven over stdio by the official SDK client.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';

const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const { version } = JSON.parse(
  readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
) as { version: string };

const open: Client[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((client) => client.close()));
});

async function connect(args: string[] = [], env: Record<string, string> = {}) {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [MAIN, ...args],
    env: { PATH: process.env.PATH ?? '', ...env },
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const client = new Client({ name: 'example-test', version: '0.0.0' });
  await client.connect(transport);
  open.push(client);
  const call = async (name: string, args: Record<string, unknown> = {}) =>
    (await client.callTool({ name, arguments: args })) as CallToolResult;
  return { client, call, stderr: () => stderr, pid: transport.pid };
}

const toolNames = async (client: Client) =>
  (await client.listTools()).tools.map((tool) => tool.name);

describe('a server declared with defineServer', () => {
  it('answers --version and --help from package.json and its spec, without serving', async () => {
    const run = promisify(execFile);
    expect((await run(process.execPath, [MAIN, '--version'])).stdout).toBe(`${version}\n`);
    const help = (await run(process.execPath, [MAIN, '--help'])).stdout;
    expect(help).toContain(`mcp-server-example ${version}:`);
    expect(help).toMatch(/--allow-clear .*\[env EXAMPLE_ALLOW_CLEAR\]/);
  });

  it('serves its tools over stdio, named and versioned from package.json', async () => {
    const { client, call } = await connect();
    expect(client.getServerVersion()).toMatchObject({ name: 'mcp-server-example', version });
    expect(await toolNames(client)).toEqual(['add_note', 'list_notes']);
    await call('add_note', { text: 'buy milk' });
    const listed = await call('list_notes');
    expect(listed.structuredContent).toEqual({ notes: ['buy milk'] });
  });

  it('applies the common selection flags and the gate, and refuses a gated tool by its flag', async () => {
    const closed = await connect();
    const refused = closed.call('clear_notes');
    await expect(refused).rejects.toThrow(/--allow-clear \(or EXAMPLE_ALLOW_CLEAR=1\)/);
    const readOnly = await connect(['--read-only', '--allow-clear']);
    expect(await toolNames(readOnly.client)).toEqual(['list_notes']);
    const open = await connect([], { EXAMPLE_ALLOW_CLEAR: '1', EXAMPLE_EXCLUDE_TOOLS: 'add_note' });
    expect(await toolNames(open.client)).toEqual(['list_notes', 'clear_notes']);
  });

  it('keeps secrets from the environment and in tool arguments off stderr', async () => {
    const key = 'example-key-5c1f0a9d';
    const token = 'ghp_R8xw2Lq9ZtV4mN7pK3sJ6hF1dC5bA0yE2uQx';
    const { call, stderr } = await connect(['--log-level', 'debug'], { EXAMPLE_API_KEY: key });
    const text = `key ${key}, token ${token}, Authorization: Bearer opaque-credential-77`;
    const result = await call('add_note', { text });
    expect(result.structuredContent).toEqual({ notes: [text] });
    await call('list_notes');
    // The debug lines of both calls name the tools; their arguments are masked.
    await expect.poll(() => stderr()).toMatch(/list_notes/);
    expect(stderr()).toMatch(/add_note/);
    for (const secret of [key, token, 'opaque-credential-77'])
      expect(stderr()).not.toContain(secret);
  });

  it('exits 2 with one line naming the problem on bad configuration', async () => {
    const run = promisify(execFile);
    const failed: unknown = await run(process.execPath, [MAIN, '--tools', 'clear_notes']).catch(
      (error: unknown) => error,
    );
    expect(failed).toMatchObject({
      code: 2,
      stderr:
        'mcp-server-example: --tools names clear_notes: the clear tool need --allow-clear (or EXAMPLE_ALLOW_CLEAR=1)\n',
    });
  });
});
