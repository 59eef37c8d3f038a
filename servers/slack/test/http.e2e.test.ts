/**
 * The built server on Streamable HTTP with a bearer token: the client's token opens the
 * MCP endpoint and goes no further; Slack sees only the server's own bot token.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { waitFor } from '@plugboard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOT_TOKEN, fakeSlack, type FakeSlack } from './fake-slack.js';

const SERVER = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const MCP_TOKEN = 'mcp-client-token-7f3a9c';

describe('mcp-server-slack over HTTP', () => {
  let fake: FakeSlack;
  let child: ChildProcess;
  let url: string;

  beforeAll(async () => {
    fake = await fakeSlack();
    child = spawn(process.execPath, [SERVER, '--transport', 'http', '--port', '0'], {
      env: {
        PATH: process.env.PATH,
        SLACK_BOT_TOKEN: BOT_TOKEN,
        SLACK_API_URL: fake.apiUrl,
        MCP_AUTH_TOKEN: MCP_TOKEN,
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    await waitFor(() => /listening on (\S+)/.test(stderr), { timeoutMs: 20_000 });
    url = /listening on (\S+)/.exec(stderr)![1]!;
  });
  afterAll(async () => {
    child.kill('SIGTERM');
    if (child.exitCode === null) await once(child, 'exit');
    await fake.close();
  });

  it('serves tools to a client with the MCP token and calls Slack with its own token only', async () => {
    const client = new Client({ name: 'http-test', version: '0.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(url), {
        requestInit: { headers: { Authorization: `Bearer ${MCP_TOKEN}` } },
      }),
    );
    const result = await client.callTool({ name: 'slack_get_users', arguments: {} });
    expect(result.isError).toBeFalsy();
    await client.close();
    const authorizations = fake.http.requests.map((request) => request.headers.authorization);
    expect(authorizations.length).toBeGreaterThan(0);
    for (const header of authorizations) expect(header).toBe(`Bearer ${BOT_TOKEN}`);
    expect(JSON.stringify(fake.http.requests.map((request) => request.rawBody))).not.toContain(
      MCP_TOKEN,
    );
  });

  it('refuses a client without the MCP token', async () => {
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(response.status).toBe(401);
  });
});
