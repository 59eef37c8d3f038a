/**
 * @module
 * `--auth-write-scope` through the kit, end to end: the built filesystem server over HTTP with
 * sign-in against a real OpenID provider (`oidc-provider`). A token with only the read scope
 * sees the read-only tools (even with `--allow-delete`) and is refused a write with 403 `insufficient_scope` (naming the
 * scopes to ask for and the resource metadata); a token with the write scope lists and calls the
 * writing tools. Both eras: a handshake-era session through the official SDK client and raw
 * 2026-07-28 requests.
 */
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { startTestIssuer, type TestIssuer } from '@plugboard/peers/oidc';
import {
  openHttpSession,
  spawnHttpServer,
  tmpDir,
  type HttpServerProcess,
  type TmpDir,
} from '@plugboard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const SERVER = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const MANIFEST = fileURLToPath(new URL('../dist/tools.json', import.meta.url));
const READ = 'files:read';
const WRITE = 'files:write';

/** The tools the manifest marks read-only, and the others. */
function manifestTools(): { readOnly: string[]; writing: string[] } {
  const tools = JSON.parse(readFileSync(MANIFEST, 'utf8')) as {
    name: string;
    annotations?: { readOnlyHint?: boolean };
  }[];
  const readOnly = tools.filter((tool) => tool.annotations?.readOnlyHint === true);
  const writing = tools.filter((tool) => tool.annotations?.readOnlyHint !== true);
  return { readOnly: readOnly.map((t) => t.name), writing: writing.map((t) => t.name) };
}

let issuer: TestIssuer;
let dir: TmpDir;
let server: HttpServerProcess;
let url: string;
let readToken: string;
let writeToken: string;

beforeAll(async () => {
  issuer = await startTestIssuer({ scopes: [READ, WRITE] });
  dir = await tmpDir('plugboard-write-scope-');
  server = await spawnHttpServer({
    command: process.execPath,
    args: [
      SERVER,
      dir.path,
      ...['--transport', 'http', '--port', '0'],
      ...['--auth-issuer', issuer.issuer, '--auth-write-scope', WRITE],
      // Every tool there is, so that the read scope has the most to hide.
      '--allow-delete',
    ],
  });
  url = server.url;
  readToken = await issuer.clientToken(url, READ);
  writeToken = await issuer.clientToken(url, `${READ} ${WRITE}`);
}, 60_000);

afterAll(async () => {
  await server?.stop();
  await issuer?.close();
  await dir?.cleanup();
});

async function sdkClient(token: string): Promise<Client> {
  const client = new Client({ name: 'write-scope-test', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(url), {
      requestInit: { headers: { Authorization: `Bearer ${token}` } },
    }),
  );
  return client;
}

/** A 2026-07-28 request with its headers and `_meta`. */
function modern(token: string, id: number, method: string, params: Record<string, unknown>) {
  const name = params.name;
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      authorization: `Bearer ${token}`,
      'mcp-protocol-version': '2026-07-28',
      'mcp-method': method,
      ...(typeof name === 'string' ? { 'mcp-name': name } : {}),
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id,
      method,
      params: {
        ...params,
        _meta: {
          'io.modelcontextprotocol/protocolVersion': '2026-07-28',
          'io.modelcontextprotocol/clientCapabilities': {},
        },
      },
    }),
  });
}

function expectInsufficientScope(response: Response): void {
  expect(response.status).toBe(403);
  const challenge = response.headers.get('www-authenticate') ?? '';
  expect(challenge).toMatch(/^Bearer /);
  expect(challenge).toContain('error="insufficient_scope"');
  expect(challenge).toMatch(/scope="[^"]*files:write[^"]*"/);
  expect(challenge).toContain(
    `resource_metadata="${new URL(url).origin}/.well-known/oauth-protected-resource`,
  );
}

const writeArgs = (name: string) => ({
  name: 'write_file',
  arguments: { path: path.join(dir.path, name), content: `written by ${name}\n` },
});

describe('--auth-write-scope, with the built filesystem server and a real OpenID provider', () => {
  it('lists only the read-only tools to a read-scope token, in a handshake-era session', async () => {
    const { readOnly, writing } = manifestTools();
    expect(readOnly).toContain('read_text_file');
    expect(writing).toContain('write_file');
    const client = await sdkClient(readToken);
    const listed = (await client.listTools()).tools.map((tool) => tool.name);
    expect(listed.sort()).toEqual([...readOnly].sort());
    await client.close();
  });

  it('lists only the read-only tools to it in 2026-07-28 too', async () => {
    const response = await modern(readToken, 1, 'tools/list', {});
    expect(response.status).toBe(200);
    const body = (await response.json()) as { result: { tools: { name: string }[] } };
    expect(body.result.tools.map((tool) => tool.name).sort()).toEqual(
      [...manifestTools().readOnly].sort(),
    );
  });

  it('refuses its write call with 403 insufficient_scope in a handshake-era session, and writes nothing', async () => {
    const session = await openHttpSession(url, { authorization: `Bearer ${readToken}` });
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        authorization: `Bearer ${readToken}`,
        'mcp-session-id': session,
        'mcp-protocol-version': '2025-11-25',
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: writeArgs('refused-2025.txt'),
      }),
    });
    expectInsufficientScope(response);
    expect(existsSync(path.join(dir.path, 'refused-2025.txt'))).toBe(false);
  });

  it('refuses it the same way in 2026-07-28, and writes nothing', async () => {
    const response = await modern(readToken, 2, 'tools/call', writeArgs('refused-2026.txt'));
    expectInsufficientScope(response);
    expect(existsSync(path.join(dir.path, 'refused-2026.txt'))).toBe(false);
  });

  it('lists and runs the writing tools for a token with the write scope, in a handshake-era session', async () => {
    const client = await sdkClient(writeToken);
    const listed = (await client.listTools()).tools.map((tool) => tool.name);
    expect(listed.sort()).toEqual([...manifestTools().readOnly, ...manifestTools().writing].sort());
    const result = await client.callTool(writeArgs('written-2025.txt'));
    expect(result.isError).toBeFalsy();
    expect(await readFile(path.join(dir.path, 'written-2025.txt'), 'utf8')).toBe(
      'written by written-2025.txt\n',
    );
    await client.close();
  });

  it('runs a write for it in 2026-07-28 too', async () => {
    const listed = await modern(writeToken, 3, 'tools/list', {});
    const tools = ((await listed.json()) as { result: { tools: { name: string }[] } }).result.tools;
    expect(tools.map((tool) => tool.name)).toContain('write_file');
    const response = await modern(writeToken, 4, 'tools/call', writeArgs('written-2026.txt'));
    expect(response.status).toBe(200);
    const body = (await response.json()) as { result: { isError?: boolean } };
    expect(body.result.isError).toBeFalsy();
    expect(await readFile(path.join(dir.path, 'written-2026.txt'), 'utf8')).toBe(
      'written by written-2026.txt\n',
    );
  });
});
